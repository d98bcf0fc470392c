"""Issue 25: a Macau or Hengqin liaison shares a person its side registered with Zhuhai (the
city bureau, or the district bureau of the person's address), behind the consent gate: a
signed authorization of the person that allows Zhuhai. Visibility follows the share in the one
visibility door; refusals are audited and change nothing."""
from datetime import date, timedelta

import pytest
from django.utils import timezone
from infosharing_factories import make_authorization

from cases.models import ResidenceStatus, Sex
from cases.selectors import person_may_change, person_may_share, person_visible_to
from cases.services import person_register, person_share, person_share_targets, person_unshare
from infosharing.services import authorization_revoke
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome
from core.visibility import agencies_shared_with

pytestmark = pytest.mark.django_db

EVERYONE = ("city", "district", "district2", "finance", "finwork", "macau", "macau_backup",
            "hengqin", "ngo", "ngo2", "leader", "admin", "bank")


def who_sees(users, person) -> set[str]:
    return {name for name in EVERYONE if name in users
            and person_visible_to(users[name]).filter(pk=person.pk).exists()}


@pytest.fixture
def macau_person(users):
    return person_register(actor=users["macau"], name_zh="梁小玲", sex=Sex.FEMALE,
                           date_of_birth=date(1961, 5, 4),
                           residence_status=ResidenceStatus.MACAU_RESIDENT,
                           document_type="macau_id", document_number="7123456(2)",
                           address="珠海市香洲区拱北", district="xiangzhou")


def consent(users, person, sides=("zhuhai",), **kwargs):
    return make_authorization(users["macau"], person, categories=("property",), sides=sides,
                              **kwargs)


def test_targets_are_the_city_bureau_and_the_district_of_the_address(agencies, macau_person):
    assert set(person_share_targets(macau_person).values_list("code", flat=True)) == {
        "zh-civil-affairs", "zh-xiangzhou"}


def test_sharing_with_the_district_shows_the_person_to_that_district_only(users, agencies,
                                                                           macau_person):
    consent(users, macau_person)
    assert who_sees(users, macau_person) == {"macau", "macau_backup"}
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-xiangzhou"],
                 reason="申请人住在拱北，请区民政局跟进")
    assert who_sees(users, macau_person) == {"macau", "macau_backup", "district"}
    # Zhuhai reads a Macau record; it does not change it
    assert not person_may_change(users["district"], macau_person)
    assert AuditEvent.objects.filter(action="person.share", object_id=str(macau_person.pk),
                                     actor_username="macau").exists()
    assert AuditEvent.objects.filter(action="person.disclose",
                                     object_id=str(macau_person.pk)).exists()
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-civil-affairs"],
                 reason="市局统筹")
    assert who_sees(users, macau_person) == {"macau", "macau_backup", "district", "city"}


def test_the_receiving_officers_are_notified_without_the_name(users, agencies, macau_person):
    from core.models import Notification

    consent(users, macau_person)
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-xiangzhou"],
                 reason="梁小玲需要跟进")
    notes = Notification.objects.filter(recipient=users["district"], kind="cases.person_share")
    assert notes.count() == 1
    note = notes.get()
    assert "梁小玲" not in note.title + note.body


def test_unshare_withdraws_visibility(users, agencies, macau_person):
    consent(users, macau_person)
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-xiangzhou"],
                 reason="跟进")
    person_unshare(actor=users["macau_backup"], person=macau_person,
                   agency=agencies["zh-xiangzhou"], reason="已结案")
    assert who_sees(users, macau_person) == {"macau", "macau_backup"}
    assert AuditEvent.objects.filter(action="person.unshare",
                                     object_id=str(macau_person.pk)).exists()


@pytest.mark.parametrize("case, code", [
    ("none", "no_authorization"),
    ("side", "side_not_covered"),
    ("expired", "authorization_expired"),
    ("revoked", "authorization_revoked"),
])
def test_refused_without_consent_for_zhuhai(users, agencies, macau_person, case, code):
    today = timezone.localdate()
    if case == "side":
        consent(users, macau_person, sides=("hengqin",))
    elif case == "expired":
        consent(users, macau_person, valid_from=today - timedelta(days=40),
                valid_until=today - timedelta(days=1))
    elif case == "revoked":
        authorization = consent(users, macau_person)
        authorization_revoke(actor=users["macau"], authorization=authorization, reason="撤回")
    with pytest.raises(ApplicationError) as refused:
        person_share(actor=users["macau"], person=macau_person,
                     agency=agencies["zh-xiangzhou"], reason="跟进")
    assert refused.value.code == code
    assert list(agencies_shared_with(macau_person)) == []
    assert who_sees(users, macau_person) == {"macau", "macau_backup"}
    refusal = AuditEvent.objects.get(action="person_share.refused", actor_username="macau",
                                     outcome=AuditOutcome.DENIED)
    assert refusal.object_id == str(macau_person.pk)
    assert refusal.changes["code"] == code


