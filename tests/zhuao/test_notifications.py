import pytest
from django.core import mail
from django.urls import reverse

from core.models import LiaisonRole, Notification
from core.notifications import current_liaisons, liaison_users, notify_users, role_users

pytestmark = pytest.mark.django_db


def test_notify_users_writes_inbox_and_mails_after_commit(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_users(recipients=[users["macau"], users["macau"], users["city"]],
                     title="紧急通报", body="请确认", url="/inbox/")
    assert Notification.objects.filter(title="紧急通报").count() == 2
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_inbox_shows_only_own_messages_and_badge(client_for, users):
    notify_users(recipients=[users["macau"]], title="给澳门", email=False)
    notify_users(recipients=[users["hengqin"]], title="给横琴", email=False)
    page = client_for("macau").get(reverse("inbox")).content.decode()
    assert "给澳门" in page and "给横琴" not in page
    assert 'badge badge--count' in client_for("macau").get(reverse("home")).content.decode()


def test_opening_a_message_marks_it_read_and_others_cannot(client_for, users):
    [notification] = notify_users(recipients=[users["macau"]], title="x", url="/inbox/", email=False)
    response = client_for("hengqin").get(reverse("inbox_open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at is None and response["Location"] == reverse("inbox")
    client_for("macau").get(reverse("inbox_open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_external_links_are_not_followed(client_for, users):
    [notification] = notify_users(recipients=[users["macau"]], title="x",
                                  url="https://evil.example/", email=False)
    response = client_for("macau").get(reverse("inbox_open", args=[notification.pk]))
    assert response["Location"] == reverse("inbox")


def test_liaison_roster_lookup(agencies, users):
    assert liaison_users(agencies["mo-ias"]) == [users["macau"]]
    assert liaison_users(agencies["mo-ias"], role=LiaisonRole.BACKUP) == [users["macau_backup"]]
    assert current_liaisons(agencies["mo-ias"]).count() == 2
    assert set(role_users("finance_officer")) == {users["finance"]}
