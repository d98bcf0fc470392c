"""Odd page numbers and record ids in the address never reach the database as a server error
(issue 23, finding 6): every list of the pages and the API, as every role that reads it, with a
page number past a bigint, one past the last page and digits ``int`` refuses."""
import pytest
from django.urls import reverse

from core.db import BIGINT_MAX, record_id

from .matrix_engine import ROLES, Clients, routes
from .permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

ODD_PAGES = ("99999999999999999999", str(2 ** 63), "1000000001", "²", "-1", "0", "1e3", "")


def test_record_id_accepts_only_ascii_digits_within_a_bigint():
    assert record_id("42") == 42 and record_id(str(BIGINT_MAX)) == BIGINT_MAX
    for raw in ("", None, "0", "-3", "²", "١٢", "4.0", " 4", str(BIGINT_MAX + 1), "9" * 40):
        assert record_id(raw) is None, raw


def test_every_list_answers_an_odd_page_number_without_a_server_error(seeded_media):
    clients = Clients(seeded_media)
    lists = [route for route in routes() if not route.parameters
             and MATRIX.get(route.name, (None,))[0] == "GET"]
    assert len(lists) > 40
    errors = []
    for route in lists:
        readers = [role for role, cell in zip(ROLES, MATRIX[route.name][1], strict=True)
                   if cell == "A" and role != "anonymous"][:3]
        path = reverse(route.name)
        for role in readers:
            client = clients(role, api=route.is_api)
            for page in ODD_PAGES:
                response = client.get(path, {"page": page})
                if response.status_code >= 500:
                    errors.append(f"{path}?page={page} as {role}: {response.status_code}")
                elif route.is_api and page in ODD_PAGES[:3] and response.status_code != 404 \
                        and "results" in str(response.content[:200]):
                    errors.append(f"{path}?page={page} as {role}: {response.status_code}, "
                                  "not 404")
    assert errors == [], "\n".join(errors)
