"""Issue 23, finding 3, for the verification requests' notices: a request returned, declined
or withdrawn is announced by its number with a link; the reason a user typed, the question and
the person stay on the request's page, behind its visibility door."""
import pytest
from django.utils import translation

from infosharing.services import (
    verification_request_create,
    verification_request_decline,
    verification_request_return,
    verification_request_send,
    verification_request_withdraw,
)

pytestmark = pytest.mark.django_db

RETURNED = "机密退回：请补充陈某某的澳门住址"
DECLINED = "机密拒绝：当事人已离境"
WITHDRAWN = "机密撤回：家属来电 13700001111"


def test_verification_notices_carry_no_reason_nor_person(users, case, authorization, sent,
                                                         messages_sent):
    with messages_sent.capture():
        verification_request_return(actor=users["macau"], request=sent, reason=RETURNED)
        verification_request_send(actor=users["district"], request=sent)
        verification_request_decline(actor=users["macau"], request=sent, reason=DECLINED)
        another = verification_request_create(
            actor=users["district"], case=case, categories=["income"], receiving_side="macau",
            question="机密问题", authorization=authorization)
        verification_request_send(actor=users["district"], request=another)
        verification_request_withdraw(actor=users["district"], request=another,
                                      reason=WITHDRAWN)
    person = case.subject
    messages_sent.assert_free_of(
        [RETURNED, DECLINED, WITHDRAWN, "陈某某", "13700001111", "机密问题", sent.question,
         person.name_zh, person.phone, person.address],
        kinds={"infosharing.verification"})
    with translation.override("en"):  # as an English reader reads them
        titles = [n.display_title for n in messages_sent.notifications()]
    assert any(sent.number in title and "returned" in title for title in titles)
    assert any(another.number in title and "withdrawn" in title for title in titles)
