from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared domain. Its label stays "zhuao" (the app's name before the project package
    and the domain were told apart), so its tables, migrations, content types and permission
    names are the ones every database already has."""

    name = "core"
    label = "zhuao"
    verbose_name = _("Agencies, staff and audit")

    def ready(self) -> None:
        from core import auth_events  # noqa: F401  (audit of login, logout and failed login)
        from core import checks  # noqa: F401  (system checks of the project's settings)
        from core import user_access  # noqa: F401  (who may change a user's access; its audit)
        from zhuao.celery import ensure_broker_folders

        ensure_broker_folders()
