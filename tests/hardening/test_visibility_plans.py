"""``scope`` writes the visibility rule in two forms, chosen by how many records an agency has
had shared with it (core.visibility.shares_are_few): a UNION of pks for few, an OR for many.
Both must select exactly the same records, for every role and every selector, on the demo data
(which shares cases and relief applications with Macau and Hengqin)."""
from __future__ import annotations

import inspect
from importlib import import_module

import pytest
from django.apps import apps
from django.core.cache import cache

from cases.models import Case
from cases.selectors import case_visible_to, person_visible_to
from core import visibility

APPS = ["cases", "cases.secretariat", "infosharing", "remittance", "tempaid", "partners", "pilot"]


def _selectors():
    for app in APPS:
        module = import_module(f"{app}.selectors")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_visible_to") and function.__module__ == module.__name__:
                yield f"{app}.{name}", function


def _visible(selector, user, monkeypatch, *, few: bool) -> set:
    monkeypatch.setattr(visibility, "shares_are_few", lambda *args, **kwargs: few)
    return set(selector(user).values_list("pk", flat=True))


def test_both_forms_select_the_same_records(seeded, db, monkeypatch):
    selectors = dict(_selectors())
    assert {"cases.case_visible_to", "cases.person_visible_to", "cases.household_visible_to",
            "cases.secretariat.meeting_visible_to", "infosharing.urgent_notification_visible_to",
            "tempaid.application_visible_to"} <= set(selectors)
    seen_through_shares = set()
    for username, user in seeded.items():
        for name, selector in selectors.items():
            few = _visible(selector, user, monkeypatch, few=True)
            many = _visible(selector, user, monkeypatch, few=False)
            assert few == many, (username, name, few ^ many)
            if few and username in ("macau", "hengqin"):
                seen_through_shares.add(name)
    # the comparison means something: the liaisons see shared records of the shareable models
    assert {"cases.case_visible_to", "cases.person_visible_to"} <= seen_through_shares


def test_few_shares_are_a_union_and_many_an_or(seeded, db, monkeypatch):
    macau = seeded["macau"]
    monkeypatch.setattr(visibility, "shares_are_few", lambda *args, **kwargs: True)
    assert " UNION " in str(case_visible_to(macau).query)
    assert " UNION " in str(person_visible_to(macau).query)
    monkeypatch.setattr(visibility, "shares_are_few", lambda *args, **kwargs: False)
    assert " UNION " not in str(case_visible_to(macau).query)
    district = seeded["district"]  # a whole district: always the OR, whatever the shares
    monkeypatch.undo()
    assert " UNION " not in str(case_visible_to(district).query)


def test_the_share_count_is_kept_and_only_chooses_the_plan(seeded, db, monkeypatch):
    macau = seeded["macau"]
    agency = visibility.user_agency(macau)
    shared = set(case_visible_to(macau).values_list("pk", flat=True))
    assert shared, "the demo shares cases with Macau"
    cache.clear()
    monkeypatch.setattr(visibility, "FEW_SHARES", len(shared))
    assert visibility.shares_are_few(Case, agency)
    other = Case.objects.exclude(pk__in=shared).first()
    visibility.share_with_agency(other, agency, actor=seeded["district"], reason="测试")
    try:
        # the kept answer ("few") is now wrong, and the records are still exactly right
        assert visibility.shares_are_few(Case, agency)
        assert set(case_visible_to(macau).values_list("pk", flat=True)) == shared | {other.pk}
        cache.clear()
        assert not visibility.shares_are_few(Case, agency)
        assert set(case_visible_to(macau).values_list("pk", flat=True)) == shared | {other.pk}
    finally:
        visibility.unshare_with_agency(other, agency, actor=seeded["district"])


@pytest.mark.parametrize("few", [True, False])
def test_an_unshared_case_leaves_at_once_in_both_forms(seeded, db, monkeypatch, few):
    macau = seeded["macau"]
    agency = visibility.user_agency(macau)
    case = Case.objects.exclude(pk__in=case_visible_to(macau).values("pk")).first()
    monkeypatch.setattr(visibility, "shares_are_few", lambda *args, **kwargs: few)
    visibility.share_with_agency(case, agency, actor=seeded["district"], reason="测试")
    assert case_visible_to(macau).filter(pk=case.pk).exists()
    visibility.unshare_with_agency(case, agency, actor=seeded["district"])
    assert not case_visible_to(macau).filter(pk=case.pk).exists()


@pytest.mark.parametrize("few", [True, False])
def test_the_subject_of_a_shared_case_is_seen_through_the_share(seeded, db, monkeypatch, few):
    """A case's share keeps its subject, and a person's visibility reads it there: from the
    shares' index, not by joining every shared case to its subject (a hash of Hengqin's 50,000
    shared cases on every page at a million people)."""
    hengqin = seeded["hengqin"]
    agency = visibility.user_agency(hengqin)
    monkeypatch.setattr(visibility, "shares_are_few", lambda *args, **kwargs: few)
    case = Case.objects.exclude(subject__in=person_visible_to(hengqin).values("pk")).first()
    assert '"cases_case"' not in str(person_visible_to(hengqin).query)
    visibility.share_with_agency(case, agency, actor=seeded["district"], reason="测试")
    share = visibility.group_permission_model(Case).objects.get(content_object=case,
                                                                group_id=agency.group_id)
    assert share.subject_id == case.subject_id
    assert person_visible_to(hengqin).filter(pk=case.subject_id).exists()
    visibility.unshare_with_agency(case, agency, actor=seeded["district"])
    assert not person_visible_to(hengqin).filter(pk=case.subject_id).exists()


def test_the_migration_gives_each_share_its_cases_subject(seeded, db):
    share_model = visibility.group_permission_model(Case)
    share = share_model.objects.select_related("content_object").first()
    assert share is not None, "the demo shares cases"
    other = person_visible_to(seeded["city"]).exclude(pk=share.content_object.subject_id).first()
    share_model.objects.filter(pk=share.pk).update(subject=other)
    migration = import_module("cases.migrations.0020_case_share_subject")
    migration.fill_subjects(apps, None)
    share.refresh_from_db()
    assert share.subject_id == share.content_object.subject_id

