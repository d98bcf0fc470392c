"""Read a form as the page prefilled it, to submit it unchanged (issue 26).

The browser's date and month fields take and give ISO values only (``2026-12-05``,
``2026-12``); a date rendered in the page's language (``2026年12月5日``) shows as an empty
field, so the prefilled date is lost and the form fails. Each test reads a form from the page,
keeps every prefilled value, types only what the officer must type, submits, and expects no
date-format error."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from django.utils import translation

ISO = {"date": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
       "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")}


class _Forms(HTMLParser):
    """Each <form>: its id and action, and its fields as the page fills them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"id": attrs.get("id", ""), "action": attrs.get("action", ""),
                               "values": {}, "types": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            form["types"][name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form["values"][name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                form["values"][name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form["values"].setdefault(name, None)
        elif tag == "option" and self._select:
            values = form["values"]
            if values[self._select] is None or "selected" in attrs:
                values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form["values"][name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["values"][self._textarea] += data


def prefilled(html: str, *, form_id: str | None = None, action: str | None = None) -> dict:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if (form_id is not None and form["id"] == form_id) or (
                action is not None and form["action"] == action):
            for name, kind in form["types"].items():
                value = form["values"].get(name)
                if kind in ISO and value:
                    assert ISO[kind].match(value), f"{name} prefilled as {value!r}, not {kind}"
            return {name: value for name, value in form["values"].items() if value is not None}
    raise AssertionError(f"no form {form_id or action} on the page")


def date_format_errors(response) -> list[str]:
    with translation.override("zh-hans"):
        wanted = {str(translation.gettext(text)) for text in (
            "Enter a valid date.", "Enter a valid date/time.")}
    body = response.content.decode()
    return [message for message in wanted if message in body]


def open_forms(html: str) -> list[str]:
    """The actions of the forms with a field to fill that are not behind a disclosure
    (``<details>``) in the page's ``<main>``: a detail page shows its actions as buttons, not a
    wall of open forms (the layout's search and language forms are not the page's)."""
    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.details, self.form, self.open, self.in_main = 0, None, [], False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "main":
                self.in_main = True
            elif not self.in_main:
                return
            elif tag == "details":
                self.details += 1
            elif tag == "form":
                self.form = {"action": attrs.get("action", ""), "hidden": self.details > 0,
                             "fields": 0}
            elif self.form is not None and (tag in ("textarea", "select") or tag == "input"
                                            and attrs.get("type") not in ("hidden", "submit")):
                self.form["fields"] += 1

        def handle_endtag(self, tag):
            if tag == "main":
                self.in_main = False
            elif not self.in_main:
                return
            elif tag == "details":
                self.details -= 1
            elif tag == "form" and self.form is not None:
                if self.form["fields"] and not self.form["hidden"]:
                    self.open.append(self.form["action"])
                self.form = None

    parser = Forms()
    parser.feed(html)
    return parser.open

