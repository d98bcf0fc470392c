"""The purchasing side's review of service records (issue 27): approve, return with a note,
and approve several at once from the list."""
from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext

from partners import services
from partners.models import ServiceRecord, ServiceReviewStatus
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome, Notification

pytestmark = pytest.mark.django_db


def _record(users, referral, worker, today, *, username="ngo", days_ago=1):
    services.referral_accept(actor=users[username], referral=referral)
    return services.service_record_create(
        actor=users[username], contract=referral.contract, worker=worker,
        service_date=today - timedelta(days=days_ago), service_type="home_visit",
        duration_minutes=60, outcome="良好", referral=referral)


@pytest.fixture
def kaifong_record(users, referrals, workers, today):
    """A Xiangzhou record of the Kaifong provider (district officer: "district")."""
    return _record(users, referrals["kaifong"], workers["kaifong"], today)


@pytest.fixture
def faom_record(users, referrals, workers, today):
    """A Doumen record of the FAOM provider (district officer: "district2")."""
    return _record(users, referrals["faom"], workers["faom"], today, username="ngo2")


def test_a_new_record_awaits_review(kaifong_record):
    assert kaifong_record.review_status == ServiceReviewStatus.PENDING
    assert kaifong_record.get_review_status_display()


def test_district_officer_approves(users, kaifong_record):
    record = services.service_record_approve(actor=users["district"], record=kaifong_record)
    record.refresh_from_db()
    assert record.review_status == ServiceReviewStatus.APPROVED
    assert record.reviewed_by == users["district"] and record.reviewed_at is not None
    assert AuditEvent.objects.filter(action="servicerecord.approve", object_id=str(record.pk),
                                     outcome=AuditOutcome.SUCCESS).exists()


def test_district_officer_returns_with_a_note_and_the_provider_is_told(users, kaifong_record):
    with pytest.raises(ApplicationError) as caught:
        services.service_record_return(actor=users["district"], record=kaifong_record, note=" ")
    assert caught.value.field == "note"
    record = services.service_record_return(actor=users["district"], record=kaifong_record,
                                            note="时长与家访记录不符")
    record.refresh_from_db()
    assert record.review_status == ServiceReviewStatus.RETURNED
    assert record.review_note == "时长与家访记录不符"
    assert AuditEvent.objects.filter(action="servicerecord.return",
                                     object_id=str(record.pk)).exists()
    sent = Notification.objects.filter(recipient=users["ngo"],
                                       kind="partners.service_record_returned")
    assert sent.count() == 1
    # the note stays on the page: it is not in the message
    assert "家访记录" not in sent.get().title + sent.get().body
    assert not Notification.objects.filter(recipient=users["ngo2"],
                                           kind="partners.service_record_returned").exists()


@pytest.mark.parametrize("username", ["ngo", "ngo2", "finance", "macau"])
def test_refused_for_others_than_officers(users, kaifong_record, username):
    with pytest.raises(ApplicationError) as caught:
        services.service_record_approve(actor=users[username], record=kaifong_record)
    assert caught.value.status == 403
    kaifong_record.refresh_from_db()
    assert kaifong_record.review_status == ServiceReviewStatus.PENDING
    assert AuditEvent.objects.filter(object_id=str(kaifong_record.pk),
                                     outcome=AuditOutcome.DENIED).exists()


def test_refused_for_another_district(users, kaifong_record):
    with pytest.raises(ApplicationError) as caught:
        services.service_record_return(actor=users["district2"], record=kaifong_record,
                                       note="不符")
    assert caught.value.status == 403
    kaifong_record.refresh_from_db()
    assert kaifong_record.review_status == ServiceReviewStatus.PENDING


def test_refused_once_reviewed(users, kaifong_record):
    services.service_record_approve(actor=users["city"], record=kaifong_record)
    for review in (lambda: services.service_record_approve(actor=users["district"],
                                                           record=kaifong_record),
                   lambda: services.service_record_return(actor=users["district"],
                                                          record=kaifong_record, note="不符")):
        with pytest.raises(ApplicationError) as caught:
            review()
        assert caught.value.status == 409
    assert ServiceRecord.objects.get(pk=kaifong_record.pk).reviewed_by == users["city"]


def test_list_shows_the_review_and_ticks_for_officers(users, kaifong_record, client_for):
    page = client_for("district").get("/partners/service-records/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'action="/partners/service-records/approve/"' in body
    assert f'name="ids" value="{kaifong_record.pk}"' in body
    provider = client_for("ngo").get("/partners/service-records/").content.decode()
    assert "service-records/approve/" not in provider and 'name="ids"' not in provider


def test_bulk_approve_with_mixed_items(users, kaifong_record, faom_record, workers, today,
                                       client_for):
    done = services.service_record_create(
        actor=users["ngo"], contract=kaifong_record.contract, worker=workers["kaifong"],
        service_date=today - timedelta(days=2), service_type="home_visit", duration_minutes=30,
        referral=kaifong_record.referral)
    services.service_record_approve(actor=users["district"], record=done)
    client = client_for("district")
    ids = [kaifong_record.pk, faom_record.pk, done.pk]
    confirm = client.post("/partners/service-records/approve/", {"ids": ids})
    assert confirm.status_code == 200
    result = client.post("/partners/service-records/approve/", {"ids": ids, "confirm": "1"})
    assert result.status_code == 200
    outcome = result.context["result"]
    assert outcome.counts == {"succeeded": 1, "refused": 2}
    reasons = {item.pk: item.reason for item in outcome.refused}
    with translation.override(result.wsgi_request.LANGUAGE_CODE):
        assert reasons[faom_record.pk] == gettext("Not found.")
    assert faom_record.worker.name not in result.content.decode()
    assert reasons[done.pk] and reasons[done.pk] != reasons[faom_record.pk]
    assert ServiceRecord.objects.get(pk=kaifong_record.pk).review_status == "approved"
    assert ServiceRecord.objects.get(pk=faom_record.pk).review_status == "pending"


def test_bulk_approve_with_nothing_ticked_is_a_clear_400(client_for):
    response = client_for("city").post("/partners/service-records/approve/", {})
    assert response.status_code == 400


def test_list_and_export_filter_by_review_status(users, kaifong_record, workers, today,
                                                 client_for):
    done = services.service_record_create(
        actor=users["ngo"], contract=kaifong_record.contract, worker=workers["kaifong"],
        service_date=today - timedelta(days=2), service_type="home_visit", duration_minutes=30,
        referral=kaifong_record.referral)
    services.service_record_approve(actor=users["city"], record=done)
    client = client_for("district")
    pending = client.get("/partners/service-records/", {"review_status": "pending"})
    assert [record.pk for record in pending.context["page"]] == [kaifong_record.pk]
    approved = client.get("/partners/service-records/", {"review_status": "approved"})
    assert [record.pk for record in approved.context["page"]] == [done.pk]
    everything = client.get("/partners/service-records/", {"review_status": "nonsense"})
    assert everything.status_code == 200
