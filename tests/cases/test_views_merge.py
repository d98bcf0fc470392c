"""Duplicate pages: the city bureau's list, proposing (a role that sees both), the
check-and-confirm page with what will move, the page after the decision, undo."""
from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import PersonMerge, PersonMergeStatus
from tests.infosharing.infosharing_factories import make_person
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(users):
    first = make_person(users["district"], name="陈大文")
    second = make_person(users["district"], name="陳大文")
    case_services.case_open(actor=users["district"], subject=second, category="other")
    return first, second


@pytest.mark.parametrize("username, status", [
    ("anonymous", 302), ("district", 403), ("macau", 403), ("ngo", 403), ("city", 200)])
def test_the_list_is_for_city_officers(client_for, pair, username, status):
    response = client_for(username).get(reverse("cases:possible_duplicates"))
    assert response.status_code == status
    if status == 200:
        assert (reverse("cases:merge_propose", args=[pair[0].pk])
                + f"?with={pair[1].pk}").encode() in response.content


def test_the_person_page_shows_possible_duplicates(client_for, pair):
    response = client_for("district").get(reverse("cases:person_detail", args=[pair[1].pk]))
    assert b'id="possible-duplicates"' in response.content


def test_propose_check_decide_then_undo(client_for, pair):
    first, second = pair
    url = reverse("cases:merge_propose", args=[first.pk]) + f"?with={second.pk}"
    district = client_for("district")
    check = district.get(url)
    assert check.status_code == 200 and b'id="merge-counts"' in check.content
    response = district.post(url, {"reason": "同一身份"})
    proposal = PersonMerge.objects.get()
    assert response.status_code == 302
    # the district officer sees the proposal but cannot decide
    detail = reverse("cases:merge_detail", args=[proposal.pk])
    assert b'id="merge-confirm"' not in district.get(detail).content
    district.post(detail, {"action": "merge"})
    proposal.refresh_from_db()
    assert proposal.status == PersonMergeStatus.PROPOSED
    assert AuditEvent.objects.filter(action="person_merge_decide.refused").exists()

    city = client_for("city")
    page = city.get(detail)
    assert b'id="merge-confirm"' in page.content and b'id="merge-counts"' in page.content
    after = city.post(detail, {"action": "merge"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == PersonMergeStatus.MERGED
    assert b'id="merge-moved"' in after.content
    assert second.cases.count() == 0 and first.cases.count() == 1
    city.post(detail, {"action": "undo", "reason": "误判"})
    proposal.refresh_from_db()
    assert proposal.status == PersonMergeStatus.UNDONE
    assert second.cases.count() == 1


def test_a_person_in_another_district_cannot_be_proposed(client_for, users, pair):
    other = make_person(users["district2"], name="陈大文")
    response = client_for("district").get(
        reverse("cases:merge_propose", args=[pair[0].pk]) + f"?with={other.pk}")
    assert response.status_code == 404


def test_without_a_second_person_the_page_lists_the_candidates(client_for, pair):
    response = client_for("district").get(reverse("cases:merge_propose", args=[pair[0].pk]))
    assert response.status_code == 200
    assert f"?with={pair[1].pk}".encode() in response.content


def test_the_list_costs_the_same_queries_with_more_pairs(client_for, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("city")
    client.get(reverse("cases:possible_duplicates"))  # the session and caches warm up
    measured = []
    for names in (("陈大文",), ("李四", "王五", "赵六")):
        for name in names:
            make_person(users["district"], name=name)
            make_person(users["district"], name=name)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:possible_duplicates")).status_code == 200
        measured.append(len(queries))
    assert measured[0] == measured[1]



def test_the_nightly_scan_finds_duplicates_however_old_they_are(client_for, users):
    """Registered without the check (a bulk load) and before a thousand others, a pair is
    still listed once the scan of the whole register has run; merged people leave the list."""
    from datetime import date, timedelta

    from cases.merge import person_merge_decide, person_merge_propose
    from cases.models import Person, PossibleDuplicate
    from cases.names import apply_keys
    from cases.tasks import scan_possible_duplicates
    from core.models import Agency

    agency = Agency.objects.get(code="zh-xiangzhou")

    def person(name, born):
        record = Person(name_zh=name, sex="M", date_of_birth=born, residence_status="other",
                        district="xiangzhou", owner_agency=agency, created_by=users["district"])
        apply_keys(record)
        return record

    Person.objects.bulk_create([person("黄志强", date(1950, 5, 5)),
                                person("黃志強", date(1950, 5, 5))])
    Person.objects.bulk_create([person(f"路人{index}", date(1930, 1, 1) + timedelta(days=index))
                                for index in range(1000)])
    first, second = Person.objects.filter(date_of_birth=date(1950, 5, 5)).order_by("pk")
    listed = (reverse("cases:merge_propose", args=[first.pk]) + f"?with={second.pk}").encode()
    assert listed not in client_for("city").get(reverse("cases:possible_duplicates")).content

    assert scan_possible_duplicates.apply().get() >= 1
    assert listed in client_for("city").get(reverse("cases:possible_duplicates")).content

    proposal = person_merge_propose(actor=users["city"], survivor=first, duplicate=second)
    assert listed not in client_for("city").get(reverse("cases:possible_duplicates")).content
    person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    assert not PossibleDuplicate.objects.filter(second=second).exists()


# --- issue 26: check, confirm, confirmation; the undo form folded; refusals in the summary -----

@pytest.fixture
def proposal(users, pair):
    from cases.merge import person_merge_propose

    return person_merge_propose(actor=users["district"], survivor=pair[0], duplicate=pair[1])


def test_the_check_page_says_what_merging_does(client_for, proposal):
    page = client_for("city").get(reverse("cases:merge_detail", args=[proposal.pk]))
    html = page.content.decode()
    assert 'id="merge-effects"' in html and 'id="merge-counts"' in html
    assert proposal.duplicate.name_zh in html and proposal.survivor.name_zh in html


def test_confirming_ends_on_the_confirmation_page(client_for, proposal):
    city = client_for("city")
    response = city.post(reverse("cases:merge_detail", args=[proposal.pk]), {"action": "merge"})
    assert response["Location"] == reverse("cases:merge_done", args=[proposal.pk])
    done = city.get(response["Location"]).content.decode()
    assert 'id="next-steps"' in done and 'id="merge-moved"' in done
    # the merge's page now folds the undo form into a disclosure: no open form
    detail = city.get(reverse("cases:merge_detail", args=[proposal.pk])).content.decode()
    assert '<details class="card" id="undo">' in detail


def test_a_refused_decision_shows_in_the_error_summary(client_for, proposal):
    response = client_for("district").post(reverse("cases:merge_detail", args=[proposal.pk]),
                                           {"action": "merge"})
    assert response.status_code == 200 and b"data-error-summary" in response.content
    proposal.refresh_from_db()
    assert proposal.status == PersonMergeStatus.PROPOSED


@pytest.mark.parametrize("username, status", [
    ("anonymous", 302), ("leader", 403), ("ngo", 403), ("district2", 404), ("district", 200),
    ("city", 200)])
def test_the_confirmation_page_per_role(client_for, users, proposal, username, status):
    from cases.merge import person_merge_decide

    person_merge_decide(actor=users["city"], merge=proposal, approve=False)
    response = client_for(username).get(reverse("cases:merge_done", args=[proposal.pk]))
    assert response.status_code == status


def test_the_confirmation_page_of_an_undecided_merge_is_its_check_page(client_for, proposal):
    response = client_for("city").get(reverse("cases:merge_done", args=[proposal.pk]))
    assert response["Location"] == reverse("cases:merge_detail", args=[proposal.pk])
