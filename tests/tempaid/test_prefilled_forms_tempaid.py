"""The fund page's forms submitted as prefilled: no date refused for its format (issue 26)."""
import pytest
from django.urls import reverse

from form_values import date_format_errors, prefilled

pytestmark = pytest.mark.django_db


def test_statement_and_allocation_forms_as_prefilled(client_for, fund):
    page = client_for("finance").get(reverse("tempaid:fund")).content.decode()
    statement = prefilled(page, action=reverse("tempaid:statement"))
    response = client_for("finance").get(reverse("tempaid:statement"), statement)
    assert response.status_code == 200 and date_format_errors(response) == []
    assert response.context["statement"] is not None
    statement_page = response.content.decode()
    again = prefilled(statement_page, action="")
    assert date_format_errors(client_for("finance").get(reverse("tempaid:statement"),
                                                        again)) == []
