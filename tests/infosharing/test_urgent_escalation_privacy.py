"""Issue 23, finding 3: an urgent notification's escalation to the leadership carries what
happened, where to act and how late — never the person's name nor the reporter's words — and
the notification's page and its API record give every role the same answer (both shown, or
both refused), with the person and the free text hidden alike from a role that may not see
them."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from infosharing.models import EmergencyKind
from infosharing.services import urgent_notification_send, urgent_recipient_escalate
from core.models import Notification

pytestmark = pytest.mark.django_db

DESCRIPTION = "突发脑溢血，送往珠海市人民医院，家属电话13800138000"
ROLES = ["anonymous", "city", "district", "district2", "finance", "finwork", "macau",
         "macau_backup", "hengqin", "ngo", "ngo2", "leader", "admin"]
API = "/api/v1/infosharing/urgent-notifications/"


@pytest.fixture
def escalated(users, agencies, person, django_capture_on_commit_callbacks):
    """Sent by Xiangzhou to Macau and the city bureau, unacknowledged, escalated twice: the
    city bureau's level 2 is its leader, Macau's the agency's address and the city liaison."""
    with django_capture_on_commit_callbacks(execute=True):
        notification = urgent_notification_send(
            actor=users["district"], person=person, kind=EmergencyKind.HOSPITALISATION,
            occurred_at=timezone.now(), description=DESCRIPTION,
            agencies=[agencies["mo-ias"], agencies["zh-civil-affairs"]])
    for recipient in notification.recipients.all():
        later = recipient.ack_due_at + timedelta(seconds=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert urgent_recipient_escalate(recipient_id=recipient.pk, now=later)
        with django_capture_on_commit_callbacks(execute=True):
            assert urgent_recipient_escalate(recipient_id=recipient.pk,
                                             now=later + timedelta(hours=3))
    return notification


def _secrets(person):
    return [person.name_zh, DESCRIPTION, "13800138000", "脑溢血",
            *(value for value in (person.name_latin, person.phone, person.address) if value)]


def test_escalation_inbox_and_email_carry_no_name_nor_free_text(escalated, person, users):
    escalations = Notification.objects.filter(kind="infosharing.urgent",
                                              title__contains=escalated.number)
    leader = escalations.filter(recipient=users["leader"]).get()
    assert escalated.number in leader.title and leader.url.endswith(f"/urgent/{escalated.pk}/")
    assert "住院" in leader.title  # what happened (the kind), in the agency's language
    due = escalated.recipients.get(agency__code="zh-civil-affairs").ack_due_at
    from django.utils import translation

    from zhuao.formats import datetime_display
    with translation.override("zh-hans"):  # the language the notice was written in
        assert datetime_display(due) in leader.body  # how late
    macau = escalated.recipients.get(agency__code="mo-ias").agency
    assert any(message.to == [macau.email] for message in mail.outbox), (
        "Macau's level 2 goes to the agency's own address")
    texts = [f"{n.title}\n{n.body}" for n in escalations] + [
        f"{message.subject}\n{message.body}" for message in mail.outbox]
    for text in texts:
        for secret in _secrets(person):
            assert secret not in text, (secret, text)


def _classify(status: int) -> str:
    return "shown" if status == 200 else "refused"


@pytest.mark.parametrize("role", ROLES)
def test_page_and_api_answer_alike(role, escalated, person, client_for, api_client_for):
    page = client_for(role).get(f"/infosharing/urgent/{escalated.pk}/")
    api = api_client_for(role).get(f"{API}{escalated.pk}/")
    assert page.status_code in (200, 302, 403, 404) and api.status_code in (200, 401, 403, 404)
    assert _classify(page.status_code) == _classify(api.status_code), (
        role, page.status_code, api.status_code)
    if api.status_code != 200:
        return
    shows_person = api.json()["person"] is not None
    html = page.content.decode()
    assert (person.name_zh in html) == shows_person
    assert (DESCRIPTION in html) == shows_person
    assert (api.json()["description"] == DESCRIPTION) == shows_person
    assert api.json()["number"] == escalated.number and escalated.number in html


def test_the_escalated_leader_sees_the_record_without_the_person(escalated, person, client_for,
                                                                 api_client_for):
    page = client_for("leader").get(f"/infosharing/urgent/{escalated.pk}/")
    api = api_client_for("leader").get(f"{API}{escalated.pk}/")
    assert page.status_code == 200 and api.status_code == 200
    assert api.json()["person"] is None and api.json()["description"] is None
    html = page.content.decode()
    for secret in _secrets(person):
        assert secret not in html
    home = client_for("leader").get("/").content.decode()
    assert escalated.number in home and person.name_zh not in home
    # where to act: the leader may acknowledge for the agency, on the page or through the API
    assert api_client_for("leader").post(f"{API}{escalated.pk}/acknowledge/").status_code == 200


def test_before_escalation_the_leader_is_refused_by_page_and_api(users, agencies, person,
                                                                 client_for, api_client_for):
    notification = urgent_notification_send(
        actor=users["district"], person=person, kind=EmergencyKind.ACCIDENT,
        occurred_at=timezone.now(), description=DESCRIPTION,
        agencies=[agencies["zh-civil-affairs"]])
    assert client_for("leader").get(f"/infosharing/urgent/{notification.pk}/").status_code == 404
    assert api_client_for("leader").get(f"{API}{notification.pk}/").status_code == 404
    # nor is it waiting for the leader's acknowledgement on the home page
    assert notification.number not in client_for("leader").get("/").content.decode()
