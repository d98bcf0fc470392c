"""The service-record form submitted as prefilled: the service date is not refused for its
format (issue 26)."""
import pytest
from django.urls import reverse

from form_values import date_format_errors, prefilled
from partners.models import ServiceRecord

pytestmark = pytest.mark.django_db


def test_service_record_form_as_prefilled(client_for, users, referrals, workers, today):
    from partners import services

    referral = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])
    url = reverse("partners:service_record_create")
    page = client_for("ngo").get(url, {"referral": referral.pk}).content.decode()
    values = prefilled(page, action="")
    assert values["service_date"] == today.isoformat()
    values.update({"worker": workers["kaifong"].pk, "service_type": "home_visit",
                   "duration": "1", "duration_unit": "hours"})
    response = client_for("ngo").post(url, values)
    assert date_format_errors(response) == []
    assert response.status_code == 302 and ServiceRecord.objects.filter(referral=referral).exists()
