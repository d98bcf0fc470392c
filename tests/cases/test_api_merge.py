"""Person merges in the API (issue 24): propose as any role that sees both people (a Macau
liaison included), merge or reject as a city officer, undo; refusals audited; a merged person
takes no new records in any workstream."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services as case_services
from cases.models import Case, PersonMerge, PersonMergeStatus
from infosharing import services as info_services
from tests.infosharing.infosharing_factories import make_person
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/merges/"


@pytest.fixture
def pair(users, agencies):
    """Two records of one person, each with a case shared with the Macau IAS."""
    people = (make_person(users["district"], name="陈大文"),
              make_person(users["district"], name="陳大文"))
    for person in people:
        case = case_services.case_open(actor=users["district"], subject=person, category="other")
        case_services.case_share(actor=users["district"], case=case, agency=agencies["mo-ias"],
                                 reason="跨境核查")
    return people


def _propose(client, first, second, **extra):
    return client.post(URL, {"survivor": first.pk, "duplicate": second.pk, "reason": "同一人",
                             **extra}, format="json")


def test_a_macau_liaison_proposes_and_a_city_officer_merges_then_undoes(api_client_for, pair):
    first, second = pair
    proposed = _propose(api_client_for("macau"), first, second)
    assert proposed.status_code == 201, proposed.content
    body = proposed.json()
    assert (body["status"], body["proposed_by"]) == ("proposed", "macau")
    assert body["survivor_name"] == "陈大文" and body["duplicate_name"] == "陳大文"

    decided = api_client_for("city").post(f"{URL}{body['id']}/decide/", {"approve": True},
                                          format="json")
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "merged"
    assert decided.json()["moved"]["cases.case.subject"] == 1
    assert Case.objects.filter(subject=first).count() == 2

    undone = api_client_for("city").post(f"{URL}{body['id']}/undo/", {}, format="json")
    assert undone.json()["status"] == "undone"
    assert Case.objects.filter(subject=second).count() == 1


def test_only_a_city_officer_decides_and_the_refusal_is_audited(api_client_for, pair):
    proposal = _propose(api_client_for("district"), *pair).json()
    refused = api_client_for("district").post(f"{URL}{proposal['id']}/decide/",
                                              {"approve": True}, format="json")
    assert refused.status_code == 403
    assert PersonMerge.objects.get(pk=proposal["id"]).status == PersonMergeStatus.PROPOSED
    assert AuditEvent.objects.filter(action="access.denied",
                                     outcome=AuditOutcome.DENIED).exists()


def test_a_person_the_proposer_may_not_see_is_refused_as_missing(api_client_for, users, pair):
    hidden = make_person(users["district"], name="陈大文")  # not shared with Macau
    response = _propose(api_client_for("macau"), pair[0], hidden)
    assert response.status_code == 400 and "duplicate" in response.json()
    assert not PersonMerge.objects.exists()
    assert AuditEvent.objects.filter(action="person.view", outcome=AuditOutcome.DENIED,
                                     object_id=str(hidden.pk)).exists()


@pytest.mark.parametrize("username, status", [
    ("anonymous", 401), ("finance", 403), ("ngo", 403), ("leader", 403), ("admin", 403),
    ("macau", 200), ("city", 200)])
def test_who_reads_merges(api_client_for, pair, username, status):
    _propose(api_client_for("district"), *pair)
    response = api_client_for(username).get(URL, {"status": "proposed"})
    assert response.status_code == status
    if status == 200:
        assert len(response.json()["results"]) == 1


def test_a_merge_is_shown_only_to_who_sees_both_people(api_client_for, users, pair):
    other = make_person(users["district"], name="陈大文")
    proposal = _propose(api_client_for("district"), pair[0], other).json()
    assert api_client_for("macau").get(f"{URL}{proposal['id']}/").status_code == 404
    assert api_client_for("macau").get(URL).json()["results"] == []


def test_a_merged_person_takes_no_new_records_in_any_workstream(users, agencies, pair):
    first, second = pair
    from cases.merge import person_merge_decide, person_merge_propose

    proposal = person_merge_propose(actor=users["district"], survivor=first, duplicate=second)
    person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    second.refresh_from_db()
    scan = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attempts = {
        "case": lambda: case_services.case_open(actor=users["district"], subject=second,
                                                category="other"),
        "authorization": lambda: info_services.authorization_record(
            actor=users["district"], person=second, signatories="本人", categories=["identity"],
            sides=["macau"], valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31),
            scan=scan),
        "urgent notification": lambda: info_services.urgent_notification_send(
            actor=users["district"], person=second, kind="medical",
            occurred_at="2026-12-01T10:00:00+08:00", description="送院",
            agencies=[agencies["mo-ias"]]),
    }
    for what, attempt in attempts.items():
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.code == "person_merged", what
