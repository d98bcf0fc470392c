from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import AuditOutcome


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("Any"))] + AuditOutcome.choices)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
