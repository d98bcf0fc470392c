"""A NUL character anywhere in a request, and JSON nested past reason, answer 400 with a
message, never a server error (issue 23, finding 7)."""
import json

import pytest
from django.urls import reverse
from django.test import Client
from rest_framework.test import APIClient

from .matrix_engine import Clients, routes
from .permission_matrix import MATRIX

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"


def test_every_list_refuses_a_nul_in_its_query(seeded_media):
    clients = Clients(seeded_media)
    lists = [route for route in routes() if not route.parameters
             and MATRIX.get(route.name, (None, ""))[0] == "GET"
             and MATRIX[route.name][1][1] == "A"]  # the city officer reads them
    assert len(lists) > 30
    wrong = []
    for route in lists:
        response = clients("city", api=route.is_api).get(
            reverse(route.name), {"q": "陈\x00", "status": "\x00", "page": "1\x00"})
        if response.status_code != 400:
            wrong.append(f"{route.name}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_a_nul_in_a_form_or_json_field_is_refused_in_the_users_language(users):
    page = Client().post("/accounts/login/", {"username": "city\x00", "password": "x"})
    assert page.status_code == 400 and "NUL" in page.content.decode()
    api = APIClient().post(TOKEN, {"username": "city\x00", "password": "x"}, format="json",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert api.status_code == 400 and "字符" in api.json()["detail"]
    key = APIClient().post(TOKEN, {"username": "city", "password": "x", "a\x00": 1},
                           format="json")
    assert key.status_code == 400


@pytest.mark.parametrize("depth", [21, 100_000])
def test_deeply_nested_json_is_refused_before_sign_in(db, depth):
    body = "[" * depth + "]" * depth
    response = APIClient().post(TOKEN, body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert "嵌套" in json.loads(response.content)["detail"]


def test_ordinary_nesting_still_parses(users):
    response = APIClient().post(TOKEN, {"username": "city", "password": "x",
                                        "extra": [[{"a": [1]}]]}, format="json")
    assert response.status_code == 400 and "nested" not in response.content.decode()


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\u2066", "\ufeff", "\u200d"])
def test_invisible_characters_are_removed_from_forms_refused_by_the_api_not_in_passwords(
        users, hidden):
    """Issue 23, finding 11: a name typed with a zero-width or bidirectional character is the
    name without it on the pages (form fields); the API refuses it with a message (a program
    is told, and the schema's lengths count what it sent); a password is compared as typed."""
    from django.conf import settings

    password = settings.ZHUAO_DEMO_PASSWORD
    page = Client().post("/accounts/login/", {"username": f"ci{hidden}ty", "password": password})
    assert page.status_code == 302
    api = APIClient().post(TOKEN, {"username": f"ci{hidden}ty", "password": password},
                           format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and "invisible" in api.json()["detail"]
    wrong = APIClient().post(TOKEN, {"username": "city", "password": password + hidden},
                             format="json")
    assert wrong.status_code == 400
