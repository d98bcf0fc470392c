"""The frequency limit under parallel requests, on PostgreSQL with real threads: approvals and
fast-track submissions for one person are serialised on the person, so however many arrive at
the same moment, at most ``frequency_limit`` are granted without an override reason."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

import tempaid_factories as factories
from tempaid import services
from tempaid.models import GRANTED_STATUSES, Application, Route, Status
from core.errors import ApplicationError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 6


def _slow_count(monkeypatch):
    """Each count takes long enough for every other thread to count too, unless they wait for
    a lock taken before counting (the race made deterministic)."""
    original = services.grants_in_window

    def slow(application, policy):
        count = original(application, policy)
        time.sleep(0.4)
        return count

    monkeypatch.setattr(services, "grants_in_window", slow)


def _run_all(work, items) -> list[str]:
    barrier = threading.Barrier(len(items))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(item):
        try:
            barrier.wait(timeout=30)
            work(item)
            result = "ok"
        except ApplicationError as error:
            result = error.code
        except Exception as error:  # pragma: no cover - reported in the assertion
            result = f"crash: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_parallel_approvals_for_one_person_stop_at_the_limit(users, agencies, monkeypatch):
    factories.policy(users["city"], frequency_limit=2)
    factories.fund(users["finance"], amount="100000")
    reviewer = factories.second_district_officer(agencies)
    case = factories.case(users["district"])
    applications = [factories.application(users["district"], case, amount="100")
                    for _ in range(PARALLEL)]
    assert {a.status for a in applications} == {Status.DISTRICT_REVIEW}
    _slow_count(monkeypatch)

    outcomes = _run_all(lambda application: services.application_approve(
        actor=reviewer, application=application), applications)

    assert sorted(outcomes) == ["frequency_limit"] * (PARALLEL - 2) + ["ok"] * 2, outcomes
    assert Application.objects.filter(person=case.subject,
                                      status__in=GRANTED_STATUSES).count() == 2


def test_parallel_fast_track_submissions_for_one_person_stop_at_the_limit(users, monkeypatch):
    factories.policy(users["city"], frequency_limit=2)
    fund = factories.fund(users["finance"], amount="100000")
    case = factories.case(users["district"])
    drafts = [factories.application(users["district"], case, amount="500", submit=False,
                                    fast_track=True) for _ in range(PARALLEL)]
    _slow_count(monkeypatch)

    outcomes = _run_all(lambda draft: services.application_submit(
        actor=users["district"], application=draft), drafts)

    assert sorted(outcomes) == ["frequency_limit"] * (PARALLEL - 2) + ["ok"] * 2, outcomes
    granted = Application.objects.filter(person=case.subject, status__in=GRANTED_STATUSES)
    assert granted.count() == 2 and {a.route for a in granted} == {Route.FAST_TRACK}
    fund.refresh_from_db()
    assert fund.reserved == Decimal("1000.00")


def test_a_fast_track_and_an_approval_racing_for_the_last_grant(users, agencies, monkeypatch):
    """The two granting paths share the one lock: one grant is left, one of the two gets it."""
    factories.policy(users["city"], frequency_limit=1)
    factories.fund(users["finance"], amount="100000")
    reviewer = factories.second_district_officer(agencies)
    case = factories.case(users["district"])
    waiting = factories.application(users["district"], case, amount="100")
    draft = factories.application(users["district"], case, amount="100", submit=False,
                                  fast_track=True)
    _slow_count(monkeypatch)

    def work(step):
        if step == "approve":
            services.application_approve(actor=reviewer, application=waiting)
        else:
            services.application_submit(actor=users["district"], application=draft)

    outcomes = _run_all(work, ["approve", "submit"])

    assert sorted(outcomes) == ["frequency_limit", "ok"], outcomes
    assert Application.objects.filter(person=case.subject,
                                      status__in=GRANTED_STATUSES).count() == 1
