"""Messages kept as keys and parameters, rendered in the reader's language.

A notification is written while the *sender's* language is active, but read (inbox, API,
e-mail) by a recipient who may have chosen another one: a Macau liaison reads traditional
Chinese what a Zhuhai officer did in simplified Chinese. So a message is not stored as text:
``Text(gettext_lazy("Case %(number)s was shared with you"), number=case.number)`` keeps the
source string (the msgid, and the context of a ``pgettext_lazy``) and the parameters, and
``str(text)`` translates it in whatever language is active when it is read.

Parameters are rendered too, when they depend on the language: another ``Text`` or lazy
string (a choice label: ``choice_label(meeting, "kind")``), an ``Agency`` (its name in the
reader's language, as it was named when the message was sent), a date or a moment (the
reader's long form), ``Since`` (how long ago).
Numbers and plain strings (a record's reference number) are kept as they are: never pass a
string already translated (``gettext``, ``get_FOO_display()``, ``date_display()``), it would
stay in the sender's language.

``to_json()`` / ``Text.from_json()`` store and restore it (``core.models.Notification.message``).
Only ``gettext_lazy`` and ``pgettext_lazy`` strings can be kept as keys: the msgid is read back
from the lazy object through its pickling protocol (``__reduce__``), so that call sites keep
the ordinary marking that ``makemessages`` extracts."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.timesince import timesince

from zhuao.formats import date_display, datetime_display


class Text:
    """A translatable message and its parameters; ``str()`` renders it in the active language."""

    __slots__ = ("msgid", "context", "params")

    def __init__(self, message: Promise | Text, /, **params: Any) -> None:
        if isinstance(message, Text):
            self.msgid, self.context = message.msgid, message.context
            params = {**message.params, **params}
        else:
            self.msgid, self.context = _key_of(message)
        self.params = {name: _encode(value) for name, value in params.items()}

    @classmethod
    def from_json(cls, data: dict) -> Text:
        text = cls.__new__(cls)
        text.msgid = str(data.get("msgid", ""))
        text.context = str(data.get("context", ""))
        text.params = dict(data.get("params") or {})
        return text

    def to_json(self) -> dict:
        data: dict[str, Any] = {"msgid": self.msgid}
        if self.context:
            data["context"] = self.context
        if self.params:
            data["params"] = self.params
        return data

    def render(self) -> str:
        if self.context:
            translated = translation.pgettext(self.context, self.msgid)
        else:
            translated = translation.gettext(self.msgid)
        if not self.params:
            return translated
        values = {name: _decode(value) for name, value in self.params.items()}
        try:
            return translated % values
        except (KeyError, TypeError, ValueError):  # a faulty translation: the source string
            try:
                return self.msgid % values
            except (KeyError, TypeError, ValueError):
                return translated

    __str__ = render

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Text) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash((self.msgid, self.context))


class Since:
    """How long ago ``start`` was, seen at ``end`` ("3 hours, 5 minutes"), in the reader's words."""

    __slots__ = ("start", "end")

    def __init__(self, start: datetime.datetime, end: datetime.datetime) -> None:
        self.start, self.end = start, end


def is_translatable(value) -> bool:
    """Can ``value`` be kept as a key (a ``Text``, a ``gettext_lazy``/``pgettext_lazy`` string)?"""
    if isinstance(value, Text):
        return True
    try:
        _key_of(value)
    except TypeError:
        return False
    return True


def as_text(value) -> Text | str:
    """``value`` as a ``Text`` when it can be kept as a key, else as the plain string it is."""
    if isinstance(value, Text):
        return value
    if is_translatable(value):
        return Text(value)
    return "" if value is None else str(value)


def choice_label(instance, field_name: str) -> Promise | str:
    """The lazy label of a choice field's value (``get_FOO_display()`` translates too early)."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    for choice, label in field.flatchoices:
        if choice == value:
            return label
    return "" if value is None else str(value)


def _key_of(message) -> tuple[str, str]:
    """(msgid, context) of a ``gettext_lazy`` or ``pgettext_lazy`` string."""
    if isinstance(message, Promise):
        try:
            _unpickle, arguments = message.__reduce__()[:2]
            function, args, kwargs = arguments[0], tuple(arguments[1]), dict(arguments[2] or {})
        except (TypeError, ValueError, IndexError):
            function, args, kwargs = None, (), {}
        if not kwargs and function is translation.gettext and len(args) == 1:
            return str(args[0]), ""
        if not kwargs and function is translation.pgettext and len(args) == 2:
            return str(args[1]), str(args[0])
    raise TypeError("a message key needs gettext_lazy() or pgettext_lazy(), "
                    f"not {type(message).__name__}")


def _encode(value):
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, Promise):
        return {"text": Text(value).to_json()} if is_translatable(value) else str(value)
    if isinstance(value, Since):
        return {"since": [value.start.isoformat(), value.end.isoformat()]}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    from core.models import Agency

    if isinstance(value, Agency):  # its three names: the inbox renders without a query each
        return {"agency": value.pk, "names": {field: getattr(value, field)
                                              for field in Agency.NAME_FIELDS}}
    return str(value)


def _decode(value):
    if not isinstance(value, dict):
        return "" if value is None else value

    try:
        if "text" in value:
            return Text.from_json(value["text"]).render()
        if "datetime" in value:
            return datetime_display(datetime.datetime.fromisoformat(value["datetime"]))
        if "date" in value:
            return date_display(datetime.date.fromisoformat(value["date"]))
        if "since" in value:
            start, end = (datetime.datetime.fromisoformat(moment) for moment in value["since"])
            return timesince(start, end)
        if "agency" in value:
            from core.models import Agency

            names = value.get("names")
            if isinstance(names, dict):
                return Agency(**{field: str(names.get(field, ""))
                                 for field in Agency.NAME_FIELDS}).name or "—"
            agency = Agency.objects.filter(pk=value["agency"]).first()
            return agency.name if agency is not None else "—"
    except (TypeError, ValueError):
        pass
    return "—"


__all__ = ["Text", "Since", "as_text", "choice_label", "is_translatable"]
