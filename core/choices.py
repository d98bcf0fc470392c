"""``get_<field>_display()`` without rebuilding the field's choices on every call.

Django's own makes a dict of all the field's choices at each call, translating every label on
the way (hashing a lazy label translates it): 30–70 µs a call on this project's fields, and a
list page of 50 recipients makes 200 such calls. A model declares, beside each field with
choices, ``get_<field>_display = ChoiceDisplay()``: Django leaves a ``get_<field>_display``
that the class defines itself alone, so nothing of Django's is replaced. Its labels are read
once per language (translated the first time the field is displayed in that language); the
answer is Django's: a value outside the choices is shown as it is.
``tests/zhuao/test_choices.py`` checks that every field with choices has one and that it
answers as Django's own would."""
from __future__ import annotations

from functools import partial

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

SUFFIX = "_display"


class ChoiceDisplay:
    """``get_<field>_display`` of the field its attribute name gives."""

    def __set_name__(self, owner, name: str) -> None:
        if not (name.startswith("get_") and name.endswith(SUFFIX)):
            raise TypeError(f"ChoiceDisplay must be named get_<field>_display, not {name}")
        self.field_name = name[len("get_"):-len(SUFFIX)]
        self.owner = owner
        self.labels: dict | None = None
        self.translated: dict[str | None, dict] = {}

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return partial(self.display, instance)

    def display(self, instance):
        if self.labels is None:
            field = self.owner._meta.get_field(self.field_name)
            self.attname = field.attname
            self.labels = {make_hashable(value): label for value, label in field.flatchoices}
        value = make_hashable(getattr(instance, self.attname))
        language = get_language()
        in_language = self.translated.get(language)
        if in_language is None:
            in_language = self.translated[language] = {
                key: force_str(label, strings_only=True) for key, label in self.labels.items()}
        if value in in_language:
            return in_language[value]
        return force_str(value, strings_only=True)
