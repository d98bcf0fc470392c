from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZhuaoConfig(AppConfig):
    name = "zhuao"
    verbose_name = _("Agencies, staff and audit")

    def ready(self) -> None:
        from django.apps import apps

        from . import auth_events  # noqa: F401  (audit of login, logout and failed login)
        from . import user_access  # noqa: F401  (who may change a user's access; its audit)
        from . import choices
        from .api import representation
        from .celery import ensure_broker_folders
        from .forms import install_choice_iterator

        ensure_broker_folders()
        choices.install(apps.get_models())
        install_choice_iterator()
        representation.install()
