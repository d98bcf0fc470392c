""""My work": each main role's list of what waits for it, from every app, overdue first and
nothing stale; the same list over the API; its count in the menu; a bounded number of queries
whatever the amount of data."""
from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).parent))
from work_data import OVERDUE_KIND, make_overdue_work  # noqa: E402

from web.navigation import nav_items  # noqa: E402
from core.work import work_list  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture
def seeded(seeded, users):
    """The demo data (the module's, tests/conftest.py) with overdue work of every kind, added
    in the test's own transaction."""
    make_overdue_work()
    for user in users.values():  # roles and agency cached on the objects: fetch afresh
        user.refresh_from_db()
    return users


def _fresh(users, username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_related("staff__agency").get(username=username)


def _assert_overdue_first(items):
    flags = [item.is_overdue for item in items]
    assert flags == sorted(flags, reverse=True), "an overdue item comes after one not overdue"
    overdue_dates = [item.due_date for item in items if item.is_overdue]
    assert overdue_dates == sorted(overdue_dates)


def test_each_main_role_sees_its_overdue_work_first(seeded):
    today, now = timezone.localdate(), timezone.now()
    for username, kind in OVERDUE_KIND.items():
        work = work_list(_fresh(seeded, username))
        assert work.items, f"{username} has nothing to do"
        assert work.items[0].is_overdue, (username, work.items[0])
        assert kind in {item.kind for item in work.items if item.is_overdue}, username
        _assert_overdue_first(work.items)
        for item in work.items:  # overdue means past its date, and only that
            if item.due is None:
                assert not item.is_overdue
            elif isinstance(item.due, datetime.datetime):
                assert item.is_overdue == (item.due < now)
            else:
                assert item.is_overdue == (item.due < today)
            assert item.url.startswith("/") and item.reference


def test_work_kinds_follow_the_role(seeded):
    kinds = {username: {item.kind for item in work_list(_fresh(seeded, username)).items}
             for username in ("ngo", "bank", "leader", "finance", "macau", "district")}
    assert kinds["ngo"] == {"partners.referral_to_accept"}
    assert kinds["bank"] == {"remittance.bank_appointment"}
    assert "remittance.batch_to_check" not in kinds["district"]
    assert "tempaid.relief_to_pay" in kinds["finance"]
    assert not kinds["leader"] & {"remittance.home_visit", "infosharing.request_to_answer"}
    assert "cases.shared_with_me" in kinds["macau"]


def test_nothing_stale_is_listed(seeded):
    """A handled appointment leaves the list; a booked one in the past is overdue work (its
    outcome is to record), never shown as upcoming."""
    from remittance.models import Appointment, AppointmentStatus

    bank = _fresh(seeded, "bank")
    past = [item for item in work_list(bank).items if item.is_overdue]
    assert past and all(item.due < timezone.now() for item in past)
    Appointment.objects.filter(branch__bank_agency__code="bank-demo",
                               scheduled_at__lt=timezone.now()).update(
        status=AppointmentStatus.SERVED)
    after = work_list(bank).items
    assert not [item for item in after if item.is_overdue]
    assert all(item.due >= timezone.now() for item in after)


def test_queries_do_not_grow_with_the_data(seeded, django_assert_max_num_queries):
    """Twice the appointments and referrals: the same number of queries (one per kind)."""
    from partners.models import Referral
    from remittance.models import Appointment

    def measure(username):
        user = _fresh(seeded, username)
        with CaptureQueriesContext(connection) as captured:
            work_list(user)
        return len(captured)

    before = {username: measure(username) for username in ("bank", "ngo", "city")}
    for appointment in list(Appointment.objects.all()):
        appointment.pk = None
        appointment.save()
    for referral in list(Referral.objects.all()):
        referral.pk, referral.number = None, referral.number + "X"
        referral.save()
    for username in ("bank", "ngo", "city"):
        user = _fresh(seeded, username)
        with django_assert_max_num_queries(before[username]):
            work_list(user)
        with django_assert_max_num_queries(20):
            work_list(user)


def test_menu_counts_the_work_in_one_query(seeded):
    for username in ("city", "bank", "ngo", "leader"):
        user = _fresh(seeded, username)
        work = work_list(user)
        with CaptureQueriesContext(connection) as captured:
            entries = nav_items(user)
        home = next(entry for entry in entries if entry.url_name == "home")
        assert home.badge == (work.total or None), username
        counts = [query for query in captured if "COUNT(*)" in query["sql"]]
        assert len(counts) <= 2, username  # the work, then the other badges


def test_the_menu_count_is_kept_a_while_and_the_home_page_renews_it(seeded, client_for):
    from core.work import MENU_COUNT_SECONDS, menu_count

    user = _fresh(seeded, "city")
    counted = menu_count(user)
    with CaptureQueriesContext(connection) as captured:
        assert menu_count(user) == counted
    assert captured.captured_queries == []
    assert MENU_COUNT_SECONDS <= 60
    from django.core.cache import cache

    cache.set(f"work:menu-count:{user.pk}", counted + 7, MENU_COUNT_SECONDS)
    client = client_for("city")
    client.get(reverse("home"))
    assert menu_count(user) == work_list(user).total


def test_home_page_lists_overdue_first_with_words(seeded, client_for):
    html = client_for("ngo").get(reverse("home")).content.decode()
    table = html[html.index("data-work-list"):]
    first_row = table[table.index("<tr class=\"work__item"):]
    first_row = first_row[:first_row.index("</tr>")]
    assert "work__item--overdue" in first_row and "已逾期" in first_row


def test_api_gives_the_same_list(seeded, api_client_for):
    for username in ("macau", "bank"):
        response = api_client_for(username).get("/api/v1/my-work/")
        assert response.status_code == 200
        body = response.json()
        expected = work_list(_fresh(seeded, username))
        assert body["total"] == expected.total
        assert [(row["kind"], row["reference"], row["is_overdue"]) for row in body["items"]] \
            == [(item.kind, item.reference, item.is_overdue) for item in expected.items]
        assert body["items"][0]["is_overdue"] and body["overdue"] >= 1
        assert "name" not in body["items"][0]
    assert api_client_for("anonymous").get("/api/v1/my-work/").status_code in (401, 403)


def test_shared_cases_are_new_only_since_the_last_visit(seeded, client_for):
    from django.utils.dateparse import parse_datetime

    macau = _fresh(seeded, "macau")
    assert "cases.shared_with_me" in {item.kind for item in work_list(macau).items}
    client = client_for("macau")
    client.get(reverse("home"))  # the visit is recorded, the session keeps its list
    since = parse_datetime(client.session["work_since"])
    assert since < timezone.now()
    macau = _fresh(seeded, "macau")
    assert macau.staff.work_seen_at is not None
    later = work_list(macau)  # a new session: since the visit just recorded
    assert "cases.shared_with_me" not in {item.kind for item in later.items}
