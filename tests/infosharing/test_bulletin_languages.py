"""Issue 25, "Languages per side": a bulletin e-mailed to an agency's liaisons goes out in each
liaison's language setting (its subject, text and PDF), and its inbox message is read in the
reader's language, whatever language was active when it was sent."""
from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from infosharing.services import bulletin_email, bulletin_open, bulletin_publish
from core.models import Notification

pytestmark = pytest.mark.django_db


def test_bulletin_goes_out_in_each_liaisons_language(users, agencies, monkeypatch):
    monkeypatch.setattr("infosharing.services.bulletin_pdf",
                        lambda bulletin: translation.get_language().encode())
    users["macau_backup"].staff.language = "en"
    users["macau_backup"].staff.save(update_fields=["language"])
    with translation.override("zh-hans"):
        bulletin, created = bulletin_open(period_start=date(2026, 1, 1),
                                          period_end=date(2026, 1, 31))
        bulletin_publish(actor=users["city"], bulletin=bulletin)
        assert created and bulletin_email(bulletin_id=bulletin.pk)
    by_address = {address: message for message in mail.outbox for address in message.to}
    traditional = by_address[users["macau"].email]
    english = by_address[users["macau_backup"].email]
    assert traditional.subject.startswith("定期通報 ")
    assert traditional.attachments[0][1] == b"zh-hant"
    assert english.subject.startswith("Regular bulletin ")
    assert english.attachments[0][1] == b"en"
    assert len([message for message in mail.outbox
                if set(message.to) & {users["macau"].email, users["macau_backup"].email}]) == 2
    bulletin.refresh_from_db()
    assert users["macau"].email in bulletin.emailed_to
    assert users["macau_backup"].email in bulletin.emailed_to
    inbox = Notification.objects.filter(  # the notice of publication (after the opening's)
        recipient=users["macau"], kind="infosharing.bulletin").order_by("-id").first()
    assert inbox.title.startswith("定期通報 ")
    with translation.override("en"):
        assert inbox.display_title.startswith("Regular bulletin ")
