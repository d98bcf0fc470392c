"""Issue 26, forms: the request's and the authorization's pages hold buttons, not open forms;
each step has its own short page (showing the request it acts on), closing a request and
revoking an authorization go through a check page and end on a confirmation page, and a
request started from the person's page comes with its case, side and authorization chosen."""
import re
from datetime import date

import pytest
from django.urls import reverse
from infosharing_factories import make_authorization, make_case, make_person, pdf_upload

from infosharing.models import Authorization, RequestStatus, VerificationRequest
from infosharing.services import (
    verification_request_answer,
    verification_request_receive,
)
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

QUESTION = "请核实其在澳门的收入与存款"


@pytest.fixture
def answered(users, sent):
    verification_request_receive(actor=users["macau"], request=sent)
    return verification_request_answer(
        actor=users["macau"], request=sent, attachments=[],
        findings=[{"category": "income", "outcome": "found", "text": "月入 5000 澳门元"},
                  {"category": "deposits", "outcome": "nothing_found", "text": ""}])


def _main(response) -> str:
    """The page's own content (the layout around it holds the language switch)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _status(verification):
    verification.refresh_from_db()
    return verification.status


# --- the detail pages are not walls of forms ----------------------------------------------

def test_the_request_page_holds_buttons_not_forms(client_for, sent):
    receiver = client_for("macau").get(reverse("infosharing:request_detail", args=[sent.pk]))
    html = _main(receiver)
    assert "<textarea" not in html and "<select" not in html
    assert reverse("infosharing:request_step", args=[sent.pk, "return"]) in html
    assert reverse("infosharing:request_step", args=[sent.pk, "decline"]) in html
    requester = client_for("district").get(reverse("infosharing:request_detail", args=[sent.pk]))
    html = _main(requester)
    assert "<textarea" not in html
    assert reverse("infosharing:request_step", args=[sent.pk, "withdraw"]) in html


def test_the_authorization_page_holds_a_revoke_button_not_a_form(client_for, authorization):
    html = _main(client_for("district").get(
        reverse("infosharing:authorization_detail", args=[authorization.pk])))
    assert "<textarea" not in html and 'type="date"' not in html
    assert reverse("infosharing:authorization_revoke", args=[authorization.pk]) in html


# --- a step that needs a reason: its own page ----------------------------------------------

@pytest.mark.parametrize("step, allowed", [("withdraw", "district"), ("return", "macau"),
                                           ("decline", "macau")])
@pytest.mark.parametrize("username", ["anonymous", "leader", "ngo", "district2", "hengqin",
                                      "city", "district", "macau"])
def test_each_side_sees_only_its_own_step_pages(client_for, sent, step, allowed, username):
    response = client_for(username).get(
        reverse("infosharing:request_step", args=[sent.pk, step]))
    expected = {"anonymous": 302, "leader": 403, "ngo": 403}.get(
        username, 200 if username == allowed else 404)
    assert response.status_code == expected
    if expected == 200:  # the page shows the question the step acts on, and one form
        html = _main(response)
        assert QUESTION in html and html.count("<form") == 1 and html.count("<textarea") == 1


@pytest.mark.parametrize("step, username, status", [
    ("withdraw", "district", RequestStatus.WITHDRAWN), ("return", "macau", RequestStatus.RETURNED),
    ("decline", "macau", RequestStatus.DECLINED)])
def test_a_step_page_refuses_an_empty_reason_in_the_error_summary_then_takes_the_step(
        client_for, sent, step, username, status):
    client = client_for(username)
    url = reverse("infosharing:request_step", args=[sent.pk, step])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and b"data-error-summary" in refused.content
    assert _status(sent) == RequestStatus.SENT
    done = client.post(url, {"reason": "缺少户籍证明"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "infosharing:request_detail", args=[sent.pk])
    assert _status(sent) == status


def test_the_wrong_side_posting_a_step_is_refused_audited_and_changes_nothing(client_for, sent):
    url = reverse("infosharing:request_step", args=[sent.pk, "decline"])
    assert client_for("district").post(url, {"reason": "x"}).status_code == 404
    assert _status(sent) == RequestStatus.SENT
    assert AuditEvent.objects.filter(action="verification_request_decline.refused").exists()
    # without a reason either: never the step's page for the other side
    assert client_for("district").post(url, {"reason": ""}).status_code == 404
    assert client_for("city").post(url, {"reason": ""}).status_code == 404
    assert _status(sent) == RequestStatus.SENT


def test_a_one_click_step_is_not_a_page(client_for, draft):
    assert client_for("district").get(
        reverse("infosharing:request_step", args=[draft.pk, "send"])).status_code == 405


def test_a_step_no_longer_open_sends_back_to_the_request(client_for, answered):
    response = client_for("macau").get(
        reverse("infosharing:request_step", args=[answered.pk, "return"]))
    assert response.status_code == 302


# --- closing: check, confirm, confirmation ------------------------------------------------

@pytest.mark.parametrize("username, expected", [
    ("anonymous", 302), ("leader", 403), ("ngo", 403), ("district2", 404), ("hengqin", 404),
    ("city", 404), ("macau", 404), ("district", 200)])
def test_the_close_check_page_is_the_requesters(client_for, answered, username, expected):
    assert client_for(username).get(
        reverse("infosharing:request_close", args=[answered.pk])).status_code == expected


def test_close_through_check_confirm_and_confirmation(client_for, answered):
    district = client_for("district")
    check = district.get(reverse("infosharing:request_close", args=[answered.pk]))
    html = check.content.decode()
    assert QUESTION in html and answered.person.name_zh in html
    assert 'id="close-effects"' in html and 'id="confirm-close"' in html
    assert "Records found" in html or "查有记录" in html or 'id="close-findings"' in html
    assert _status(answered) == RequestStatus.ANSWERED  # looking changes nothing
    done = district.post(reverse("infosharing:request_close", args=[answered.pk]))
    assert done.status_code == 302
    assert done["Location"] == reverse("infosharing:request_closed", args=[answered.pk])
    assert _status(answered) == RequestStatus.CLOSED
    assert AuditEvent.objects.filter(action="verificationrequest.close").count() == 1
    confirmation = district.get(done["Location"])
    assert confirmation.status_code == 200 and b'id="next-steps"' in confirmation.content
    assert client_for("macau").get(done["Location"]).status_code == 404
    # the old step address still closes (it is the same URL): nothing else to keep working


def test_closing_too_early_shows_why_in_the_error_summary(client_for, sent):
    district = client_for("district")
    check = district.get(reverse("infosharing:request_close", args=[sent.pk]))
    assert check.status_code == 200 and b"data-error-summary" in check.content
    assert b'id="confirm-close"' not in check.content
    refused = district.post(reverse("infosharing:request_close", args=[sent.pk]))
    assert refused.status_code == 200 and b"data-error-summary" in refused.content
    assert _status(sent) == RequestStatus.SENT
    assert AuditEvent.objects.filter(action="verification_request_close.refused").exists()
    # the confirmation page of a request not closed sends back to the request
    assert district.get(reverse("infosharing:request_closed", args=[sent.pk])).status_code == 302


def test_the_receiver_posting_close_is_refused_and_audited(client_for, answered):
    assert client_for("macau").post(
        reverse("infosharing:request_close", args=[answered.pk])).status_code == 404
    assert _status(answered) == RequestStatus.ANSWERED
    assert AuditEvent.objects.filter(action="verification_request_close.refused").exists()


# --- revoking: check, confirm, confirmation -------------------------------------------------

@pytest.mark.parametrize("username, expected", [
    ("anonymous", 302), ("leader", 403), ("ngo", 403), ("district2", 404), ("macau", 404),
    ("hengqin", 404), ("city", 200), ("district", 200)])
def test_the_revoke_check_page_per_role(client_for, authorization, username, expected):
    assert client_for(username).get(reverse(
        "infosharing:authorization_revoke", args=[authorization.pk])).status_code == expected


def test_revoke_through_check_confirm_and_confirmation(client_for, draft, authorization):
    district = client_for("district")
    url = reverse("infosharing:authorization_revoke", args=[authorization.pk])
    check = district.get(url).content.decode()
    assert 'id="revoke-pending"' in check and draft.number in check
    assert authorization.person.name_zh in check and 'id="confirm-revoke"' in check
    refused = district.post(url, {"reason": "", "revoked_on": ""})
    assert refused.status_code == 200 and b"data-error-summary" in refused.content
    authorization.refresh_from_db()
    assert not authorization.is_revoked
    done = district.post(url, {"reason": "本人撤回同意", "revoked_on": date.today().isoformat()})
    assert done["Location"] == reverse("infosharing:authorization_revoked",
                                       args=[authorization.pk])
    authorization.refresh_from_db()
    assert authorization.is_revoked and _status(draft) == RequestStatus.WITHDRAWN
    confirmation = district.get(done["Location"]).content.decode()
    assert 'id="next-steps"' in confirmation and draft.number in confirmation
    # once revoked, the check page is the confirmation page
    assert district.get(url)["Location"] == done["Location"]
    assert client_for("district2").get(done["Location"]).status_code == 404


# --- defaults: a request started from the person's page --------------------------------------

def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    if select:
        return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*checked', html)


def test_a_request_started_from_the_person_page_is_prefilled(client_for, users, case,
                                                             authorization):
    district = client_for("district")
    person_page = district.get(reverse("cases:person_detail", args=[case.subject_id]))
    link = reverse("infosharing:request_create") + f"?person={case.subject_id}"
    assert link in person_page.content.decode()
    html = district.get(link).content.decode()
    assert f'value="{case.number}"' in html
    assert _selected(html, "receiving_side") == ["macau"]
    assert _selected(html, "authorization") == [str(authorization.pk)]


def test_the_side_follows_the_persons_residence(client_for, users):
    from cases.models import Person, ResidenceStatus

    person = make_person(users["district"], name="黄小明")
    Person.objects.filter(pk=person.pk).update(residence_status=ResidenceStatus.HENGQIN_RESIDENT)
    make_case(users["district"], person)
    html = client_for("district").get(
        reverse("infosharing:request_create") + f"?person={person.pk}").content.decode()
    assert _selected(html, "receiving_side") == ["hengqin"]
    assert _selected(html, "authorization") in ([], [""])  # none on file: nothing to pick


def test_an_authorization_registered_on_the_way_returns_to_the_request_form(client_for, users,
                                                                           case):
    district = client_for("district")
    form = district.get(reverse("infosharing:request_create") + f"?person={case.subject_id}")
    register = re.search(r'id="register-authorization">.*?<a href="([^"]+)"',
                         form.content.decode(), re.S).group(1).replace("&amp;", "&")
    assert district.get(register).status_code == 200
    response = district.post(register, {
        "person": case.subject_id, "signatories": "陈大文", "categories": ["income"],
        "sides": ["macau"], "valid_from": "2026-01-01", "valid_until": "2030-12-31",
        "received_on": "2026-01-02", "scan": pdf_upload()})
    authorization = Authorization.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("infosharing:request_create"))
    assert f"authorization={authorization.pk}" in response["Location"]
    html = district.get(response["Location"]).content.decode()
    assert _selected(html, "authorization") == [str(authorization.pk)]
    assert _selected(html, "receiving_side") == ["macau"]


def test_the_way_back_never_leaves_the_site(client_for, person):
    response = client_for("district").post(
        reverse("infosharing:authorization_create") + "?next=https://evil.example/",
        {"person": person.pk, "signatories": "陈大文", "categories": ["income"],
         "sides": ["macau"], "valid_from": "2026-01-01", "valid_until": "2030-12-31",
         "received_on": "2026-01-02", "scan": pdf_upload()})
    assert response["Location"] == reverse("infosharing:authorization_detail",
                                           args=[Authorization.objects.get().pk])


def test_the_liaison_asking_zhuhai_gets_the_persons_only_authorization(client_for, users):
    person = make_person(users["macau"], name="梁小玲")
    authorization = make_authorization(users["macau"], person, sides=("zhuhai",))
    html = client_for("macau").get(
        reverse("infosharing:request_create") + f"?person={person.pk}").content.decode()
    assert _selected(html, "authorization") == [str(authorization.pk)]
    assert VerificationRequest.objects.count() == 0