@pytest.mark.parametrize("username", ["hengqin", "city", "district", "ngo"])
def test_only_the_registering_agency_shares(users, agencies, macau_person, username):
    consent(users, macau_person)
    with pytest.raises(ApplicationError) as refused:
        person_share(actor=users[username], person=macau_person,
                     agency=agencies["zh-civil-affairs"], reason="跟进")
    assert refused.value.code == "not_owner"
    assert not person_may_share(users[username], macau_person)
    assert list(agencies_shared_with(macau_person)) == []
    assert AuditEvent.objects.filter(outcome=AuditOutcome.DENIED,
                                     actor_username=username).exists()


@pytest.mark.parametrize("code", ["mo-ias", "hq-livelihood", "zh-doumen", "zh-finance"])
def test_only_the_city_bureau_or_the_address_district_receive(users, agencies, macau_person,
                                                              code):
    consent(users, macau_person)
    with pytest.raises(ApplicationError) as refused:
        person_share(actor=users["macau"], person=macau_person, agency=agencies[code],
                     reason="跟进")
    assert refused.value.code == "not_target"
    assert list(agencies_shared_with(macau_person)) == []


def test_a_reason_is_required_and_a_share_is_not_repeated(users, agencies, macau_person):
    consent(users, macau_person)
    with pytest.raises(ApplicationError) as refused:
        person_share(actor=users["macau"], person=macau_person,
                     agency=agencies["zh-xiangzhou"], reason="  ")
    assert refused.value.code == "required"
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-xiangzhou"],
                 reason="跟进")
    with pytest.raises(ApplicationError) as refused:
        person_share(actor=users["macau"], person=macau_person,
                     agency=agencies["zh-xiangzhou"], reason="跟进")
    assert refused.value.code == "already_shared"


def test_revoking_the_consent_withdraws_the_shares(users, agencies, macau_person):
    authorization = consent(users, macau_person)
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-xiangzhou"],
                 reason="跟进")
    authorization_revoke(actor=users["macau"], authorization=authorization, reason="本人撤回")
    assert list(agencies_shared_with(macau_person)) == []
    assert who_sees(users, macau_person) == {"macau", "macau_backup"}


def test_a_zhuhai_record_is_not_shared_this_way(users, agencies):
    person = person_register(actor=users["district"], name_zh="王五", sex=Sex.MALE,
                             date_of_birth=date(1980, 1, 1),
                             residence_status=ResidenceStatus.MACAU_RESIDENT,
                             document_type="macau_id", document_number="1234567(8)",
                             district="xiangzhou")
    with pytest.raises(ApplicationError):
        person_share(actor=users["macau"], person=person, agency=agencies["zh-civil-affairs"],
                     reason="跟进")


def test_a_merge_leaves_the_share_with_the_duplicate(users, agencies, macau_person):
    """A share is a consent-gated disclosure of one record: merging the shared Macau record
    into a Zhuhai one does not share the Zhuhai record with anyone."""
    from cases.merge import person_merge_decide, person_merge_propose

    survivor = person_register(actor=users["district"], name_zh="梁小玲", sex=Sex.FEMALE,
                               date_of_birth=date(1961, 5, 4),
                               residence_status=ResidenceStatus.MACAU_RESIDENT,
                               document_type="travel_permit", document_number="M12345678",
                               district="xiangzhou")
    consent(users, macau_person)
    person_share(actor=users["macau"], person=macau_person, agency=agencies["zh-civil-affairs"],
                 reason="市局统筹")
    proposal = person_merge_propose(actor=users["city"], survivor=survivor,
                                    duplicate=macau_person, reason="同一人")
    person_merge_decide(actor=users["city"], merge=proposal, approve=True)
    assert list(agencies_shared_with(survivor)) == []
    assert list(agencies_shared_with(macau_person)) == [agencies["zh-civil-affairs"]]
    assert not person_visible_to(users["macau"]).filter(pk=survivor.pk).exists()
