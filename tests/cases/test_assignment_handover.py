"""Responsible officers: the team lead reassigns, an officer hands over all open work, and the
bulk-action toolkit (core.bulk) with mixed allowed and refused items."""
import pytest

import cases_factories as factories
from cases.models import ActionItem, ActionItemStatus, Case, CaseStatus
from cases.services import case_assign, case_status_change
from infosharing.models import VerificationRequest
from infosharing.services import verification_request_create
from tempaid.models import Application
from tempaid.services import application_create
from core import bulk
from devtools.demo import ensure_user
from core.errors import ApplicationError
from core.handover import work_hand_over
from core.models import AuditEvent, Notification
from core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(agencies):
    return ensure_user("district_c", agencies["zh-xiangzhou"], Role.DISTRICT, "香洲区 孙专员")


def test_team_lead_reassigns_and_new_officer_is_told(users, colleague):
    case = factories.case(users["district"])
    assert case.assigned_officer == users["district"]
    case_assign(actor=users["district_lead"], case=case, officer=colleague)
    case.refresh_from_db()
    assert case.assigned_officer == colleague
    assert AuditEvent.objects.filter(action="case.assign", object_id=str(case.pk)).exists()
    assert Notification.objects.filter(recipient=colleague, kind="cases.assigned").count() == 1


def test_reassign_refused_for_non_lead_and_across_districts(users, colleague):
    case = factories.case(users["district"])
    with pytest.raises(ApplicationError) as refused:
        case_assign(actor=users["district"], case=case, officer=colleague)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError) as refused:
        case_assign(actor=users["district_lead"], case=case, officer=users["district2"])
    assert refused.value.code == "other_agency"
    case.refresh_from_db()
    assert case.assigned_officer == users["district"]
    assert AuditEvent.objects.filter(action="case_assign.refused", outcome="denied").count() == 2


def test_hand_over_moves_every_kind_of_open_work(users, colleague):
    leaving = users["district"]
    from cases.models import ResidenceStatus

    cases = [factories.case(leaving), factories.case(leaving, factories.person(
        leaving, document_type="macau_id", residence=ResidenceStatus.MACAU_RESIDENT))]
    closed = factories.case(leaving)
    case_status_change(actor=leaving, case=closed, status=CaseStatus.UNDER_REVIEW)
    case_status_change(actor=leaving, case=closed, status=CaseStatus.CLOSED)
    request = verification_request_create(actor=leaving, case=cases[0], categories=["income"],
                                          receiving_side="macau")
    application = application_create(actor=leaving, case=cases[1], kind="illness",
                                     description="突发疾病住院", amount_requested="500")
    counts = work_hand_over(actor=leaving, leaving=leaving, successor=colleague)
    assert counts == {"cases": 2, "requests": 1, "applications": 1}
    assert set(Case.objects.filter(assigned_officer=colleague)) == set(cases)
    assert Case.objects.get(pk=closed.pk).assigned_officer == leaving
    assert VerificationRequest.objects.get(pk=request.pk).responsible_officer == colleague
    assert Application.objects.get(pk=application.pk).responsible_officer == colleague
    assert AuditEvent.objects.filter(action="case.handover").count() == 2
    assert AuditEvent.objects.filter(action="verificationrequest.handover").count() == 1
    assert AuditEvent.objects.filter(action="application.handover").count() == 1
    assert AuditEvent.objects.filter(action="work.handover").count() == 1
    assert Notification.objects.filter(recipient=colleague, kind="handover").count() == 1
    assert not Notification.objects.filter(recipient=colleague, kind="cases.assigned").exists()


def test_hand_over_refused_for_others_and_across_agencies(users, colleague):
    factories.case(users["district"])
    with pytest.raises(ApplicationError):
        work_hand_over(actor=colleague, leaving=users["district"], successor=colleague)
    with pytest.raises(ApplicationError):
        work_hand_over(actor=users["district"], leaving=users["district"],
                       successor=users["district2"])
    assert not Case.objects.filter(assigned_officer=colleague).exists()
    # the team lead may hand over a colleague's work
    work_hand_over(actor=users["district_lead"], leaving=users["district"], successor=colleague)
    assert Case.objects.filter(assigned_officer=colleague).count() == 1


def test_bulk_toolkit_caps_and_parses():
    assert bulk.parse_ids(["3", "3", "4"]) == [3, 4]
    for values in ([], ["x"], [str(n) for n in range(1, bulk.MAX_ITEMS + 2)]):
        with pytest.raises(ApplicationError):
            bulk.parse_ids(values)


