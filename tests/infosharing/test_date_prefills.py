"""Issue 26, defaults that help: every date a form of information sharing or of the person's
pages prefills is one the same form accepts when it comes back unchanged, in each language.

The walk reads each page as a browser would (the ``value`` of each date and date-time input,
and every other prefilled field), submits what it read untouched, and requires that no date
field of the form answered with an error."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DATE_TYPES = ("date", "datetime-local")


class _Fields(HTMLParser):
    """The prefilled fields of the page's main form, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.dates: set[str] = set()
        self._in_main = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind in ("file", "submit", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in DATE_TYPES:
                self.dates.add(name)
            if attrs.get("value"):
                self.data.setdefault(name, []).append(attrs["value"])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs and attrs.get("value"):
            self.data.setdefault(self._select, []).append(attrs["value"])
        elif tag == "textarea" and name:
            self._textarea = name

    def handle_data(self, data):
        if self._textarea and data.strip():
            self.data.setdefault(self._textarea, []).append(data.strip())

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _pages(users):
    """(user, url) of each page of the scope with a date field."""
    from tests.infosharing.infosharing_factories import make_authorization, make_case, make_person

    person = make_person(users["district"])
    make_case(users["district"], person)
    authorization = make_authorization(users["district"], person)
    return [
        ("district", reverse("infosharing:authorization_create") + f"?person={person.pk}"),
        ("district", reverse("infosharing:authorization_revoke", args=[authorization.pk])),
        ("district", reverse("infosharing:urgent_create") + f"?person={person.pk}"),
        ("district", reverse("cases:person_edit", args=[person.pk])),
        ("macau", reverse("infosharing:authorization_create")),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_every_prefilled_date_is_accepted_unchanged(client_for, users, language):
    walked = 0
    for username, url in _pages(users):
        staff = users[username].staff
        staff.language = language
        staff.save(update_fields=["language"])
        client = client_for(username)
        page = client.get(url)
        assert page.status_code == 200, url
        fields = _Fields()
        fields.feed(page.content.decode())
        prefilled = {name for name in fields.dates if fields.data.get(name)}
        assert prefilled, f"{url}: no prefilled date to check"
        response = client.post(url, fields.data)
        if response.status_code == 302:  # the whole form was accepted as it was
            walked += len(prefilled)
            continue
        assert response.status_code == 200, url
        errors = response.context["form"].errors
        refused = {name: errors[name] for name in prefilled if name in errors}
        assert refused == {}, f"{url} ({language}) refuses its own prefill: {refused}"
        walked += len(prefilled)
    assert walked >= 5
