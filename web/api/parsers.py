"""The API's parsers: DRF's, refusing with 400 and a message what would otherwise be a server
error or a silent change of what was sent, for every body an endpoint reads (JSON, form and
multipart; POST, PUT and PATCH alike):

* JSON nested past ``MAX_DEPTH`` (Python's decoder raises RecursionError: a 500, before
  authentication, that anyone could send);
* a NUL character in a string (PostgreSQL refuses it when it is saved or filtered on);
* a bidirectional override, a zero-width or other invisible formatting character, or a control
  character (``core.text.INVISIBLE``), passwords excepted. The pages' forms have them removed
  (``web.middleware.InputTextMiddleware``: people paste them unawares); a program calling
  the API is told instead, so that what it stored is what it sent and a length it was promised
  (the schema's ``maxLength``) counts the characters it sent.

An endpoint that names its parsers takes them from here, never from DRF."""
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.text import INVISIBLE

#: How deep objects and arrays may nest. The deepest request body of the API is 3.
MAX_DEPTH = 20


def _check_text(text: str, *, is_password: bool) -> None:
    if "\x00" in text:
        raise ParseError(_("The request holds a NUL character, which no field accepts."))
    if not is_password and INVISIBLE.search(text):
        raise ParseError(_("The request holds an invisible formatting or control character "
                           "(such as a bidirectional override or a zero-width space), which "
                           "no field accepts; send the text without it."))


def check_structure(data) -> None:
    """Depth and the characters above, walked without recursion."""
    stack = [(data, 1, False)]
    while stack:
        value, depth, is_password = stack.pop()
        if isinstance(value, str):
            _check_text(value, is_password=is_password)
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ParseError(_("The request is nested too deeply (at most %(depth)s levels).")
                                 % {"depth": MAX_DEPTH})
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                stack.append((key, depth, False))
                stack.append((item, depth + 1, is_password or "password" in str(key)))


def check_form(query):
    """A form body (a ``QueryDict``), checked as JSON strings are."""
    for key, values in query.lists():
        _check_text(key, is_password=False)
        for value in values:
            _check_text(value, is_password="password" in key)
    return query


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The request is nested too deeply (at most %(depth)s levels).")
                             % {"depth": MAX_DEPTH}) from None
        check_structure(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return check_form(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(check_form(parsed.data), parsed.files)
