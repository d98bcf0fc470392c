"""Merging duplicate people: every related record of every app moves to the survivor in one
transaction and back on undo; who may propose and decide; two merges at once."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from cases import merge as merge_services
from cases import services as case_services
from cases.duplicates import find_matches
from cases.merge import movable_relations, person_merge_decide, person_merge_propose, \
    person_merge_undo
from cases.models import CaseGroupObjectPermission, Person, PersonMerge, PersonMergeStatus
from cases.search import find_people
from cases.selectors import person_search, person_visible_to
from tests.cases.test_views_person_overview import person_with_records  # noqa: F401
from tests.infosharing.infosharing_factories import make_person
from tests.partners.partners_factories import contracts, orgs, today  # noqa: F401
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _rows(person) -> dict[str, set]:
    """Per relation to Person, the ids of the rows pointing at ``person``."""
    found = {}
    for field in movable_relations():
        ids = set(field.model._base_manager.filter(**{field.name: person})
                  .values_list("pk", flat=True))
        if ids:
            found[f"{field.model._meta.label_lower}.{field.name}"] = ids
    return found


@pytest.fixture
def duplicate(users, person_with_records):  # noqa: F811
    person = person_with_records["person"]
    household = person.headed_households.get()
    case_services.income_item_add(actor=users["district"], household=household, kind="wages",
                                  monthly_amount="1000", currency="CNY", member=person)
    return person


def test_every_model_pointing_at_a_person_moves_and_comes_back(users, duplicate):
    """The fixture gives the duplicate a row of every model with a foreign key to Person: a
    new model added without being covered here (or without moving) fails this test."""
    survivor = make_person(users["district"], name="陈大文")
    before = _rows(duplicate)
    every = {f"{field.model._meta.label_lower}.{field.name}" for field in movable_relations()}
    assert set(before) == every, f"no test row for {every - set(before)}"
    survivor_before = _rows(survivor)

    proposal = person_merge_propose(actor=users["district"], survivor=survivor,
                                    duplicate=duplicate, reason="同一人，两次登记")
    merged = person_merge_decide(actor=users["city"], merge=proposal, approve=True)

    assert merged.status == PersonMergeStatus.MERGED
    assert _rows(duplicate) == {}
    after = _rows(survivor)
    for key, ids in before.items():
        assert ids <= after[key]
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert {key: set(ids) for key, ids in merged.moved.items()} == before
    # hidden from lists and search
    assert not person_search(users["city"]).filter(pk=duplicate.pk).exists()
    assert duplicate.pk not in [hit.person.pk for hit in find_people(users["city"], "陈大文")]
    assert AuditEvent.objects.filter(action="person.merge", object_id=str(merged.pk)).exists()

    person_merge_undo(actor=users["city"], merge=merged, reason="误合并")
    assert _rows(duplicate) == before
    assert _rows(survivor) == survivor_before
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    merged.refresh_from_db()
    assert merged.status == PersonMergeStatus.UNDONE
    assert AuditEvent.objects.filter(action="person.merge_undo").exists()


def test_records_that_exist_once_per_person_refuse_the_merge(users, duplicate):
    """Both on the remittance roster (one entry per person): refused, nothing moved."""
    from remittance.models import AidType, Recipient

    survivor = make_person(users["district"])
    Recipient.objects.create(person=survivor, ias_case_no="IAS-DUP-2", aid_type=AidType.REGULAR,
                             monthly_amount_mop="2000", effective_from=date(2022, 1, 1),
                             district="xiangzhou")
    before = _rows(duplicate)
    proposal = person_merge_propose(actor=users["city"], survivor=survivor, duplicate=duplicate)
    with pytest.raises(ApplicationError) as caught:
        person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    assert caught.value.code == "merge_conflict"
    assert _rows(duplicate) == before
    proposal.refresh_from_db()
    assert proposal.status == PersonMergeStatus.PROPOSED


@pytest.mark.parametrize("username, may_propose", [
    ("city", True), ("district", True), ("district2", False), ("macau", False),
    ("ngo", False), ("finance", False)])
def test_only_a_role_that_sees_both_may_propose(users, username, may_propose):
    first = make_person(users["district"])
    second = make_person(users["district"])
    if may_propose:
        assert person_merge_propose(actor=users[username], survivor=first, duplicate=second)
        return
    with pytest.raises(ApplicationError) as caught:
        person_merge_propose(actor=users[username], survivor=first, duplicate=second)
    assert caught.value.status == 403
    assert not PersonMerge.objects.exists()
    assert AuditEvent.objects.filter(action="person_merge_propose.refused",
                                     outcome="denied").exists()


@pytest.mark.parametrize("username", ["district", "district2", "macau", "leader", "admin"])
def test_only_a_city_officer_decides_or_undoes(users, username):
    first = make_person(users["district"])
    second = make_person(users["district"])
    proposal = person_merge_propose(actor=users["district"], survivor=first, duplicate=second)
    for service, kwargs in ((person_merge_decide, {"approve": True}), (person_merge_undo, {})):
        with pytest.raises(ApplicationError) as caught:
            service(actor=users[username], merge=proposal, **kwargs)
        assert caught.value.status == 403
    proposal.refresh_from_db()
    second.refresh_from_db()
    assert proposal.status == PersonMergeStatus.PROPOSED and second.merged_into is None


def test_a_rejected_proposal_moves_nothing(users):
    first = make_person(users["district"])
    second = make_person(users["district"])
    case_services.case_open(actor=users["district"], subject=second, category="other")
    proposal = person_merge_propose(actor=users["district"], survivor=first, duplicate=second)
    person_merge_decide(actor=users["city"], merge=proposal, approve=False, reason="不同人")
    assert second.cases.count() == 1
    with pytest.raises(ApplicationError):
        person_merge_decide(actor=users["city"], merge=proposal, approve=True)


def test_a_merged_person_is_no_longer_a_match(users):
    first = make_person(users["district"], name="黄小明")
    second = make_person(users["district"], name="黄小明")
    proposal = person_merge_propose(actor=users["city"], survivor=first, duplicate=second)
    person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    matches = find_matches(name_zh="黄小明", date_of_birth=date(1958, 3, 1), sex="male")
    assert [match.person for match in matches] == [first]


@pytest.mark.django_db(transaction=True)
def test_two_merges_of_the_same_person_at_once_one_wins(users):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    duplicate, first = make_person(users["district"]), make_person(users["district"])
    proposal_one = person_merge_propose(actor=users["city"], survivor=first, duplicate=duplicate)
    # the service refuses a second open proposal involving the same people; one made before
    # that check existed (or by hand) races the first: each merges one into the other
    proposal_two = PersonMerge.objects.create(survivor=duplicate, duplicate=first,
                                              proposed_by=users["city"])
    barrier = threading.Barrier(2)
    outcomes = []

    def run(proposal):
        from django.db import connection as thread_connection
        try:
            barrier.wait()
            person_merge_decide(actor=users["city"], merge=proposal, approve=True)
            outcomes.append("merged")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(proposal,))
               for proposal in (proposal_one, proposal_two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_merged", "merged"]
    merged = Person.objects.filter(merged_into__isnull=False)
    assert merged.count() == 1
    # no cycle: the survivor of the winning merge is not itself merged
    assert merged.get().merged_into.merged_into is None


def test_concurrent_decisions_of_one_proposal_merge_once(users):
    """The proposal row is locked and re-read: a second decision finds it decided."""
    first, second = make_person(users["district"]), make_person(users["district"])
    proposal = person_merge_propose(actor=users["city"], survivor=first, duplicate=second)
    stale = PersonMerge.objects.get(pk=proposal.pk)
    person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    with pytest.raises(ApplicationError) as caught:
        person_merge_decide(actor=users["city"], merge=stale, approve=True)
    assert caught.value.code in ("already_decided", "already_merged")
    assert merge_services.PersonMerge.objects.filter(status="merged").count() == 1


def test_undo_is_refused_while_the_survivor_is_itself_merged(users):
    duplicate, first, second = (make_person(users["district"]) for _ in range(3))
    case_services.case_open(actor=users["district"], subject=duplicate, category="other")
    one = person_merge_decide(actor=users["city"], approve=True, merge=person_merge_propose(
        actor=users["city"], survivor=first, duplicate=duplicate))
    two = person_merge_decide(actor=users["city"], approve=True, merge=person_merge_propose(
        actor=users["city"], survivor=second, duplicate=first))
    with pytest.raises(ApplicationError) as caught:
        person_merge_undo(actor=users["city"], merge=one)
    assert caught.value.code == "survivor_merged"
    person_merge_undo(actor=users["city"], merge=two)
    person_merge_undo(actor=users["city"], merge=one)
    assert duplicate.cases.count() == 1


def test_a_merged_person_takes_no_new_records(users):
    survivor, duplicate = make_person(users["district"]), make_person(users["district"])
    person_merge_decide(actor=users["city"], approve=True, merge=person_merge_propose(
        actor=users["city"], survivor=survivor, duplicate=duplicate))
    duplicate.refresh_from_db()
    attempts = [
        lambda: case_services.case_open(actor=users["district"], subject=duplicate,
                                        category="other"),
        lambda: case_services.household_create(actor=users["district"], head=duplicate),
        lambda: case_services.person_update(actor=users["district"], person=duplicate,
                                            phone="123"),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError) as caught:
            attempt()
        assert caught.value.code == "person_merged"
    assert not duplicate.cases.exists() and not duplicate.headed_households.exists()
    from cases.selectors import person_may_change
    assert not person_may_change(users["district"], duplicate)


def test_the_shares_of_moved_cases_follow_their_subject(users, agencies):
    """A case's share keeps its subject (who the receiving agency sees): a merge moves it with
    the case, its undo moves it back."""
    duplicate = make_person(users["district"], name="陈大文")
    survivor = make_person(users["district"], name="陈大文")
    case = case_services.case_open(actor=users["district"], subject=duplicate,
                                   category="other", summary="突发困难")
    case_services.case_share(actor=users["district"], case=case, agency=agencies["hq-livelihood"],
                             reason="跨境核实")
    share = CaseGroupObjectPermission.objects.get(content_object=case)
    assert share.subject_id == duplicate.pk

    proposal = person_merge_propose(actor=users["district"], survivor=survivor,
                                    duplicate=duplicate, reason="同一人，两次登记")
    merged = person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    share.refresh_from_db()
    assert share.subject_id == survivor.pk
    assert person_visible_to(users["hengqin"]).filter(pk=survivor.pk).exists()

    person_merge_undo(actor=users["city"], merge=merged, reason="误合并")
    share.refresh_from_db()
    assert share.subject_id == duplicate.pk
    assert not person_visible_to(users["hengqin"]).filter(pk=survivor.pk).exists()

