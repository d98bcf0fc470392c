from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Register and joint meetings")

    def ready(self):
        # The people search's typo guesses: pg_trgm's ``<%`` operator, which the trigram
        # index on the name keys answers (Django's own lookup, for this one field; the
        # search uses it on PostgreSQL only).
        from django.contrib.postgres.lookups import TrigramWordSimilar

        self.get_model("Person")._meta.get_field("name_keys").register_lookup(TrigramWordSimilar)
