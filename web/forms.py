from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.assignment import officers_of
from core.models import AuditOutcome
from core.validators import TEXT_MAX_LENGTH, validate_operational_date
from core.visibility import user_agency


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(max_length=TEXT_MAX_LENGTH, required=False, widget=forms.HiddenInput)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("User"), required=False)
    action = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Action"), required=False)
    object_type = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                  label=_("Object type"), required=False)
    object_id = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Object id"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("Any"))] + AuditOutcome.choices)
    since = forms.DateField(validators=[validate_operational_date], label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(validators=[validate_operational_date],
                            label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


class ListedModelChoiceIterator(ModelChoiceIterator):
    """A model select's choices read with one ordinary query, kept for the iterator's life
    (a field hands out a fresh iterator each time its choices are asked for).

    Django's iterator reads them through ``QuerySet.iterator()``, which on PostgreSQL outside a
    transaction is a server-side cursor WITH HOLD: DECLARE, FETCH and CLOSE, three round trips
    for the few dozen agencies, branches or organisations such a
    select offers; and its ``len()`` (which ``list(choices)`` asks first) is a ``COUNT(*)`` of
    its own. The lists that could be long (cases, people) are typed fields, not selects
    (``cases.fields.CaseField``)."""

    def __init__(self, field):
        super().__init__(field)
        self._objects = None

    def objects(self) -> list:
        if self._objects is None:
            listed = self.field.listed
            # a copy of the queryset: the field's keeps no cache
            self._objects = list(listed if listed is not None else self.queryset.all())
        return self._objects

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self.objects()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.objects())


class ModelChoiceField(forms.ModelChoiceField):
    """The project's model select: its choices read with ``ListedModelChoiceIterator``. Every
    form of the project uses it (``tests/zhuao/test_model_choices.py`` walks them)."""

    iterator = ListedModelChoiceIterator
    #: The choices already read, when several forms of one page offer the same records: shown
    #: instead of reading them again (a submitted choice is still checked against the queryset).
    listed: list | None = None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedModelChoiceIterator
    listed: list | None = None


def add_service_error(form, error) -> None:
    """A service's refusal (``ApplicationError``) shown on the form: at the field it names when
    the form has it, else above the form (the error summary lists both)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


class OfficerChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class OfficerForm(forms.Form):
    """Choose an officer of the user's own agency: the new responsible officer of records
    (core.assignment) or the colleague who takes over a hand-over."""

    officer = OfficerChoiceField(queryset=None, label=_("Officer"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agency = user_agency(user)
        self.fields["officer"].queryset = (officers_of(agency) if agency is not None
                                           else get_user_model().objects.none())
