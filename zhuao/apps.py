from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZhuaoConfig(AppConfig):
    name = "zhuao"
    verbose_name = _("Agencies, staff and audit")

    def ready(self) -> None:
        from . import auth_events  # noqa: F401  (audit of login, logout and failed login)
        from . import checks  # noqa: F401  (system checks of the project's settings)
        from . import user_access  # noqa: F401  (who may change a user's access; its audit)
        from .celery import ensure_broker_folders

        ensure_broker_folders()
