"""The API's pages: ``?page=N`` (and ``page_size`` up to 200) with ``next`` and ``previous``
links and the ``results``, but no ``count``: counting the visible records costs more than the
page itself at the city's scale (see web.pagination). A client reads on while ``next`` is
not null; totals are in the dashboard's figures (``/api/v1/pilot/dashboard/``)."""
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from web.pagination import MAX_PAGE, UncountedPage


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    template = None  # the browsable API's numbered links need the count

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            self.page = UncountedPage(queryset, request.query_params.get(self.page_query_param),
                                      self.get_page_size(request), strict=True)
        except InvalidPage:
            raise NotFound(self.invalid_page_message) from None
        return self.page.object_list

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(),
                         "results": data})

    def get_page_size(self, request):
        """``page_size`` when given must be a positive whole number (400 otherwise); above
        ``max_page_size`` it reads as the maximum; left empty, as left out."""
        text = request.query_params.get(self.page_size_query_param)
        if not text:
            return self.page_size
        if not (text.isascii() and text.isdigit() and int(text) > 0):
            raise ValidationError({self.page_size_query_param: [
                _("Give the page size as a whole number from 1.")]})
        return min(int(text), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"schema": {"minimum": 1, "maximum": MAX_PAGE},
                                    "description": "A page number, from 1; past the last page "
                                                   "the answer is 404."},
            self.page_size_query_param: {
                "schema": {"minimum": 1},
                "description": "Rows per page (default %(default)s); more than %(max)s "
                               "reads as %(max)s." % {"default": self.page_size,
                                                       "max": self.max_page_size}},
        }
        for parameter in parameters:
            extra = bounds.get(parameter["name"], {})
            parameter["schema"].update(extra.get("schema", {}))
            if "description" in extra:
                parameter["description"] = extra["description"]
        return parameters

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        del page["properties"]["count"]
        page["required"] = ["results"]
        return page
