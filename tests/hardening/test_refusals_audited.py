"""A refused workflow step leaves an audit row (outcome "denied") even though the step's own
transaction rolled back; nothing else of it remains (issue 23, finding 10)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tempaid import services
from tempaid.models import Application, Status
from core.audit import refusals_audited
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tempaid"))
import tempaid_factories as factories  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(users):
    factories.policy(users["city"])
    factories.fund(users["finance"])
    case = factories.case(users["district"])
    return factories.application(users["district"], case, review=False)


def test_a_refused_step_by_the_service_is_audited_as_denied(users, application):
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.application_review_start(actor=users["city"], application=application)
    assert refused.value.status == 403
    row = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert row.outcome == AuditOutcome.DENIED
    assert row.action == "application_review_start.refused"
    assert (row.object_type, row.object_id) == ("tempaid.application", str(application.pk))
    assert row.actor_username == "city" and row.changes["status"] == 403
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_step_refused_for_the_state_of_the_record_is_audited(users, application):
    services.application_review_start(actor=users["district"], application=application)
    with pytest.raises(ApplicationError) as refused:  # already in review
        services.application_review_start(actor=users["district"], application=application)
    assert refused.value.status == 409
    assert AuditEvent.objects.filter(action="application_review_start.refused",
                                     outcome=AuditOutcome.DENIED).count() == 1


def test_refusals_through_the_api_and_the_pages_are_audited(users, application, client_for,
                                                           api_client_for):
    denied = AuditEvent.objects.filter(outcome=AuditOutcome.DENIED,
                                       object_id=str(application.pk))
    response = api_client_for("city").post(
        f"/api/v1/tempaid/applications/{application.pk}/review/", {}, format="json")
    assert response.status_code == 403
    assert denied.filter(actor_username="city").count() == 1
    from django.urls import reverse

    response = client_for("city").post(reverse("tempaid:action",
                                               args=[application.pk, "review"]))
    assert response.status_code in (302, 400, 403)
    assert denied.filter(actor_username="city").count() == 2


def test_a_nested_refusal_is_audited_once_and_survives_the_outer_rollback(users):
    from django.db import transaction

    @refusals_audited
    @transaction.atomic
    def inner(*, actor):
        raise ApplicationError("no", code="forbidden", status=403)

    @refusals_audited
    @transaction.atomic
    def outer(*, actor):
        inner(actor=actor)

    with pytest.raises(ApplicationError):
        outer(actor=users["city"])
    assert list(AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).values_list(
        "action", flat=True)) == ["outer.refused"]

