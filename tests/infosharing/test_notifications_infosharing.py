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


def test_bulletin_notices_name_the_period_only(users, messages_sent):
    """Issue 25: the notices of a bulletin opening and its publication (inbox and the PDF
    e-mail's text) name the period and the due date; the cases of common concern a side typed
    stay on the bulletin's page and in its PDF."""
    from datetime import date

    from infosharing.services import bulletin_open, bulletin_publish, bulletin_section_save

    concern = "机密关注：陈某某独居，电话 13700001111"
    with messages_sent.capture():
        bulletin, _created = bulletin_open(period_start=date(2026, 9, 1),
                                           period_end=date(2026, 9, 30))
        bulletin_section_save(actor=users["macau"], bulletin=bulletin, side="macau",
                              common_concern=concern)
        bulletin_publish(actor=users["city"], bulletin=bulletin)
    messages_sent.assert_free_of([concern, "陈某某", "13700001111"],
                                 kinds={"infosharing.bulletin"})
    titles = [n.title for n in messages_sent.notifications()]
    # in each agency's language: simplified Chinese for Zhuhai, traditional for Macau
    assert any("2026" in title and "已发布" in title for title in titles)
    assert any("2026" in title and "已發佈" in title for title in titles)
    assert any("提交本方內容" in title for title in titles)
