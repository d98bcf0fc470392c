import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from core.audit import audit_record
from core.models import AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_agency_and_hides_secrets(users):
    event = audit_record(actor=users["city"], action="thing.change",
                         changes={"password": "hunter2", "status": "open"})
    assert event.agency_code == "zh-civil-affairs"
    assert event.changes == {"password": "***", "status": "open"}


def test_audit_rows_cannot_be_changed_through_the_orm(users):
    event = audit_record(actor=users["city"], action="thing.view")
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.postgres
def test_database_refuses_update_and_delete_of_audit_rows(users):
    event = audit_record(actor=users["city"], action="thing.view")
    for statement in ("UPDATE zhuao_auditevent SET summary = 'x' WHERE id = %s",
                      "DELETE FROM zhuao_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_refused_page_access_is_audited(client_for):
    response = client_for("district").get(reverse("audit_list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_username == "district" and event.outcome == AuditOutcome.DENIED


def test_audit_page_for_the_audit_administrator_filters(client_for, users):
    audit_record(actor=users["city"], action="case.view", object_type="cases.case", object_id="7")
    audit_record(actor=users["district"], action="case.export")
    response = client_for("auditadmin").get(reverse("audit_list"), {"actor": "city"})
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [row.action for row in rows] == ["case.view"]
    for other in ("admin", "secadmin"):  # the separated duties
        assert client_for(other).get(reverse("audit_list")).status_code == 403


def test_the_audit_administrator_searches_and_exports_and_both_are_audited(client_for, users):
    import csv
    import io

    audit_record(actor=users["city"], action="case.view", object_type="cases.case", object_id="7")
    audit_record(actor=users["city"], action="case.view", object_type="cases.case", object_id="8",
                 outcome=AuditOutcome.DENIED)
    client = client_for("auditadmin")
    filters = {"object_type": "cases.case", "outcome": "denied", "since": "2020-01-01"}
    page = client.get(reverse("audit_list"), {**filters, "sort": "action"})
    assert [row.object_id for row in page.context["page"]] == ["8"]
    response = client.get(reverse("audit_export"), {**filters, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][5] == "8"
    export = AuditEvent.objects.get(action="auditevent.export")
    assert export.actor_username == "auditadmin" and export.changes["rows"] == 1
    assert AuditEvent.objects.filter(action="audit.view", actor_username="auditadmin").exists()
    for other in ("admin", "secadmin", "city"):
        assert client_for(other).get(reverse("audit_export"), {"format": "csv"}).status_code \
            == 403


def test_anonymous_audit_page_redirects_to_login(db):
    from django.test import Client

    response = Client().get(reverse("audit_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_many_events_at_once_carry_what_one_event_carries(users):
    from core.audit import audit_records

    one = audit_record(actor=users["finwork"], action="recipient.change", object_type="x",
                       object_id="1", changes={"amount": 3, "token": "abc"})
    audit_records(actor=users["finwork"], action="recipient.change",
                  entries=[("x", "2", {"amount": 3, "token": "abc"}), ("x", "3", {})])
    many = (AuditEvent.objects.filter(object_type="x", object_id__in=["2", "3"])
            .order_by("object_id"))
    fields = ("actor_id", "actor_username", "agency_code", "action", "object_type")
    assert [tuple(getattr(event, f) for f in fields) for event in many] == [
        tuple(getattr(one, f) for f in fields)] * 2
    assert many[0].changes == one.changes == {"amount": 3, "token": "***"}
