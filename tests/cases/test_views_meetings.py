"""The secretariat's pages: meetings, agenda, key-case queue, decisions, action items, minutes
workflow and PDF, home-page panel of overdue items, liaison roster."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

import cases_factories as factories
from form_values import open_forms
from cases.models import ActionItem, AgendaItem, Decision, Meeting, MinutesStatus
from cases.secretariat.services import (action_item_create, agenda_item_propose_key_case,
                                        meeting_create)
from core.models import AuditEvent, LiaisonAssignment, Notification

pytestmark = pytest.mark.django_db


def _post(client, name, args, data, expect=302):
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == expect, response.content.decode()[-2000:]
    return response


def test_secretariat_runs_a_meeting_end_to_end(client_for, users, agencies):
    case = factories.case(users["district"])
    city = client_for("city")
    start = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    _post(city, "cases:meeting_create", [], {
        "title": "联席会议", "kind": "joint_conference", "starts_at": start, "place": "三楼",
        "invited_agencies": [agencies["mo-ias"].pk, agencies["zh-xiangzhou"].pk],
        "invited_people": [users["macau"].pk]})
    meeting = Meeting.objects.get()
    _post(city, "cases:agenda_add", [meeting.pk], {
        "agenda-title": "研判", "agenda-kind": "key_case_review",
        "agenda-case_numbers": "ZH-0000-999999"}, expect=400)
    _post(city, "cases:agenda_add", [meeting.pk], {
        "agenda-title": "研判", "agenda-kind": "key_case_review",
        "agenda-case_numbers": case.number.lower()})
    item = AgendaItem.objects.get()
    case.refresh_from_db()
    assert case.is_key_case and list(item.cases.all()) == [case]
    _post(city, "cases:decision_add", [meeting.pk, item.pk], {"decision-text": ""}, expect=400)
    # a key case is not decided by a note alone: a held meeting, an outcome, who took part
    refused = _post(city, "cases:decision_add", [meeting.pk, item.pk],
                    {"decision-text": "同意救助"}, expect=400)
    assert "标记为已召开" in refused.content.decode() or "held" in refused.content.decode()
    _post(city, "cases:meeting_step", [meeting.pk, "held"], {})
    _post(city, "cases:decision_add", [meeting.pk, item.pk], {
        "decision-text": "同意救助", "decision-outcome": "approved",
        "decision-participating_agencies": [agencies["zh-civil-affairs"].pk,
                                            agencies["mo-ias"].pk],
        "decision-participants": [users["macau"].pk]})
    decision = Decision.objects.get()
    assert decision.outcome == "approved" and list(decision.participants.all()) == [users["macau"]]
    page = city.get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    assert "同意救助" in page
    _post(city, "cases:action_item_add", [meeting.pk], {
        "action-title": "发放救助金", "action-owner_agency": agencies["zh-xiangzhou"].pk,
        "action-due_date": (date.today() + timedelta(days=7)).isoformat(),
        "action-decision": decision.pk})
    assert ActionItem.objects.get().decision == decision
    _post(city, "cases:minutes_save", [meeting.pk], {"minutes-minutes": "会议议定事项如下。"})
    # publishing the minutes: a check page first, nothing sent by looking or by a bare POST
    check = city.get(reverse("cases:meeting_step", args=[meeting.pk, "circulate"]))
    assert check.status_code == 200 and "会议议定事项如下。" in check.content.decode()
    assert 'name="confirm"' in check.content.decode()
    bare = _post(city, "cases:meeting_step", [meeting.pk, "circulate"], {})
    assert bare["Location"] == reverse("cases:meeting_step", args=[meeting.pk, "circulate"])
    assert not Notification.objects.filter(kind="cases.minutes").exists()
    done = _post(city, "cases:meeting_step", [meeting.pk, "circulate"], {"confirm": "yes"})
    assert done["Location"] == reverse("cases:minutes_done", args=[meeting.pk, "circulate"])
    assert "data-confirmation" in city.get(done["Location"]).content.decode()
    assert Notification.objects.filter(recipient=users["macau"], kind="cases.minutes").exists()
    assert city.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk])).status_code == 404
    assert city.get(reverse("cases:meeting_step",
                            args=[meeting.pk, "approve"])).status_code == 200
    _post(city, "cases:meeting_step", [meeting.pk, "approve"], {"confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert city.get(reverse("cases:minutes_done", args=[meeting.pk, "approve"])).status_code == 200
    for username, expected in (("anonymous", 302), ("macau", 403), ("district", 403)):
        assert client_for(username).get(
            reverse("cases:minutes_done", args=[meeting.pk, "approve"])).status_code == expected
        assert client_for(username).get(
            reverse("cases:meeting_step", args=[meeting.pk, "approve"])).status_code == expected
    _post(city, "cases:minutes_save", [meeting.pk], {"minutes-minutes": "改"}, expect=400)
    pdf = client_for("macau").get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "同意救助" in text and case.number in text and "发放救助金" in text
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"meeting.create", "agendaitem.create", "decision.create", "actionitem.create",
            "meeting.minutes_approve", "meeting.minutes_pdf"} <= actions


def test_meeting_visibility_and_secretariat_gates(client_for, users, agencies):
    meeting = meeting_create(actor=users["city"], title="专题", kind="thematic_discussion",
                             starts_at=timezone.now() + timedelta(days=1), place="室",
                             invited_agencies=[agencies["mo-ias"]])
    url = reverse("cases:meeting_detail", args=[meeting.pk])
    assert client_for("macau").get(url).status_code == 200
    assert client_for("leader").get(url).status_code == 200
    assert client_for("hengqin").get(url).status_code == 404
    assert client_for("district").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    for username in ("macau", "district", "leader"):
        client = client_for(username)
        assert client.post(reverse("cases:agenda_add", args=[meeting.pk]),
                           {"agenda-title": "x", "agenda-kind": "general"}).status_code == 403
        assert client.get(reverse("cases:meeting_create")).status_code == 403
    assert not AgendaItem.objects.exists()


def test_pending_key_case_queue_is_assigned_by_the_secretariat(client_for, users):
    case = factories.case(users["district"])
    item = agenda_item_propose_key_case(actor=users["district"], case=case, title="研判",
                                        reason="超出区级限额")
    assert item.meeting is None
    city = client_for("city")
    page = city.get(reverse("cases:pending_reviews"))
    assert case.number in page.content.decode()
    meeting = meeting_create(actor=users["city"], title="联席", kind="joint_conference",
                             starts_at=timezone.now() + timedelta(days=5), place="室")
    assert client_for("district").post(reverse("cases:pending_assign", args=[item.pk]),
                                       {"meeting": meeting.pk}).status_code == 403
    _post(city, "cases:pending_assign", [item.pk], {"meeting": meeting.pk})
    item.refresh_from_db()
    assert item.meeting == meeting and item.status == "scheduled"


def test_pending_reviews_page_stays_bounded_as_meetings_and_reviews_grow(client_for, users):
    """A page of reviews and the nearest meetings to choose from, however many are waiting or
    scheduled; a meeting further out is still accepted when posted."""
    from cases.secretariat.views import MEETINGS_OFFERED, PAGE_SIZE

    items = [agenda_item_propose_key_case(actor=users["district"],
                                          case=factories.case(users["district"]),
                                          title=f"研判{index}", reason="超出区级限额")
             for index in range(PAGE_SIZE + 2)]
    meetings = [meeting_create(actor=users["city"], title=f"联席{index:02d}",
                               kind="joint_conference", place="室",
                               starts_at=timezone.now() + timedelta(days=2 + index))
                for index in range(MEETINGS_OFFERED + 3)]
    city = client_for("city")
    page = city.get(reverse("cases:pending_reviews")).content.decode()
    assert page.count('action="/cases/meetings/pending/') == PAGE_SIZE
    assert page.count(meetings[0].title) == PAGE_SIZE
    assert meetings[MEETINGS_OFFERED - 1].title in page
    assert meetings[MEETINGS_OFFERED].title not in page
    second = city.get(reverse("cases:pending_reviews"), {"page": 2}).content.decode()
    assert second.count('action="/cases/meetings/pending/') == 2
    far = meetings[-1]
    _post(city, "cases:pending_assign", [items[0].pk], {"meeting": far.pk})
    items[0].refresh_from_db()
    assert items[0].meeting == far


def test_overdue_action_items_show_on_the_owner_agencys_home_page(client_for, users, agencies):
    meeting = meeting_create(actor=users["city"], title="联席", kind="joint_conference",
                             starts_at=timezone.now() - timedelta(days=30), place="室")
    overdue = action_item_create(actor=users["city"], meeting=meeting, title="逾期事项甲",
                                 owner_agency=agencies["zh-xiangzhou"],
                                 due_date=date.today() - timedelta(days=3))
    action_item_create(actor=users["city"], meeting=meeting, title="未到期事项乙",
                       owner_agency=agencies["zh-xiangzhou"],
                       due_date=date.today() + timedelta(days=3))
    home = client_for("district").get(reverse("home")).content.decode()
    assert "逾期事项甲" in home and "未到期事项乙" not in home
    assert "逾期事项甲" not in client_for("district2").get(reverse("home")).content.decode()
    # The owner records progress; another agency cannot.
    url = reverse("cases:action_item_detail", args=[overdue.pk])
    assert client_for("district2").post(url, {"text": "x", "status": "done"}).status_code == 404
    _post(client_for("district"), "cases:action_item_detail", [overdue.pk],
          {"text": "已办结", "status": "done"})
    assert "逾期事项甲" not in client_for("district").get(reverse("home")).content.decode()


def test_liaison_roster_view_for_all_edit_for_city(client_for, users, agencies):
    page = client_for("ngo").get(reverse("cases:liaison_list"))
    assert page.status_code == 200 and users["macau"].first_name in page.content.decode()
    assert client_for("macau").get(reverse("cases:liaison_create")).status_code == 403
    city = client_for("city")
    count = LiaisonAssignment.objects.count()
    # Overlapping primary for IAS is refused; a Doumen liaison who is not IAS staff too.
    for user in (users["macau_backup"], users["district2"]):
        response = city.post(reverse("cases:liaison_create"), {
            "agency": agencies["mo-ias"].pk, "user": user.pk, "role": "primary",
            "valid_from": "2026-01-01"})
        assert response.status_code == 200
    assert LiaisonAssignment.objects.count() == count
    _post(city, "cases:liaison_create", [], {
        "agency": agencies["zh-doumen"].pk, "user": users["district2"].pk, "role": "primary",
        "valid_from": "2026-01-01", "phone": "0756-1234567"})
    assert LiaisonAssignment.objects.filter(agency=agencies["zh-doumen"]).exists()


def test_the_meeting_page_is_not_a_wall_of_open_forms(client_for, users, agencies):
    """Each action (add an agenda item, record a decision, withdraw an item, add an action
    item) opens its own form from its button; only the minutes' draft stays open."""
    case = factories.case(users["district"])
    meeting = meeting_create(actor=users["city"], title="联席会议", kind="joint_conference",
                             starts_at=timezone.now() + timedelta(days=1), place="三楼",
                             invited_agencies=[agencies["mo-ias"]])
    agenda_item_propose_key_case(actor=users["city"], case=case, title="研判", reason="研判")
    page = client_for("city").get(reverse("cases:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    shown = open_forms(page.content.decode())
    assert all("/minutes/" in action for action in shown), shown
