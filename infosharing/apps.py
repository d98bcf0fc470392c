from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfosharingConfig(AppConfig):
    name = "infosharing"
    verbose_name = _("Information sharing")
