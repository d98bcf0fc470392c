"""A failed form shows, GOV.UK style, an error summary at the top of the page: each error a
link to its field, the page title starting with "Error: " in the reader's language, and the
field's own message next to it. It is rendered once, by the base layout, for every form."""
from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FAILED_FORMS = [
    ("district", "cases:person_create", {"name_zh": ""}),
    ("district", "tempaid:create", {"amount_requested": "abc"}),
    ("district", "partners:referral_create", {"case": ""}),
    ("district", "infosharing:urgent_create", {"subject": ""}),
    ("city", "pilot:plan_create", {"year": "x"}),
]
TITLE_PREFIX = {"zh-hans": "错误：", "zh-hant": "錯誤：", "en": "Error: "}


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary" data-error-summary tabindex="-1".*?</div>',
                      html, re.S)
    assert match, "no error summary on the failed form"
    return match.group(0)


@pytest.mark.parametrize("username,url_name,data", FAILED_FORMS)
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_failed_form_shows_an_error_summary_linking_each_field(
        client_for, users, username, url_name, data, language):
    staff = users[username].staff
    staff.language = language
    staff.save(update_fields=["language"])
    response = client_for(username).post(reverse(url_name), data)
    assert response.status_code == 200
    html = response.content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert title.startswith(TITLE_PREFIX[language]), title
    summary = _summary(html)
    anchors = re.findall(r'<a href="#([\w-]+)" data-error-link', summary)
    assert anchors, summary
    for anchor in anchors:
        assert f'id="{anchor}"' in html, f"summary link #{anchor} points at no field"
        assert f'id="{anchor.removesuffix("_0")}_error"' in html or anchor.endswith("_0") \
            or 'class="form-errors"' in html, f"field {anchor} does not show its own message"
    # Each field in error names its message (and its help) for screen readers, and every id
    # it names exists on the page.
    invalid = re.findall(r'<[^>]*aria-invalid="true"[^>]*>', html)
    assert invalid, "no field is marked invalid"
    for tag in invalid:
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        if described is None:  # a group of choices: its fieldset carries the description
            continue
        assert any(name.endswith("_error") for name in described.group(1).split()), tag
        for name in described.group(1).split():
            assert f'id="{name}"' in html, f"{tag} names #{name}, which is not on the page"
    # The summary comes before the page's heading: the first thing read after the title.
    assert html.index("data-error-summary") < html.index("<h1")


def test_a_page_whose_forms_are_valid_has_no_summary_and_a_plain_title(client_for):
    html = client_for("district").get(reverse("cases:person_create")).content.decode()
    assert "data-error-summary" not in html
    assert "错误：" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
