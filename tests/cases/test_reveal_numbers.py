"""Numbers are masked on pages and in the API; the full number is revealed with a reason,
by the roles whose work needs it, audited and limited per hour (core.reveal)."""
import pytest
from django.urls import reverse

from cases import services
from core.errors import ApplicationError
from core.identity import mask
from core.models import AuditEvent

from cases_factories import person as make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(users):
    person = make_person(users["district"], district="xiangzhou")
    return person, person.documents.get()


def test_pages_and_api_show_the_number_masked(seeded, client_for, api_client_for):
    person, document = seeded
    for url in (reverse("cases:person_detail", args=[person.pk]),
                reverse("cases:identity_document_reveal", args=[person.pk, document.pk])):
        body = client_for("district").get(url).content.decode()
        assert document.number not in body
        assert mask(document.number) in body
    answer = api_client_for("district").get(reverse("cases-api:person-detail", args=[person.pk]))
    assert answer.status_code == 200
    assert document.number not in answer.content.decode()


def test_reveal_needs_a_reason_and_is_audited(seeded, client_for):
    person, document = seeded
    url = reverse("cases:identity_document_reveal", args=[person.pk, document.pk])
    client = client_for("district")
    form = client.get(url)
    assert form.status_code == 200 and document.number not in form.content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and document.number not in refused.content.decode()
    other = client.post(url, {"reason": "other", "note": ""})
    assert other.status_code == 400
    shown = client.post(url, {"reason": "counter_check"})
    assert shown.status_code == 200 and document.number in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    event = AuditEvent.objects.filter(action="identity_document.reveal").latest("pk")
    assert event.changes["reason"] == "counter_check"
    assert event.changes["number"] == mask(document.number)
    assert document.number not in str(event.changes)


@pytest.mark.parametrize("username", ["finance", "finwork", "ngo", "leader", "admin"])
def test_other_roles_are_refused(seeded, users, username):
    _person, document = seeded
    with pytest.raises(ApplicationError):
        services.identity_document_reveal(actor=users[username], document=document,
                                          reason="counter_check")
    assert AuditEvent.objects.filter(action="identity_document_reveal.refused",
                                     actor_id=users[username].pk).exists()


def test_the_hourly_limit_refuses_and_audits(seeded, users, settings):
    settings.REVEAL_LIMIT_PER_HOUR = 2
    _person, document = seeded
    for _ in range(2):
        services.identity_document_reveal(actor=users["district"], document=document,
                                          reason="verification")
    with pytest.raises(ApplicationError) as refused:
        services.identity_document_reveal(actor=users["district"], document=document,
                                          reason="verification")
    assert refused.value.code == "reveal_rate_limited"
    assert AuditEvent.objects.filter(action="identity_document_reveal.refused").exists()


def test_api_reveal(seeded, api_client_for):
    person, document = seeded
    url = reverse("cases-api:person-reveal-document", args=[person.pk, document.pk])
    assert api_client_for("district").post(url, {}, format="json").status_code == 400
    answer = api_client_for("district").post(url, {"reason": "counter_check"}, format="json")
    assert answer.status_code == 200 and answer.json()["number"] == document.number
    assert "no-store" in answer["Cache-Control"]
    assert api_client_for("leader").post(url, {"reason": "counter_check"},
                                         format="json").status_code in (403, 404)
