"""The API's parsers: DRF's, refusing with 400 what would otherwise be a server error, for
every body an endpoint reads (JSON, form and multipart; POST, PUT and PATCH alike).

Deeply nested JSON makes Python's decoder raise RecursionError (a 500, before authentication:
anyone could send it), and a NUL character in a string is refused by PostgreSQL when it is
saved or filtered on. Both are refused here, before a view sees the data; bidirectional and
zero-width characters are removed from its strings (``zhuao.text``). The pages' forms get the
same from ``zhuao.middleware.InputTextMiddleware``; an endpoint that names its parsers takes
them from here, never from DRF."""
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from zhuao.text import holds_nul, strip_invisible, visible_query

#: How deep objects and arrays may nest. The deepest request body of the API is 3.
MAX_DEPTH = 20


def check_structure(data) -> None:
    """Depth and NUL characters, walked without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(_("The request holds a NUL character, which no field accepts."))
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ParseError(_("The request is nested too deeply (at most %(depth)s levels).")
                                 % {"depth": MAX_DEPTH})
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                stack.append((key, depth))
                stack.append((item, depth + 1))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The request is nested too deeply (at most %(depth)s levels).")
                             % {"depth": MAX_DEPTH}) from None
        check_structure(data)
        return visible(data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return visible_form(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(visible_form(parsed.data), parsed.files)


def visible_form(query):
    """A form body refused if it holds a NUL character, else without invisible characters."""
    if holds_nul(query):
        raise ParseError(_("The request holds a NUL character, which no field accepts."))
    return visible_query(query)


def visible(data):
    """``data`` with bidirectional and zero-width characters removed from every string
    (``zhuao.text``); passwords are left as typed. The depth is already bounded."""
    if isinstance(data, str):
        return strip_invisible(data)
    if isinstance(data, list):
        return [visible(item) for item in data]
    if isinstance(data, dict):
        return {visible(key): (value if "password" in str(key) else visible(value))
                for key, value in data.items()}
    return data
