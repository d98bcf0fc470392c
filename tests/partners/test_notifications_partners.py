"""Issue 23, finding 3, for the partners' notifications: a referral's and a registration's
notices name the referral's number or how many registrations expire, and link to the page —
never the person referred, the social workers, nor the reason a user typed."""
import pytest

from partners import services
from partners_factories import make_case, make_referral

pytestmark = pytest.mark.django_db

NAME = "司徒秘密"
REASON = "机密拒绝理由：名额已满"


def test_referral_and_registration_notices_carry_no_personal_data(users, contracts, workers,
                                                                  messages_sent):
    with messages_sent.capture():
        case = make_case(users, "district", name=NAME)
        declined = make_referral(users, "district", case, contracts["kaifong"])
        services.referral_decline(actor=users["ngo"], referral=declined, reason=REASON)
        accepted = make_referral(users, "district", case, contracts["kaifong"])
        services.referral_accept(actor=users["ngo"], referral=accepted)
        assert services.social_worker_expiry_notify() == 1
    referral = declined
    messages_sent.assert_free_of(
        [NAME, REASON, "名额已满", referral.reason, referral.needs, case.subject.phone,
         case.subject.address, "陈浩然", workers["kaifong_expiring"].name],
        kinds={"partners.referral_sent", "partners.referral_answered",
               "partners.registration_expiring"})
    assert any(referral.number in text for text in messages_sent.texts())
