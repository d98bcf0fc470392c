from datetime import timedelta

import pytest
from django.urls import reverse

from partners.selectors import expiring_social_workers_for
from partners.tasks import notify_expiring_registrations
from core.models import Notification

pytestmark = pytest.mark.django_db


def test_registrations_expiring_within_60_days_are_flagged(users, workers, today):
    flagged = set(expiring_social_workers_for(users["city"]))
    assert flagged == {workers["kaifong_expiring"]}  # not the expired one, not the valid ones
    assert set(expiring_social_workers_for(users["ngo"])) == {workers["kaifong_expiring"]}
    assert not expiring_social_workers_for(users["ngo2"]).exists()
    assert not expiring_social_workers_for(users["leader"]).exists()
    worker = workers["faom"]
    worker.practice_valid_until = today + timedelta(days=60)
    worker.save(update_fields=["practice_valid_until"])
    assert worker in set(expiring_social_workers_for(users["city"]))


def test_daily_task_tells_the_city_bureau_once(users, workers):
    assert notify_expiring_registrations() == 1
    notes = Notification.objects.filter(kind="partners.registration_expiring")
    assert set(notes.values_list("recipient__username", flat=True)) == {"city"}
    note = notes.get()  # how many, the first expiry and the list: not who (issue 23, finding 3)
    assert "陈浩然" not in f"{note.title}{note.body}" and note.url.endswith("?expiring=1")
    assert notify_expiring_registrations() == 0  # idempotent
    assert notes.count() == 1


def test_city_home_page_shows_the_expiring_panel(client_for, workers):
    html = client_for("city").get(reverse("home")).content.decode()
    assert "陈浩然" in html
    assert "陈浩然" not in client_for("district").get(reverse("home")).content.decode()
