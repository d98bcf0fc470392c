import pytest
from django.utils import translation

from partners import services
from partners.models import Organisation, OrganisationKind, RegistrationPlace
from core.errors import ApplicationError

from partners_factories import make_uscc

pytestmark = pytest.mark.django_db


def _create(users, **overrides):
    data = {"name": "珠海市启明社工中心", "kind": OrganisationKind.SOCIAL_WORK_AGENCY,
            "registered_in": RegistrationPlace.MAINLAND, "uscc": make_uscc("52440402MJL176120")}
    data.update(overrides)
    return services.organisation_create(actor=users["city"], **data)


def test_valid_uscc_is_stored_canonical(users):
    code = make_uscc("52440402MJL176120")
    organisation = _create(users, uscc=" " + code.lower()[:9] + code[9:] + " ")
    assert organisation.uscc == code and organisation.macau_registration_number == ""


@pytest.mark.parametrize("bad, expected", [
    ("52440402MJL17612", "18 个字符"),
    ("52440402MJL176120X", "校验码"),
    ("5244040AMJL1761200", "不允许"),
])
def test_invalid_uscc_is_refused_with_a_chinese_message_and_nothing_saved(users, bad, expected):
    if expected == "校验码":
        good = make_uscc("52440402MJL176120")
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        _create(users, uscc=bad)
    assert caught.value.field == "uscc"
    assert expected in str(caught.value)
    assert not Organisation.objects.exists()


def test_invalid_uscc_message_in_english(users):
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        _create(users, uscc="123")
    assert "18 characters" in str(caught.value)


def test_macau_registered_needs_a_macau_number_not_a_uscc(users):
    with pytest.raises(ApplicationError) as caught:
        _create(users, registered_in=RegistrationPlace.MACAU, uscc="")
    assert caught.value.field == "macau_registration_number"
    organisation = _create(users, registered_in=RegistrationPlace.MACAU, uscc="whatever",
                           macau_registration_number="DSI-123")
    assert organisation.uscc == "" and organisation.registration_number == "DSI-123"


def test_duplicate_uscc_refused(users):
    _create(users)
    with pytest.raises(ApplicationError) as caught:
        _create(users, name="另一个")
    assert caught.value.code == "duplicate"
    assert Organisation.objects.count() == 1


def test_agency_must_be_an_ngo_and_unlinked(users, agencies):
    with pytest.raises(ApplicationError):
        _create(users, agency=agencies["zh-finance"])
    _create(users, agency=agencies["ngo-kaifong"])
    with pytest.raises(ApplicationError):
        _create(users, name="第二", uscc=make_uscc("53440400MJL264310"),
                agency=agencies["ngo-kaifong"])


@pytest.mark.parametrize("username", ["district", "finance", "ngo", "leader", "admin", "macau"])
def test_only_city_officers_register_organisations(users, username):
    with pytest.raises(ApplicationError) as caught:
        services.organisation_create(actor=users[username], name="x",
                                     kind=OrganisationKind.OTHER,
                                     registered_in=RegistrationPlace.MACAU,
                                     macau_registration_number="1")
    assert caught.value.status == 403
    assert not Organisation.objects.exists()