def test_bulk_assign_page_mixed(users, colleague, client_for):
    mine = factories.case(users["district"])
    closed = factories.case(users["district"])
    case_status_change(actor=users["district"], case=closed, status=CaseStatus.UNDER_REVIEW)
    case_status_change(actor=users["district"], case=closed, status=CaseStatus.CLOSED)
    other = factories.case(users["district2"])  # Doumen: not visible to Xiangzhou
    client = client_for("district_lead")
    ids = [mine.pk, closed.pk, other.pk]
    confirm = client.post("/cases/assign/", {"ids": ids})
    assert confirm.status_code == 200
    assert mine.number in confirm.content.decode()
    result = client.post("/cases/assign/", {"ids": ids, "confirm": "1",
                                            "officer": colleague.pk})
    assert result.status_code == 200
    body = result.content.decode()
    assert result.context["result"].counts == {"succeeded": 1, "refused": 2}
    assert other.number not in body
    assert Case.objects.get(pk=mine.pk).assigned_officer == colleague
    assert Case.objects.get(pk=closed.pk).assigned_officer == users["district"]
    assert Case.objects.get(pk=other.pk).assigned_officer == users["district2"]


def test_bulk_assign_refused_for_non_lead(users, colleague, client_for):
    case = factories.case(users["district"])
    result = client_for("district").post("/cases/assign/", {
        "ids": [case.pk], "confirm": "1", "officer": colleague.pk})
    assert result.context["result"].counts == {"succeeded": 0, "refused": 1}
    assert Case.objects.get(pk=case.pk).assigned_officer == users["district"]


def test_bulk_too_many_is_refused_clearly(client_for):
    response = client_for("district_lead").post(
        "/cases/assign/", {"ids": [str(n) for n in range(1, bulk.MAX_ITEMS + 2)]})
    assert response.status_code == 400
    assert str(bulk.MAX_ITEMS) in response.content.decode()


def test_bulk_action_items_done_mixed(users, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from cases.secretariat.services import action_item_create, meeting_create

    meeting = meeting_create(actor=users["city"], title="联席会议", kind="joint_conference", place="市民政局",
                             starts_at=timezone.now() + timedelta(days=1))
    due = timezone.localdate() + timedelta(days=7)
    own = action_item_create(actor=users["city"], meeting=meeting, title="走访",
                             owner_agency=users["district"].staff.agency, due_date=due)
    others = action_item_create(actor=users["city"], meeting=meeting, title="核对",
                                owner_agency=users["district2"].staff.agency, due_date=due)
    result = client_for("district").post("/cases/action-items/done/", {
        "ids": [own.pk, others.pk], "confirm": "1"})
    assert result.context["result"].counts == {"succeeded": 1, "refused": 1}
    assert ActionItem.objects.get(pk=own.pk).status == ActionItemStatus.DONE
    assert ActionItem.objects.get(pk=others.pk).status == ActionItemStatus.OPEN


def test_handover_page_check_then_confirm(users, colleague, client_for):
    factories.case(users["district"])
    client = client_for("district")
    data = {"leaving": users["district"].pk, "successor": colleague.pk}
    check = client.post("/handover/", data)
    assert check.status_code == 200 and check.context["total"] == 1
    assert Case.objects.filter(assigned_officer=colleague).count() == 0
    done = client.post("/handover/", {**data, "confirm": "1"})
    assert done.status_code == 302
    assert Case.objects.filter(assigned_officer=colleague).count() == 1


def test_team_lead_reassigns_a_request_and_an_application_from_their_pages(
        users, colleague, client_for):
    from cases.models import ResidenceStatus

    officer = users["district"]
    case = factories.case(officer, factories.person(
        officer, document_type="macau_id", residence=ResidenceStatus.MACAU_RESIDENT))
    request = verification_request_create(actor=officer, case=case, categories=["income"],
                                          receiving_side="macau")
    application = application_create(actor=officer, case=case, kind="illness",
                                     description="突发疾病住院", amount_requested="500")
    lead, plain = client_for("district_lead"), client_for("district")
    for detail, assign, record in (
            (f"/infosharing/requests/{request.pk}/", "/infosharing/requests/assign/", request),
            (f"/tempaid/{application.pk}/", "/tempaid/assign/", application)):
        link = f'{assign}?ids={record.pk}"'
        assert link in lead.get(detail).content.decode()
        assert link not in plain.get(detail).content.decode()
        refused = plain.post(assign, {"ids": [record.pk], "confirm": "1",
                                      "officer": colleague.pk})
        assert refused.context["result"].counts == {"succeeded": 0, "refused": 1}
        done = lead.post(assign, {"ids": [record.pk], "confirm": "1", "officer": colleague.pk})
        assert done.context["result"].counts == {"succeeded": 1, "refused": 0}
        record.refresh_from_db()
        assert record.responsible_officer == colleague
    assert Notification.objects.filter(recipient=colleague).count() == 2


def test_the_case_list_shows_a_case_nobody_is_responsible_for(users, client_for):
    """The responsible-officer column reads a user that may be missing: a dash, not an error."""
    case = factories.case(users["district"])
    Case.objects.filter(pk=case.pk).update(assigned_officer=None)
    response = client_for("district").get("/cases/")
    assert response.status_code == 200 and case.number in response.content.decode()
