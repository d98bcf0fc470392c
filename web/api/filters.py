"""The API's list filters: every query parameter a list reads is validated (400 with the
messages in the user's language) and documented in the schema.

Lists filtered on their own columns name them in ``filterset_fields``: django-filter's backend
validates them. Lists whose selector takes the filters (``cases_for_list(user, **filters)``)
declare a serializer for the query string and call ``query_filters``."""
from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend, FilterSet, NumberFilter


class IdFilter(NumberFilter):
    """A related record by its id. No lookup of the record: an id the user may not see, or
    that does not exist, lists nothing, as an unknown value of any other filter does (a
    "not a valid choice" answer would tell which ids exist)."""

    field_class = forms.IntegerField


class TrueFalseField(forms.NullBooleanField):
    """``true`` or ``false``, as the schema's booleans are written in a query string; empty is
    no filter. django-filter's own reads any other value as "no filter", silently."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true"):
            return True
        if value in (False, "false"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class TrueFalseFilter(BooleanFilter):
    """django-filter's plain ``BooleanFilter`` (its REST framework one maps any unknown value
    to "no filter" in its widget, before the field can refuse it)."""

    field_class = TrueFalseField


class ProjectFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": TrueFalseFilter},
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the filter set it builds from a view's
    ``filterset_fields`` made once per view and model. django-filter otherwise declares a new
    ``FilterSet`` class on every request (its metaclass reading the model's fields anew), which
    cost a relief-application list about as much as reading its rows."""

    filterset_base = ProjectFilterSet
    _built: dict = {}

    def get_filterset_class(self, view, queryset=None):
        if getattr(view, "filterset_class", None) or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model)
        try:
            return self._built[key]
        except KeyError:
            built = self._built[key] = super().get_filterset_class(view, queryset)
            return built


def query_filters(request, serializer_class) -> dict:
    """The query string read by ``serializer_class`` (400 with its messages when a value is
    refused), without the filters left empty. Document it with
    ``extend_schema(parameters=[serializer_class])``."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {key: value for key, value in query.validated_data.items() if value not in ("", None)}
