"""The API's filter backend: django-filter's, with the filter set it builds from a view's
``filterset_fields`` made once per view and model. django-filter otherwise declares a new
``FilterSet`` class on every request (its metaclass reading the model's fields anew), which
cost a relief-application list about as much as reading its rows."""
from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
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
