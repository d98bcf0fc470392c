"""The one visibility mechanism, proved on cases: two districts, Macau, Hengqin, leadership."""
from datetime import date

import pytest
from django.http import Http404

from cases.models import Case, CaseCategory, ResidenceStatus, Sex
from cases.selectors import case_visible_to, get_case_for, person_visible_to
from cases.services import case_open, person_register
from core.models import AuditEvent, AuditOutcome
from core.visibility import agencies_shared_with, share_with_agency, unshare_with_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(users):
    people = []
    for username, number in (("district", "1234567(8)"), ("district2", "5123456(7)")):
        people.append(person_register(
            actor=users[username], name_zh="陈大文", sex=Sex.MALE, date_of_birth=date(1960, 5, 1),
            residence_status=ResidenceStatus.MACAU_RESIDENT, document_type="macau_id",
            document_number=number))
    return [case_open(actor=users[name], subject=person, category=CaseCategory.TEMPORARY_RELIEF)
            for name, person in zip(("district", "district2"), people)]


def test_each_district_sees_only_its_own_cases(users, two_cases):
    xiangzhou_case, doumen_case = two_cases
    assert list(case_visible_to(users["district"])) == [xiangzhou_case]
    assert list(case_visible_to(users["district2"])) == [doumen_case]
    with pytest.raises(Http404):
        get_case_for(users["district"], doumen_case.pk)
    denied = AuditEvent.objects.get(outcome=AuditOutcome.DENIED)
    assert denied.actor_username == "district" and denied.object_id == str(doumen_case.pk)


def test_city_sees_all_and_leadership_admin_finance_see_none(users, two_cases):
    assert case_visible_to(users["city"]).count() == 2
    for username in ("leader", "admin", "finance", "finwork", "ngo"):
        assert not case_visible_to(users[username]).exists(), username
        assert not person_visible_to(users[username]).exists(), username


def test_macau_sees_a_case_only_while_it_is_shared(users, agencies, two_cases):
    case = two_cases[0]
    assert not case_visible_to(users["macau"]).exists()
    share_with_agency(case, agencies["mo-ias"], actor=users["district"], reason="协查需要")
    assert list(case_visible_to(users["macau"])) == [case]
    assert list(person_visible_to(users["macau"])) == [case.subject]
    assert not case_visible_to(users["hengqin"]).exists()
    assert not case_visible_to(users["macau"], permission="change").exists()
    assert list(agencies_shared_with(case)) == [agencies["mo-ias"]]
    unshare_with_agency(case, agencies["mo-ias"], actor=users["district"], reason="结案")
    assert not case_visible_to(users["macau"]).exists()
    actions = list(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert "case.share" in actions and "case.unshare" in actions


def test_hengqin_share_does_not_leak_to_macau(users, agencies, two_cases):
    share_with_agency(two_cases[1], agencies["hq-livelihood"], actor=users["district2"], reason="x")
    assert list(case_visible_to(users["hengqin"])) == [two_cases[1]]
    assert not case_visible_to(users["macau"]).exists()


def test_shares_die_with_their_case(users, agencies, two_cases):
    from cases.models import CaseGroupObjectPermission

    case = two_cases[0]
    share_with_agency(case, agencies["mo-ias"], actor=users["district"], reason="x")
    case.events.all().delete()
    Case.objects.filter(pk=case.pk).delete()
    assert not CaseGroupObjectPermission.objects.exists()


def test_inactive_or_agencyless_users_see_nothing(users, two_cases):
    users["city"].is_active = False
    assert not case_visible_to(users["city"]).exists()


@pytest.mark.parametrize("permission", ["view", "change"])
def test_an_agency_with_many_shares_sees_them_by_a_join_not_a_hash(
        users, agencies, two_cases, monkeypatch, permission):
    """An agency holding many shares (Hengqin: 50,000 of a million cases) sees them through
    a join on the share table's unique index, probed for the rows a page reads: an EXISTS in
    the OR was hashed whole first (20 ms at a million before the first row). The records
    seen are the same: each shared one once, the others not at all."""
    from django.core.cache import cache

    from core import visibility
    from tests.plans import plan_at_scale

    hengqin = agencies["hq-livelihood"]
    share_with_agency(two_cases[0], hengqin, actor=users["district"], reason="x")
    # a few shares: a correlated EXISTS, which leaves the planner's estimates (a search's
    # plans) as they were
    assert visibility.SHARE_ALIAS not in str(case_visible_to(users["hengqin"]).query)
    unshare_with_agency(two_cases[0], hengqin, actor=users["district"])
    monkeypatch.setattr(visibility, "FEW_SHARES", 0)
    cache.clear()
    share_with_agency(two_cases[1], hengqin, actor=users["district2"], reason="x",
                      permissions=("view", "change"))
    share_with_agency(two_cases[0], hengqin, actor=users["district"], reason="x")
    visible = case_visible_to(users["hengqin"], permission=permission).order_by("-opened_at")
    expected = [two_cases[1]] if permission == "change" else [two_cases[1], two_cases[0]]
    assert list(visible) == expected and visible.count() == len(expected)
    plan = plan_at_scale(visible.all()[:25])
    assert "SubPlan" not in plan and "Left Join" in plan, plan
    # a district officer's view is its district OR its shares whatever their number: it keeps
    # the EXISTS (and reads no share count to choose)
    district = users["district"]
    share_with_agency(two_cases[1], district.staff.agency, actor=users["district2"], reason="x")
    seen = case_visible_to(district)
    assert visibility.SHARE_ALIAS not in str(seen.query)
    assert set(seen) == set(two_cases)
