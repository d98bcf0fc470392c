"""IAS hands over the roster (issue 25): a full roster suspends whoever is missing from it
until a civil-affairs officer reinstates them; a partial roster suspends nobody."""
from datetime import date

import pytest
from django.urls import reverse

from remittance import services
from remittance.models import ImportRun, Recipient, RecipientStatus
from remittance.selectors import recipients_suspended_by
from core.errors import ApplicationError
from core.models import AuditEvent, Notification

from remittance_factories import activated, csv_bytes, row, upload

pytestmark = pytest.mark.django_db


def _upload_and_commit(actor, rows, *, full: bool) -> ImportRun:
    run = services.roster_import_preview(actor=actor, uploaded_file=upload(csv_bytes(rows)),
                                         is_full_roster=full)
    assert run.error_count == 0, run.preview["errors"]
    return services.roster_import_commit(actor=actor, import_run=run)


def _prepare(users, period=date(2022, 7, 1)):
    return services.batch_prepare(actor=users["city"], period=period, rate="0.87",
                                  rate_date=date(2022, 6, 30), rate_source="test")


def test_full_roster_from_macau_suspends_the_missing_and_tells_both_sides(users):
    activated(users["finwork"], [row(1), row(2), row(3)])
    run = _upload_and_commit(users["macau"], [row(1), row(3)], full=True)
    missing = Recipient.objects.get(ias_case_no="IAS-00002")
    assert missing.status == RecipientStatus.SUSPENDED
    assert missing.suspended_by_import == run
    assert set(Recipient.objects.exclude(pk=missing.pk).values_list("status", flat=True)) == {
        RecipientStatus.ACTIVE}
    assert run.summary["suspended"] == 1 and run.is_full_roster
    assert AuditEvent.objects.filter(action="recipient.suspend",
                                     object_id=str(missing.pk)).exists()
    told = set(Notification.objects.filter(kind="remittance.roster_suspend")
               .values_list("recipient__username", flat=True))
    assert {"macau", "city", "finwork"} <= told
    # no name of the recipient in what leaves the application
    assert not Notification.objects.filter(body__contains="陈2号").exists()
    assert not Notification.objects.filter(title__contains="陈2号").exists()
    # listed on the import run page for both sides
    assert list(recipients_suspended_by(users["macau"], run)) == [missing]
    assert list(recipients_suspended_by(users["city"], run)) == [missing]


def test_partial_roster_suspends_nobody(users):
    activated(users["finwork"], [row(1), row(2)])
    run = _upload_and_commit(users["macau"], [row(1, phone="13900000000")], full=False)
    assert run.summary["suspended"] == 0 and run.summary["changed"] == 1
    assert set(Recipient.objects.values_list("status", flat=True)) == {RecipientStatus.ACTIVE}
    assert not Notification.objects.filter(kind="remittance.roster_suspend").exists()


def test_suspended_recipient_is_not_paid_until_reinstated(users):
    activated(users["finwork"], [row(1), row(2)])
    _upload_and_commit(users["macau"], [row(1)], full=True)
    suspended = Recipient.objects.get(ias_case_no="IAS-00002")
    assert set(services.payable_recipients(date(2022, 7, 1)).values_list(
        "ias_case_no", flat=True)) == {"IAS-00001"}
    batch = _prepare(users)
    assert not batch.payments.filter(recipient=suspended).exists()
    assert batch.payment_count == 1
    # nobody but civil affairs confirms: not Macau, not Financial Work, not by a status change
    for username in ("macau", "finwork"):
        with pytest.raises(ApplicationError):
            services.recipient_reinstate(actor=users[username], recipient=suspended)
    with pytest.raises(ApplicationError):
        services.recipient_set_status(actor=users["finwork"], recipient=suspended,
                                      status=RecipientStatus.ACTIVE)
    suspended.refresh_from_db()
    assert suspended.status == RecipientStatus.SUSPENDED
    assert AuditEvent.objects.filter(action="recipient_reinstate.refused").exists()
    services.recipient_reinstate(actor=users["city"], recipient=suspended, note="核实仍在册")
    suspended.refresh_from_db()
    assert suspended.status == RecipientStatus.ACTIVE
    assert suspended.suspended_by_import_id is not None  # the history stays
    assert Notification.objects.filter(kind="remittance.roster_reinstate",
                                       recipient__username="macau").exists()
    later = _prepare(users, date(2022, 8, 1))
    assert later.payments.filter(recipient=suspended).exists()
    with pytest.raises(ApplicationError):  # only a suspended recipient is reinstated
        services.recipient_reinstate(actor=users["city"], recipient=suspended)


def test_full_roster_choice_on_the_upload_page_and_reinstate_from_the_run_page(client_for,
                                                                               users):
    activated(users["finwork"], [row(1), row(2)])
    macau = client_for("macau")
    page = macau.get(reverse("remittance:import_list")).content.decode()
    assert 'name="roster"' in page and 'value="full"' in page
    response = macau.post(reverse("remittance:import_list"), {
        "file": upload(csv_bytes([row(1)]), "full.csv")})
    assert response.status_code == 200 and "roster" in response.context["form"].errors
    response = macau.post(reverse("remittance:import_list"), {
        "file": upload(csv_bytes([row(1)]), "full.csv"), "roster": "full"})
    run = ImportRun.objects.get(original_name="full.csv")
    assert run.is_full_roster
    macau.post(reverse("remittance:import_detail", args=[run.pk]), {"action": "commit"})
    run.refresh_from_db()
    assert run.status == "committed"
    for username in ("macau", "city"):
        page = client_for(username).get(reverse("remittance:import_detail", args=[run.pk]))
        assert "IAS-00002" in page.content.decode().split('id="import-suspended"')[1]
    suspended = Recipient.objects.get(ias_case_no="IAS-00002")
    assert client_for("macau").post(reverse("remittance:recipient_action",
                                            args=[suspended.pk, "reinstate"])).status_code == 403
    client_for("city").post(reverse("remittance:recipient_action",
                                    args=[suspended.pk, "reinstate"]), {"reinstate-note": ""})
    suspended.refresh_from_db()
    assert suspended.status == RecipientStatus.ACTIVE


def test_full_roster_over_the_api(api_client_for, users):
    activated(users["finwork"], [row(1), row(2)])
    client = api_client_for("macau")
    run = client.post("/api/v1/remittance/imports/", {
        "file": upload(csv_bytes([row(2)]), "r.csv"), "full_roster": "true"},
        format="multipart").json()
    assert run["is_full_roster"] is True
    assert client.post(f"/api/v1/remittance/imports/{run['id']}/commit/").json()[
        "summary"]["suspended"] == 1
    suspended = Recipient.objects.get(ias_case_no="IAS-00001")
    url = f"/api/v1/remittance/recipients/{suspended.pk}/reinstate/"
    assert client.post(url, {}).status_code == 403
    assert api_client_for("city").post(url, {}).json()["status"] == "active"
