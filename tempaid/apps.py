from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TempaidConfig(AppConfig):
    name = "tempaid"
    verbose_name = _("Temporary relief")
