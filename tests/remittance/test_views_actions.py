"""Page actions: refused users (anonymous, wrong agency, wrong role) change nothing; the allowed
user does. Maker–checker through the pages; navigation and home panels per role."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from remittance import services
from remittance.models import (
    Appointment,
    Batch,
    BatchStatus,
    ImportRun,
    ImportStatus,
    OnboardingStatus,
    Recipient,
)
from remittance.navigation import items
from remittance.selectors import batch_visible_to, payment_visible_to

from form_values import open_forms
from remittance_factories import activated, branch, checker, csv_bytes, import_rows, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(users):
    import_rows(users["finwork"], [row(1)])
    return Recipient.objects.get()


@pytest.mark.parametrize("username,expected", [("anonymous", 302), ("district2", 404),
                                               ("macau", 403), ("finance", 403),
                                               ("leader", 403)])
def test_refused_onboarding_changes_nothing(client_for, recipient, username, expected):
    url = reverse("remittance:recipient_action", args=[recipient.pk, "visit"])
    response = client_for(username).post(url, {"visit-visit_date": "2030-01-01",
                                               "visit-officers": "某人"})
    assert response.status_code == expected
    recipient.refresh_from_db()
    assert recipient.onboarding_status == OnboardingStatus.NOT_STARTED
    assert not recipient.onboarding_events.exists()


def test_district_officer_schedules_visit_and_bad_step_is_refused(client_for, recipient):
    client = client_for("district")
    url = reverse("remittance:recipient_action", args=[recipient.pk, "visit"])
    client.post(url, {"visit-visit_date": "2030-01-01", "visit-officers": "李专员"})
    recipient.refresh_from_db()
    assert recipient.onboarding_status == OnboardingStatus.VISIT_SCHEDULED
    response = client.post(reverse("remittance:recipient_action", args=[recipient.pk,
                                                                         "activate"]),
                           {"activate-on_date": "2022-01-01"}, follow=True)
    assert "不能由" in response.content.decode()  # the transition is refused, in Chinese
    recipient.refresh_from_db()
    assert recipient.onboarding_status == OnboardingStatus.VISIT_SCHEDULED


def test_appointment_booking_refused_and_allowed(client_for, recipient, users):
    bank = branch(users["finwork"])
    data = {"appointment-branch": bank.pk, "appointment-scheduled_at": "2031-01-05T10:00",
            "appointment-purpose": "open_card"}
    url = reverse("remittance:appointment_create", args=[recipient.pk])
    assert client_for("district2").post(url, data).status_code == 404
    assert client_for("macau").post(url, data).status_code == 403
    assert not Appointment.objects.exists()
    client_for("district").post(url, data)
    appointment = Appointment.objects.get()
    client_for("finwork").post(reverse("remittance:appointment_outcome", args=[appointment.pk]),
                               {"status": "served", "outcome": "已开卡"})
    appointment.refresh_from_db()
    assert appointment.status == "served"


def test_import_through_pages(client_for, users):
    client = client_for("finwork")
    response = client.post(reverse("remittance:import_list"), {
        "file": SimpleUploadedFile("r.csv", csv_bytes([row(1), row(2, monthly_amount_mop="0")])),
        "roster": "partial"})
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("remittance:import_detail", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "每月援助金额" in page and "id=\"commit-import\"" not in page
    client.post(reverse("remittance:import_detail", args=[run.pk]), {"action": "commit"})
    assert Recipient.objects.count() == 0
    response = client.post(reverse("remittance:import_list"), {
        "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF"), "roster": "partial"})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    client.post(reverse("remittance:import_list"), {
        "file": SimpleUploadedFile("r.csv", csv_bytes([row(1)])), "roster": "partial"})
    good = ImportRun.objects.filter(error_count=0).get()
    assert client_for("district").post(reverse("remittance:import_detail", args=[good.pk]),
                                       {"action": "commit"}).status_code == 403
    client.post(reverse("remittance:import_detail", args=[good.pk]), {"action": "commit"})
    good.refresh_from_db()
    assert good.status == ImportStatus.COMMITTED and Recipient.objects.count() == 1


def test_maker_checker_through_pages(client_for, users):
    from tests.two_factor_clients import VerifiedClient as Client

    activated(users["finwork"], [row(1)])
    for refused in ("finwork", "finance"):  # only civil affairs prepares
        client_for(refused).post(reverse("remittance:batch_list"), {
            "period": "2022-07", "rate": "0.87", "rate_date": "2022-06-30", "rate_source": "中行"})
    assert not Batch.objects.exists()
    client = client_for("city")
    response = client.post(reverse("remittance:batch_list"), {
        "period": "2022-07", "rate": "０.８７", "rate_date": "2022-06-30", "rate_source": "中行"})
    batch = Batch.objects.get()
    assert batch.rate == __import__("decimal").Decimal("0.87")
    decide = reverse("remittance:batch_decide", args=[batch.pk])
    approve = {"action": "approve", "confirm": "yes"}
    client.post(decide, approve)  # the maker: refused
    for username in ("finwork", "finance", "district", "macau", "leader"):
        assert client_for(username).post(decide, approve).status_code == 403
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED
    second = Client()
    second.force_login(checker())
    unconfirmed = second.post(decide, {"action": "approve"})  # not from the check page
    assert unconfirmed["Location"] == reverse("remittance:batch_check", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED
    second.post(decide, approve)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED and batch.approved_by == checker()
    assert client_for("finance").post(reverse("remittance:batch_bank_file",
                                              args=[batch.pk])).status_code == 403
    download = client_for("finwork").post(reverse("remittance:batch_bank_file", args=[batch.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert response.status_code == 302


def test_city_maker_sees_refusal_message(client_for, users):
    activated(users["finwork"], [row(1)])
    batch = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                                   rate_date=date(2022, 6, 30), rate_source="x")
    response = client_for("city").post(reverse("remittance:batch_decide", args=[batch.pk]),
                                       {"action": "approve", "confirm": "yes"}, follow=True)
    assert "制单人不能复核" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED


def test_batch_and_payment_visibility_exact_sets(users):
    activated(users["finwork"], [row(1), row(2, district="斗门区", macau_id="5000002(2)")])
    batch = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                                   rate_date=date(2022, 6, 30), rate_source="x")
    for username in ("city", "finwork", "macau"):
        assert list(batch_visible_to(users[username])) == [batch]
        assert payment_visible_to(users[username]).count() == 2
    for username in ("finance", "district", "district2", "leader", "ngo", "hengqin", "admin"):
        assert not batch_visible_to(users[username]).exists()
    assert set(payment_visible_to(users["district"]).values_list(
        "recipient__ias_case_no", flat=True)) == {"IAS-00001"}
    assert set(payment_visible_to(users["district2"]).values_list(
        "recipient__ias_case_no", flat=True)) == {"IAS-00002"}
    for username in ("finance", "leader", "ngo", "hengqin"):
        assert not payment_visible_to(users[username]).exists()


def test_navigation_per_role_and_home_panels(client_for, users):
    names = {username: {item.url_name for item in items(users[username])}
             for username in ("city", "finwork", "finance", "district", "macau", "leader", "ngo",
                              "hengqin")}
    assert names["ngo"] == names["hengqin"] == set()
    assert names["leader"] == {"remittance:coverage"}
    assert "remittance:import_list" in names["finwork"]
    assert "remittance:import_list" in names["macau"]  # IAS hands over its roster
    assert "remittance:import_list" not in names["district"]
    assert names["finance"] == set()  # the Finance bureau has no part in the remittance
    activated(users["finwork"], [row(1)])
    services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                           rate_date=date(2022, 6, 30), rate_source="x")
    from tests.two_factor_clients import VerifiedClient as Client

    second = Client()
    second.force_login(checker())
    assert "待您复核的发放批次" in second.get("/").content.decode()
    for username in ("city", "finwork", "finance"):  # the maker does not check its own batch
        assert "待您复核的发放批次" not in client_for(username).get("/").content.decode()


def test_a_rate_jump_is_confirmed_on_the_form(client_for, users):
    activated(users["finwork"], [row(1)])
    july = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                                  rate_date=date(2022, 6, 30), rate_source="x")
    client = client_for("city")
    body = {"period": "2022-08", "rate": "8.7", "rate_date": "2022-07-29", "rate_source": "中行"}
    response = client.post(reverse("remittance:batch_list"), body)
    assert response.status_code == 200
    assert july.number in response.context["form"].errors["rate_confirmed"][0]
    assert "请检查是否输入有误" in response.content.decode()
    assert Batch.objects.count() == 1
    response = client.post(reverse("remittance:batch_list"), {**body, "rate_confirmed": "on"})
    assert response.status_code == 302 and Batch.objects.count() == 2


def test_batch_check_page_shows_totals_rate_and_changes_then_confirms(client_for, users):
    """The checker sees the count, the MOP and CNY totals, the rate and its date, and who was
    added or dropped since the previous month's batch, confirms, and lands on a confirmation
    page; nothing is approved by looking."""
    from tests.two_factor_clients import VerifiedClient as Client

    from core.models import AuditEvent

    activated(users["finwork"], [row(1), row(2)])
    second = Client()
    second.force_login(checker())
    july = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                                  rate_date=date(2022, 6, 30), rate_source="中行")
    services.batch_approve(actor=checker(), batch=july)
    services.recipient_set_status(actor=users["finwork"],
                                  recipient=Recipient.objects.get(ias_case_no="IAS-00002"),
                                  status="suspended", note="")
    activated(users["finwork"], [row(3)])
    august = services.batch_prepare(actor=users["city"], period=date(2022, 8, 1),
                                    rate="0.88", rate_date=date(2022, 7, 29), rate_source="中行")
    url = reverse("remittance:batch_check", args=[august.pk])
    page = second.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-check="count">2<' in body
    assert "MOP 6,901.00" in body and f"¥{august.total_cny:,.2f}" in body
    assert "0.880000" in body and "2022年7月29日" in body
    changes = page.context["changes"]
    assert changes.previous == july and changes.added_count == 1 and changes.dropped_count == 1
    assert [r["recipient__ias_case_no"] for r in changes.added] == ["IAS-00003"]
    assert [r["recipient__ias_case_no"] for r in changes.dropped] == ["IAS-00002"]
    assert "陈3号" in body and "陈2号" in body
    august.refresh_from_db()
    assert august.status == BatchStatus.PREPARED
    response = second.post(reverse("remittance:batch_decide", args=[august.pk]),
                           {"action": "approve", "confirm": "yes"})
    assert response["Location"] == reverse("remittance:batch_approved", args=[august.pk])
    august.refresh_from_db()
    assert august.status == BatchStatus.APPROVED
    done = second.get(response["Location"])
    assert done.status_code == 200 and "data-confirmation" in done.content.decode()
    assert AuditEvent.objects.filter(action="batch.approve", object_id=str(august.pk)).exists()
    # once approved, the check page sends the officer back to the batch
    assert second.get(url).status_code == 302


def test_batch_check_page_permissions(client_for, users):
    activated(users["finwork"], [row(1)])
    batch = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                                   rate_date=date(2022, 6, 30), rate_source="x")
    url = reverse("remittance:batch_check", args=[batch.pk])
    assert client_for("anonymous").get(url).status_code == 302
    for username in ("finwork", "finance", "district", "macau", "leader"):
        assert client_for(username).get(url).status_code == 403, username
    maker = client_for("city").get(url, follow=True)  # the maker is sent back, told why
    assert "制单人不能复核" in maker.content.decode()
    approved = reverse("remittance:batch_approved", args=[batch.pk])
    assert client_for("finwork").get(approved).status_code == 403
    assert client_for("city").get(approved).status_code == 302  # not approved yet
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED


def test_batch_month_defaults_to_the_first_unpaid_month(client_for, users):
    from remittance.selectors import first_unpaid_month

    today = date(2022, 9, 15)
    assert first_unpaid_month(today) == date(2022, 9, 1)
    activated(users["finwork"], [row(1)])
    services.batch_prepare(actor=users["city"], period=date(2022, 7, 1), rate="0.87",
                           rate_date=date(2022, 6, 30), rate_source="x")
    assert first_unpaid_month(today) == date(2022, 8, 1)
    page = client_for("city").get(reverse("remittance:batch_list")).content.decode()
    assert 'name="period" value="2022-08"' in page


def test_partial_roster_result_is_a_summary_with_details_folded(client_for, users):
    """A partial file: counts first, what "partial" means and that the others are not touched;
    the case numbers only inside <details>, never a wall of numbers."""
    from remittance_factories import upload

    import_rows(users["finwork"], [row(n) for n in range(1, 31)])
    client = client_for("finwork")
    client.post(reverse("remittance:import_list"), {
        "file": upload(csv_bytes([row(1, phone="13900000000"), row(2), row(31)]), "part.csv"),
        "roster": "partial"})
    run = ImportRun.objects.get(original_name="part.csv")
    page = client.get(reverse("remittance:import_detail", args=[run.pk])).content.decode()
    summary = page.split('id="import-summary"')[1].split("</table>")[0]
    for kind, count in (("added", 1), ("changed", 1), ("unchanged", 1), ("disappeared", 28),
                        ("errors", 0)):
        assert f'data-count="{kind}">{count}<' in summary, kind
    explained = page.split('id="import-roster-explained">')[1].split("</p>")[0]
    assert "28" in explained and "暂停" in explained  # says that nobody is suspended
    # the 28 case numbers are folded away
    before_details = page.split("<details")[0]
    assert "IAS-00030" not in before_details and "IAS-00030" in page
    client.post(reverse("remittance:import_detail", args=[run.pk]), {"action": "commit"})
    assert Recipient.objects.filter(status="active").count() == 31  # nobody suspended


def test_the_recipient_page_opens_each_step_from_its_button(client_for, recipient):
    """The onboarding steps, the appointment, the roster status: each form behind its own
    button (a disclosure), opened again when it comes back with an error."""
    client = client_for("district")
    page = client.get(reverse("remittance:recipient_detail", args=[recipient.pk]))
    assert page.status_code == 200 and open_forms(page.content.decode()) == []
    refused = client.post(reverse("remittance:recipient_action", args=[recipient.pk, "visit"]),
                          {"visit-visit_date": "not a date"})
    assert refused.status_code in (200, 400)  # the page again, with the form's error
    assert '<details class="disclosure" id="visit-step" open>' in refused.content.decode()
