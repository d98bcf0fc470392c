"""Pages: role gates and visibility (anonymous, wrong agency, wrong role, allowed), uploads
of authorization scans, the receiving agency seeing the request but not the case, audited
views of findings, and every page rendering."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from infosharing_factories import PDF_BYTES, png_bytes

from infosharing.models import Authorization, RequestStatus, VerificationRequest
from infosharing.services import (
    verification_request_receive,
)
from core.identity import mask
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _authorization_post(person, scan):
    return {"person": person.pk, "signatories": "陈大文", "categories": ["income", "deposits"],
            "sides": ["macau"], "valid_from": "2026-01-01", "valid_until": "2030-12-31",
            "received_on": "2026-01-02", "scan": scan}


def test_record_authorization_with_a_checked_scan(client_for, person, users):
    client = client_for("district")
    response = client.post(reverse("infosharing:authorization_create"),
                           _authorization_post(person, SimpleUploadedFile("授权书.pdf", PDF_BYTES)))
    authorization = Authorization.objects.get()
    assert response.status_code == 302
    assert authorization.owner_agency.code == "zh-xiangzhou"
    assert "授权书" not in authorization.scan.name and authorization.scan.name.endswith(".pdf")
    download = client.get(reverse("infosharing:authorization_scan", args=[authorization.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(action="authorization.download").count() == 1


def _bad_uploads():
    return [
        ("wrong_content", SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is a program")),
        ("extension_mismatch", SimpleUploadedFile("scan.pdf", png_bytes())),
        ("too_large", SimpleUploadedFile("big.pdf", PDF_BYTES + b"%" * 200 + b"\n%%EOF\n")),
    ]


@override_settings(UPLOAD_MAX_BYTES=300)
@pytest.mark.parametrize("index", [0, 1, 2])
def test_bad_scans_are_refused_on_the_page(client_for, person, index):
    code, upload = _bad_uploads()[index]
    response = client_for("district").post(reverse("infosharing:authorization_create"),
                                           _authorization_post(person, upload))
    assert response.status_code == 200
    assert response.context["form"].errors["scan"]
    assert not Authorization.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=300)
@pytest.mark.parametrize("index", [0, 1, 2])
def test_bad_scans_are_refused_by_the_service_with_their_reason(users, person, index):
    import datetime

    from infosharing.services import authorization_record
    from core.errors import ApplicationError

    code, upload = _bad_uploads()[index]
    with pytest.raises(ApplicationError) as refused:
        authorization_record(actor=users["district"], person=person, signatories="x",
                             categories=["income"], sides=["macau"],
                             valid_from=datetime.date(2026, 1, 1),
                             valid_until=datetime.date(2027, 1, 1), scan=upload)
    assert refused.value.code == code and refused.value.field == "scan"
    assert not Authorization.objects.exists()


def test_path_like_filename_is_refused(users, person):
    from infosharing.services import authorization_record
    from core.errors import ApplicationError

    upload = SimpleUploadedFile("x.pdf", PDF_BYTES)
    upload.name = "..\\..\\windows\\scan.pdf"  # what a hostile client may send
    with pytest.raises(ApplicationError) as refused:
        authorization_record(actor=users["district"], person=person, signatories="x",
                             categories=["income"], sides=["macau"],
                             valid_from=__import__("datetime").date(2026, 1, 1),
                             valid_until=__import__("datetime").date(2027, 1, 1), scan=upload)
    assert refused.value.code == "path_in_filename"
    assert not Authorization.objects.exists()


@pytest.mark.parametrize("username, expected", [
    ("anonymous", 302), ("district2", 404), ("macau", 404), ("leader", 403), ("ngo", 403),
    ("district", 200), ("city", 200)])
def test_scan_is_served_only_to_those_who_may_see_it(client_for, authorization, username, expected):
    response = client_for(username).get(
        reverse("infosharing:authorization_scan", args=[authorization.pk]))
    assert response.status_code == expected


def test_receiver_sees_request_and_scan_but_not_the_case(client_for, sent, users):
    macau = client_for("macau")
    page = macau.get(reverse("infosharing:request_detail", args=[sent.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert sent.person.name_zh in html and sent.case.number not in html
    number = sent.person.documents.get().number
    assert mask(number) in html and number not in html  # masked; revealed only with a reason
    scan = macau.get(reverse("infosharing:request_authorization_scan", args=[sent.pk]))
    assert scan.status_code == 200 and scan["Content-Disposition"].startswith("attachment")
    # the scan's own page and the case remain closed to Macau
    assert macau.get(reverse("infosharing:authorization_scan",
                             args=[sent.authorization_id])).status_code == 404
    from cases.selectors import case_visible_to

    assert not case_visible_to(users["macau"]).exists()
    assert client_for("hengqin").get(
        reverse("infosharing:request_detail", args=[sent.pk])).status_code == 404


def test_draft_is_invisible_to_the_receiver(client_for, draft):
    assert client_for("macau").get(
        reverse("infosharing:request_detail", args=[draft.pk])).status_code == 404


def test_steps_through_pages_and_refused_steps_change_nothing(client_for, draft, users):
    url = reverse("infosharing:request_step", args=[draft.pk, "send"])
    assert client_for("anonymous").post(url).status_code == 302
    assert client_for("leader").post(url).status_code == 403
    assert client_for("district2").post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
    assert client_for("district").post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SENT
    # Macau cannot close; the attempt is refused with a message and changes nothing
    client_for("macau").post(reverse("infosharing:request_step", args=[draft.pk, "close"]))
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SENT


def test_answer_page_and_audited_finding_views(client_for, sent, users):
    verification_request_receive(actor=users["macau"], request=sent)
    macau = client_for("macau")
    form = macau.get(reverse("infosharing:request_answer", args=[sent.pk]))
    assert form.status_code == 200
    response = macau.post(reverse("infosharing:request_answer", args=[sent.pk]), {
        "outcome_income": "found", "text_income": "月入 5000 澳门元",
        "outcome_deposits": "nothing_found", "text_deposits": "",
        "attachments": SimpleUploadedFile("证明.pdf", PDF_BYTES)})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == RequestStatus.ANSWERED and sent.attachments.count() == 1
    before = AuditEvent.objects.filter(action="verificationfinding.view").count()
    page = client_for("district").get(reverse("infosharing:request_detail", args=[sent.pk]))
    assert "月入 5000 澳门元" in page.content.decode()
    assert AuditEvent.objects.filter(action="verificationfinding.view").count() == before + 1
    event = AuditEvent.objects.filter(action="verificationfinding.view").first()
    assert event.actor_username == "district" and event.object_id == str(sent.pk)
    attachment = sent.attachments.get()
    download = client_for("district").get(
        reverse("infosharing:request_attachment", args=[sent.pk, attachment.pk]))
    assert download.status_code == 200
    assert client_for("district2").get(
        reverse("infosharing:request_attachment", args=[sent.pk, attachment.pk])).status_code == 404


def test_request_list_shows_exact_visible_sets(client_for, sent, users):
    def numbers(username):
        response = client_for(username).get(reverse("infosharing:request_list"))
        return response.status_code, set(VerificationRequest.objects.filter(
            number__in=[n for n in VerificationRequest.objects.values_list("number", flat=True)
                        if n in response.content.decode()]).values_list("number", flat=True))

    assert numbers("district") == (200, {sent.number})
    assert numbers("macau") == (200, {sent.number})
    assert numbers("city") == (200, {sent.number})
    assert numbers("district2") == (200, set())
    assert numbers("hengqin") == (200, set())
    assert client_for("leader").get(reverse("infosharing:request_list")).status_code == 403


@pytest.mark.parametrize("name", ["index", "authorization_list", "authorization_create",
                                  "request_list", "request_create", "bulletin_list",
                                  "urgent_list", "urgent_create"])
def test_pages_render(client_for, sent, name):
    for username in ("district", "macau"):
        assert client_for(username).get(reverse(f"infosharing:{name}")).status_code == 200


def test_home_page_panels(client_for, sent, authorization):
    import datetime

    Authorization.objects.filter(pk=authorization.pk).update(
        valid_until=datetime.date.today() + datetime.timedelta(days=10))
    assert "即将到期的授权书" in client_for("district").get("/").content.decode()
    assert "待答覆的協查函" in client_for("macau").get("/").content.decode()  # traditional


def test_new_request_offers_the_case_subjects_authorizations_only(users, client_for, case,
                                                                  authorization):
    from infosharing_factories import make_authorization, make_person

    foreign = make_authorization(users["district"], make_person(users["district"], name="另一人"))
    client = client_for("district")
    page = client.get(f"/infosharing/requests/new/?case={case.pk}").content.decode()
    assert f'value="{authorization.pk}"' in page and f'value="{foreign.pk}"' not in page
    assert f'value="{case.number}"' in page
    page = client.get("/infosharing/requests/new/").content.decode()
    assert f'value="{authorization.pk}"' not in page  # none before the case is known
    data = {"case": case.number, "receiving_side": "macau", "categories": ["income"]}
    response = client.post("/infosharing/requests/new/", {**data, "authorization": foreign.pk})
    assert response.status_code == 200 and "authorization" in response.context["form"].errors
    assert not VerificationRequest.objects.exists()
    response = client.post("/infosharing/requests/new/", {**data, "authorization": authorization.pk})
    assert response.status_code == 302
    assert VerificationRequest.objects.get().authorization == authorization
