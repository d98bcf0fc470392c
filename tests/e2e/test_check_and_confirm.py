"""Issue 26 in a real browser: closing a verification request goes through its check page, a
confirm button and a confirmation page of what happens next; a request started from the
person's page arrives with the side of the person's residence, the case and the authorization
chosen; revoking an authorization and merging two people end the same way. axe finds nothing
on any of these pages."""
from __future__ import annotations

import pytest

from tests.e2e.e2e_harness import AXE_JS, AXE_OPTIONS, AXE_PATH, require_axe

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "请核实其在澳门的收入"


def _axe_clean(page):
    violations = page.evaluate(AXE_JS, AXE_OPTIONS)
    assert violations == [], (page.url, violations)


def _person_case_authorization(users, *, name="陈大文"):
    from tests.infosharing.infosharing_factories import (make_authorization, make_case,
                                                         make_person)

    person = make_person(users["district"], name=name)
    case = make_case(users["district"], person)
    return person, case, make_authorization(users["district"], person)


def _answered_request(users):
    from infosharing.services import (verification_request_answer, verification_request_create,
                                      verification_request_receive, verification_request_send)

    person, case, authorization = _person_case_authorization(users)
    request = verification_request_create(actor=users["district"], case=case,
                                          categories=["income"], receiving_side="macau",
                                          question=QUESTION, authorization=authorization)
    verification_request_send(actor=users["district"], request=request)
    verification_request_receive(actor=users["macau"], request=request)
    return verification_request_answer(
        actor=users["macau"], request=request, attachments=[],
        findings=[{"category": "income", "outcome": "found", "text": "每月领取养老金"}])


def test_close_a_request_through_check_confirm_and_confirmation(page, live_server, login,
                                                                users):
    from infosharing.models import RequestStatus

    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    request = _answered_request(users)
    login(page, "district")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/")
    assert page.locator("main textarea").count() == 0, "the request's page holds open forms"
    _axe_clean(page)

    page.click(f"a[href='/infosharing/requests/{request.pk}/close/']")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/requests/{request.pk}/close/")
    assert page.locator("#close-effects").is_visible()
    assert QUESTION in page.locator("[data-testid=question]").inner_text()
    _axe_clean(page)
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED, "the check page changed the request"

    page.click("#confirm-close")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/requests/{request.pk}/closed/")
    assert page.locator("#confirmation").is_visible()
    assert page.locator("#next-steps li").count() >= 2
    _axe_clean(page)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED


def test_start_a_request_from_the_person_page_with_the_side_preselected(page, live_server,
                                                                        login, users):
    from cases.models import Person, ResidenceStatus
    from infosharing.models import VerificationRequest

    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    person, case, authorization = _person_case_authorization(users, name="黄小明")
    Person.objects.filter(pk=person.pk).update(residence_status=ResidenceStatus.HENGQIN_RESIDENT)
    login(page, "district")
    page.goto(f"{live_server.url}/cases/people/{person.pk}/")
    page.click("#ask-to-verify")
    page.wait_for_load_state("load")
    assert "/infosharing/requests/new/" in page.url
    assert page.locator("#id_receiving_side").input_value() == "hengqin"
    assert page.locator("#id_authorization").input_value() == str(authorization.pk)
    assert case.number in page.locator("#id_case").input_value()
    _axe_clean(page)

    page.check("input[name=categories][value=income]")
    page.fill("#id_question", "请核实收入")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    created = VerificationRequest.objects.get(person=person)
    assert created.receiving_side == "hengqin" and created.authorization == authorization
    assert created.case == case


def test_revoke_an_authorization_through_check_confirm_and_confirmation(page, live_server,
                                                                        login, users):
    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    _, _, authorization = _person_case_authorization(users)
    login(page, "district")
    page.goto(f"{live_server.url}/infosharing/authorizations/{authorization.pk}/")
    page.click(f"a[href='/infosharing/authorizations/{authorization.pk}/revoke/']")
    page.wait_for_load_state("load")
    assert page.locator("#revoke-effects").is_visible()
    _axe_clean(page)
    page.click("#confirm-revoke")  # no reason: refused in the error summary
    page.wait_for_load_state("load")
    assert page.locator("[data-error-summary]").is_visible()
    _axe_clean(page)
    page.fill("#id_reason", "本人撤回同意")
    page.click("#confirm-revoke")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/authorizations/{authorization.pk}/revoked/")
    assert page.locator("#next-steps").is_visible()
    _axe_clean(page)
    authorization.refresh_from_db()
    assert authorization.is_revoked


def test_a_step_page_and_the_merge_confirmation_pass_axe(page, live_server, login, users):
    from cases.merge import person_merge_propose
    from cases.models import PersonMergeStatus
    from infosharing.services import verification_request_create, verification_request_send
    from tests.infosharing.infosharing_factories import make_person

    require_axe()
    page.context.add_init_script(path=str(AXE_PATH))
    person, case, authorization = _person_case_authorization(users)
    request = verification_request_create(actor=users["district"], case=case,
                                          categories=["income"], receiving_side="macau",
                                          question=QUESTION, authorization=authorization)
    verification_request_send(actor=users["district"], request=request)
    login(page, "macau")
    page.goto(f"{live_server.url}/infosharing/requests/{request.pk}/return/")
    assert QUESTION in page.locator("[data-testid=question]").inner_text()
    _axe_clean(page)

    other = make_person(users["district"], name="陳大文")
    proposal = person_merge_propose(actor=users["district"], survivor=person, duplicate=other)
    page.context.clear_cookies()
    login(page, "city")
    page.goto(f"{live_server.url}/cases/people/merges/{proposal.pk}/")
    assert page.locator("#merge-effects").is_visible()
    _axe_clean(page)
    page.click("#merge-confirm")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/people/merges/{proposal.pk}/done/")
    assert page.locator("#next-steps").is_visible()
    _axe_clean(page)
    proposal.refresh_from_db()
    assert proposal.status == PersonMergeStatus.MERGED
