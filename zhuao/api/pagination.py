"""The API's pages: ``?page=N`` (and ``page_size`` up to 200) with ``next`` and ``previous``
links and the ``results``, but no ``count``: counting the visible records costs more than the
page itself at the city's scale (see zhuao.pagination). A client reads on while ``next`` is
not null; totals are in the dashboard's figures (``/api/v1/pilot/dashboard/``)."""
from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from zhuao.pagination import UncountedPage


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

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        del page["properties"]["count"]
        page["required"] = ["results"]
        return page
