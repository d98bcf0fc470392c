"""The case field of other apps' forms: the officer types (or picks from a short list of their
latest cases) a case number, instead of choosing from a select of every case they can see —
tens of thousands at city scale, rendered on every request of the form."""
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.db import record_id

from .models import Case

#: How many of the latest cases the field suggests.
SUGGESTIONS = 20


def lookup_attrs(url) -> dict:
    """The attributes that turn a case-number input or a person select into a search-as-you-type
    field (static/js/zhuao.js, a server-side paged lookup). Without JavaScript the plain input or
    the short select stays as it is."""
    return {"data-lookup": url, "data-lookup-empty": _("No match"),
            "data-lookup-more": _("More results"),
            "data-lookup-hint": _("Type a name, ID number, phone or case number; choose with the "
                                  "arrow keys and Enter.")}


class CaseNumberInput(forms.TextInput):
    template_name = "cases/widgets/case_number.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", "maxlength": 20,
                          **lookup_attrs(reverse_lazy("cases:case_lookup")), **(attrs or {})})
        self.queryset = Case.objects.none()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["list_id"] = f"{widget['attrs'].get('id') or name}_suggestions"
        widget["attrs"]["list"] = widget["list_id"]
        widget["suggestions"] = [(case.number, f"{case.number} · {case.subject}")
                                 for case in self.queryset[:SUGGESTIONS]]
        return context


class CaseField(forms.Field):
    """Cleans a case number to the case, if ``queryset`` (the cases the user may use here,
    latest first) holds it."""
    widget = CaseNumberInput
    default_error_messages = {
        "invalid_choice": _("There is no case numbered %(number)s that you can use here. "
                            "Copy the number from the case page, for example ZH-2026-000123."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("help_text", _("Type the case number, or choose one of your latest "
                                         "cases."))
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Case.objects.none()

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._queryset = queryset
        self.widget.queryset = queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset
        return result

    def prepare_value(self, value):
        return value.number if isinstance(value, Case) else value

    def chosen(self, form, name: str = "case") -> Case | None:
        """The case the form names so far (the number posted, or the link's initial case), or
        None: for the form's other fields that depend on it, before the form is validated."""
        value = (form.data.get(form.add_prefix(name)) if form.is_bound
                 else form.initial.get(name))
        if value is None or isinstance(value, Case):
            return value
        try:
            return self.clean(value)
        except ValidationError:
            return None

    def to_python(self, value):
        number = (value or "").strip().upper()
        if not number:
            return None
        case = self.queryset.filter(number=number).first() if len(number) <= 20 else None
        if case is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"number": number[:20]})
        return case


def initial_case(queryset, raw) -> Case | None:
    """The case a link's ``?case=<id>`` names, if the queryset holds it."""
    pk = record_id(raw)
    return queryset.filter(pk=pk).first() if pk is not None else None


class _ShownChoices(ModelChoiceIterator):
    """The choices a select renders, from another queryset than the one it validates against."""

    def __init__(self, field, queryset):
        super().__init__(field)
        self.queryset = queryset


#: How many of the latest cases' subjects a person select offers.
RECENT_PEOPLE = 50


def offer_recent_people(field: forms.ModelChoiceField, persons, cases, *also) -> None:
    """Let ``field`` accept any of ``persons`` but offer only the subjects of the latest
    ``cases`` and the people ``also`` names (a link's ``?person=``, the posted value): a select
    of every visible person would be 100,000 options at city scale."""
    field.queryset = persons
    field.widget.attrs.update(lookup_attrs(reverse_lazy("cases:person_lookup")))
    named = [pk for pk in map(record_id, also) if pk is not None]
    recent = cases.order_by("-opened_at").values("subject_id")[:RECENT_PEOPLE]
    field.widget.choices = _ShownChoices(field, persons.filter(
        Q(pk__in=recent) | Q(pk__in=named)).order_by("name_zh", "id"))


def offer_latest_people(field: forms.ModelChoiceField, persons, *also) -> None:
    """As ``offer_recent_people``, for an agency whose people have no cases of their own (a
    Macau or Hengqin liaison's records): offer the latest registered of ``persons`` and the
    people ``also`` names; the search finds the others."""
    field.queryset = persons
    field.widget.attrs.update(lookup_attrs(reverse_lazy("cases:person_lookup")))
    named = [pk for pk in map(record_id, also) if pk is not None]
    latest = persons.order_by("-created_at", "-id").values("pk")[:RECENT_PEOPLE]
    field.widget.choices = _ShownChoices(field, persons.filter(
        Q(pk__in=latest) | Q(pk__in=named)).order_by("name_zh", "id"))
