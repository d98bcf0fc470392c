"""``get_<field>_display()`` (``core.choices.ChoiceDisplay``) is declared beside every field
with choices of every model of the project, and answers as Django's own would, in every
language, for values inside and outside the choices."""
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from core.choices import ChoiceDisplay

PROJECT_APPS = ("core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
FIELDS = [(model, field) for model in apps.get_models()
          if model.__module__.split(".")[0] in PROJECT_APPS
          for field in model._meta.fields if field.choices is not None]


def test_every_field_with_choices_declares_its_display():
    assert len(FIELDS) > 70
    missing = [f"{model.__name__}.{field.name}" for model, field in FIELDS
               if not isinstance(model.__dict__.get(f"get_{field.name}_display"), ChoiceDisplay)]
    assert not missing, f"add get_<field>_display = ChoiceDisplay() beside: {missing}"


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES] + [None])
def test_display_is_djangos(language):
    with translation.override(language):
        for model, field in FIELDS:
            for value in [value for value, _ in field.flatchoices] + ["no-such-choice", None, 7]:
                record = model()
                try:
                    setattr(record, field.attname, value)
                except Exception:  # a field that refuses such a value (a time zone's name)
                    continue
                expected = models.Model._get_FIELD_display(record, field)
                ours = getattr(record, f"get_{field.name}_display")()
                assert ours == expected, (model, field.name, value)
                assert type(ours) is type(expected)


@isolate_apps("zhuao")
def test_the_display_follows_the_language_it_is_asked_in():
    class Thing(models.Model):
        status = models.CharField(max_length=5, choices=[("a", translation.gettext_lazy("Any"))])
        get_status_display = ChoiceDisplay()

        class Meta:
            app_label = "zhuao"

    with translation.override("zh-hans"):
        chinese = Thing(status="a").get_status_display()
    with translation.override("en"):
        assert Thing(status="a").get_status_display() == "Any"
    assert chinese != "Any"


def test_a_misnamed_display_is_refused():
    with pytest.raises((TypeError, RuntimeError)):
        class Wrong:
            status_label = ChoiceDisplay()
