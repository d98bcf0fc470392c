"""Register services: duplicate detection, bad input saves nothing, case workflow, sharing."""
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import cases_factories as factories
from cases.models import Case, CaseAttachment, CaseEvent, CaseStatus, IdentityDocument, Person
from cases.services import (
    case_attachment_add,
    case_share,
    case_status_change,
    case_unshare,
    household_create,
    household_member_add,
    income_item_add,
    person_register,
)
from core.errors import ApplicationError
from core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _register(actor, **overrides):
    data = dict(actor=actor, name_zh="陈大文", sex="male", date_of_birth=date(1960, 5, 1),
                residence_status="macau_resident", document_type="macau_id",
                document_number="1234567(8)")
    data.update(overrides)
    return person_register(**data)


def test_the_same_number_typed_differently_finds_the_existing_person(users):
    first = _register(users["district"])
    for spelling in ("1/234567/8", "１２３４５６７（８）", " 12345678 "):
        with pytest.raises(ApplicationError) as caught:
            _register(users["district2"], name_zh="陈大民", document_number=spelling)
        assert caught.value.code == "duplicate"
        assert caught.value.existing == first
    assert Person.objects.count() == 1 and IdentityDocument.objects.count() == 1


def test_same_number_of_another_document_type_is_another_person(users):
    number = factories.mainland_id()
    _register(users["district"], document_type="mainland_id", document_number=number,
              date_of_birth=date(1980, 1, 1), residence_status="zhuhai_household")
    with pytest.raises(ApplicationError):
        _register(users["district"], document_type="mainland_id", document_number=number.lower(),
                  date_of_birth=date(1980, 1, 1))
    assert Person.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"document_number": "1234567"}, "document_number"),
    ({"document_type": "mainland_id", "document_number": "440402198001011235"}, "document_number"),
    ({"date_of_birth": "tomorrow"}, "date_of_birth"),  # the day after the test runs
    ({"name_zh": "  "}, "name_zh"),
    ({"document_type": "mainland_id", "document_number": "440402198001010010"}, "date_of_birth"),
])
def test_bad_input_raises_with_field_and_saves_nothing(users, overrides, field):
    if overrides.get("date_of_birth") == "tomorrow":
        overrides["date_of_birth"] = timezone.localdate() + timedelta(days=1)
    if overrides.get("document_number") == "440402198001010010":
        overrides["document_number"] = factories.mainland_id(birth="19800101", seq=1)
    with pytest.raises(ApplicationError) as caught:
        _register(users["district"], **overrides)
    assert caught.value.field == field
    assert str(caught.value.message)
    assert not Person.objects.exists() and not AuditEvent.objects.filter(action="person.create").exists()


def test_status_workflow_and_reopen_needs_a_reason(users):
    case = factories.case(users["district"])
    with pytest.raises(ApplicationError):
        case_status_change(actor=users["district"], case=case, status=CaseStatus.CLOSED)
    case_status_change(actor=users["district"], case=case, status=CaseStatus.UNDER_REVIEW)
    case = case_status_change(actor=users["district"], case=case, status=CaseStatus.CLOSED)
    assert case.closed_at is not None
    with pytest.raises(ApplicationError) as caught:
        case_status_change(actor=users["district"], case=case, status=CaseStatus.OPEN, reason=" ")
    assert caught.value.field == "reason"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    case = case_status_change(actor=users["district"], case=case, status=CaseStatus.OPEN,
                              reason="新证据")
    assert case.status == CaseStatus.OPEN and case.closed_at is None
    assert AuditEvent.objects.filter(action="case.reopen", summary="新证据").exists()
    assert CaseEvent.objects.filter(case=case, kind="status").count() == 3


def test_share_needs_reason_and_a_cross_border_agency_and_notifies_the_liaison(users, agencies):
    case = factories.case(users["district"])
    with pytest.raises(ApplicationError):
        case_share(actor=users["district"], case=case, agency=agencies["mo-ias"], reason="")
    with pytest.raises(ApplicationError):
        case_share(actor=users["district"], case=case, agency=agencies["zh-doumen"], reason="x")
    assert not AuditEvent.objects.filter(action="case.share").exists()
    case_share(actor=users["district"], case=case, agency=agencies["mo-ias"], reason="协查")
    assert Notification.objects.filter(recipient=users["macau"], kind="cases.share").exists()
    with pytest.raises(ApplicationError):
        case_share(actor=users["district"], case=case, agency=agencies["mo-ias"], reason="again")
    case_unshare(actor=users["district"], case=case, agency=agencies["mo-ias"], reason="结束")
    assert AuditEvent.objects.filter(action="case.unshare", summary="结束").exists()
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)[:2]) == [
        "unshared", "shared"]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachment_checks_type_and_size(users, settings):
    case = factories.case(users["district"])
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ApplicationError) as caught:
        case_attachment_add(actor=users["district"], case=case,
                            file=SimpleUploadedFile("a.pdf", PDF + b"0" * 2000))
    assert caught.value.field == "file"
    with pytest.raises(ApplicationError):
        case_attachment_add(actor=users["district"], case=case,
                            file=SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10))
    assert not CaseAttachment.objects.exists()
    attachment = case_attachment_add(actor=users["district"], case=case,
                                     file=SimpleUploadedFile("证明.pdf", PDF))
    assert attachment.kind == "pdf" and attachment.original_name.endswith(".pdf")


def test_household_members_and_income(users):
    head = factories.person(users["district"])
    spouse = factories.person(users["district"], name="王芳")
    household = household_create(actor=users["district"], head=head)
    household_member_add(actor=users["district"], household=household, person=spouse,
                         relationship="spouse")
    with pytest.raises(ApplicationError):
        household_member_add(actor=users["district"], household=household, person=spouse,
                             relationship="child")
    item = income_item_add(actor=users["district"], household=household, kind="wages",
                           monthly_amount="2,800.50", currency="CNY", member=spouse)
    assert str(item.monthly_amount) == "2800.50"
    with pytest.raises(ApplicationError):
        income_item_add(actor=users["district"], household=household, kind="wages",
                        monthly_amount="-5", currency="CNY")
    assert household.income_items.count() == 1
    assert timezone.now()
