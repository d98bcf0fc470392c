"""``get_<field>_display()`` (zhuao.choices) answers as Django's own would, for every field
with choices of every model, in every language, for values inside and outside the choices."""
from functools import partialmethod

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from zhuao import choices

FIELDS = [(model, field) for model in apps.get_models() for field in model._meta.fields
          if field.choices is not None]


def test_every_field_with_choices_has_the_fast_display():
    assert len(FIELDS) > 40
    for model, field in FIELDS:
        display = model.__dict__[f"get_{field.name}_display"]
        assert isinstance(display, partialmethod) and display.func is choices._display, (
            model, field.name)


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
                assert getattr(record, f"get_{field.name}_display")() == expected, (
                    model, field.name, value)
                assert type(getattr(record, f"get_{field.name}_display")()) is type(expected)


@isolate_apps("zhuao")
def test_a_models_own_display_is_left_alone():
    class Own(models.Model):
        status = models.CharField(max_length=5, choices=[("a", "A")])

        def get_status_display(self):
            return "own"

        class Meta:
            app_label = "zhuao"

    choices.install([Own])
    assert Own(status="a").get_status_display() == "own"
