"""The home page's *My work* of a liaison reads the cases shared since its last visit from an
index of the share events alone (at a million people, among a million other case events)."""
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from cases.home import work_sources
from tests.plans import plan_at_scale

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_the_cases_shared_since_the_last_visit_come_from_their_own_index(users):
    since = timezone.now() - datetime.timedelta(days=14)
    shared = next(source for source in work_sources(users["hengqin"], since=since)
                  if source.kind == "cases.shared_with_me")
    plan = plan_at_scale(shared.queryset)
    assert "case_event_shared" in plan, plan
