"""Retention (PIPL art. 19/47): personal data past its period is anonymised by the nightly job,
the dashboard's aggregates stay, every run is audited; tested with frozen time."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db.models import Count

from core.models import AuditEvent
from core.retention import ANONYMISED, apply_retention, collect_rules

from .helpers import mainland_id

pytestmark = pytest.mark.django_db


def _person(user, seq: str, name: str):
    from cases.services import person_register

    return person_register(actor=user, name_zh=name, sex="female", date_of_birth=date(1990, 1, 1),
                           residence_status="macau_resident", document_type="mainland_id",
                           document_number=mainland_id(seq=seq), phone="13800000000",
                           address="香洲区某路1号")


@pytest.fixture
def register(users):
    from cases.models import CaseStatus
    from cases.services import case_open, case_status_change

    district = users["district"]
    with time_machine.travel("2019-03-01 10:00 +0800", tick=False):
        old_closed = _person(district, "101", "张旧案")
        case = case_open(actor=district, subject=old_closed, category="temporary_relief",
                         summary="家庭困难详情")
        case_status_change(actor=district, case=case, status=CaseStatus.UNDER_REVIEW)
        case_status_change(actor=district, case=case, status=CaseStatus.CLOSED, reason="done")
        old_open = _person(district, "102", "李未结")
        case_open(actor=district, subject=old_open, category="minimum_living")
    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        recent = _person(district, "103", "王新近")
    return {"old_closed": old_closed, "old_open": old_open, "recent": recent, "case": case}


def _aggregates():
    from cases.models import Case

    return list(Case.objects.values("district", "category", "status")
                .annotate(n=Count("id")).order_by("district", "category", "status"))


def test_people_past_the_period_are_anonymised_and_the_aggregates_stay(register):
    from cases.models import Case, IdentityDocument, Person

    before = _aggregates()
    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        report = apply_retention()
    assert report.counts["cases.person"] == 1
    gone = Person.objects.get(pk=register["old_closed"].pk)
    assert gone.name_zh == ANONYMISED and gone.phone == "" and gone.address == ""
    assert gone.date_of_birth == date(1990, 1, 1)  # birth year kept for statistics
    assert not IdentityDocument.objects.filter(person=gone).exists()
    case = Case.objects.get(pk=register["case"].pk)
    assert case.summary == ANONYMISED and case.district and case.number
    # untouched: a person with an open case, and a recent one
    assert Person.objects.get(pk=register["old_open"].pk).name_zh == "李未结"
    assert Person.objects.get(pk=register["recent"].pk).name_zh == "王新近"
    assert _aggregates() == before
    event = AuditEvent.objects.get(action="retention.anonymise", object_type="cases.person")
    assert event.changes["count"] == 1 and str(gone.pk) in event.changes["ids"]
    assert "张旧案" not in f"{event.summary}{event.changes}"


def test_nothing_is_anonymised_before_the_period_ends(register):
    with time_machine.travel("2023-06-01 02:30 +0800", tick=False):
        report = apply_retention()
    assert report.counts["cases.person"] == 0
    assert not AuditEvent.objects.filter(action="retention.anonymise").exists()


def test_a_second_run_does_nothing_more(register):
    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        apply_retention()
        again = apply_retention()
    assert again.counts["cases.person"] == 0 and again.counts["cases.case"] == 0
    assert AuditEvent.objects.filter(action="retention.anonymise").count() == 2  # person, case


def test_the_period_is_configurable(register, settings, monkeypatch):
    settings.ZHUAO_RETENTION_DAYS = {"cases.person": 30}
    with time_machine.travel("2026-03-01 02:30 +0800", tick=False):
        report = apply_retention(dry_run=True)
    assert report.counts["cases.person"] == 2  # the old closed one and the recent one
    monkeypatch.setenv("RETENTION_CASES_PERSON_DAYS", "100000")
    with time_machine.travel("2026-03-01 02:30 +0800", tick=False):
        assert apply_retention().counts["cases.person"] == 0


def test_dry_run_changes_nothing(register):
    from cases.models import Person

    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        report = apply_retention(dry_run=True)
    assert report.counts["cases.person"] == 1
    assert Person.objects.filter(name_zh=ANONYMISED).count() == 0


def test_an_apps_hold_keeps_a_person(register, monkeypatch):
    import core.retention as retention

    held = register["old_closed"].pk
    original = retention.collect_rules

    def with_hold():
        rules, holds = original()
        holds.setdefault("cases.person", []).append(lambda cutoff: [held])
        return rules, holds

    monkeypatch.setattr(retention, "collect_rules", with_hold)
    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        assert retention.apply_retention().counts["cases.person"] == 0


def test_rules_are_collected_and_scheduled(db):
    from core.schedules import all_schedules

    names = {rule.name for rule in collect_rules()[0]}
    assert {"cases.person", "cases.case"} <= names
    assert any(s.task == "zhuao.retention_apply" for s in all_schedules())


def test_the_beat_task_runs_the_job(register):
    from core.tasks import retention_apply

    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        result = retention_apply.apply().get()
    assert result["counts"]["cases.person"] == 1


def test_the_management_command(register, capsys):
    from django.core.management import call_command

    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        call_command("retention_apply", "--dry-run")
    assert "cases.person: 1" in capsys.readouterr().out


def test_inbox_notifications_go_after_a_year(users):
    """Their titles and texts name people and cases: a year after they were sent they are
    deleted (``zhuao.notification``); the records they point to stay."""
    from core.models import Notification
    from core.notifications import notify_users

    with time_machine.travel("2025-03-01 10:00 +0800", tick=False):
        old, = notify_users(recipients=[users["district"]], title="个案已共享：陈大文",
                            email=False)
    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        recent, = notify_users(recipients=[users["district"]], title="个案已共享：李小文",
                               email=False)
    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        assert apply_retention(dry_run=True).counts["zhuao.notification"] == 1
        assert Notification.objects.filter(pk=old.pk).exists()
        report = apply_retention()
    assert report.counts["zhuao.notification"] == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [recent.pk]
    event = AuditEvent.objects.get(action="retention.anonymise", object_type="zhuao.notification")
    assert event.changes["ids"] == str(old.pk)


def _meeting_with_records(users, agencies, *, title: str, done: bool):
    from datetime import timedelta

    from django.utils import timezone

    from cases.secretariat.services import (action_item_create, action_item_progress,
                                            agenda_item_add, decision_record, meeting_create,
                                            minutes_save)

    city = users["city"]
    meeting = meeting_create(actor=city, title=title, kind="joint_conference",
                             starts_at=timezone.now() + timedelta(hours=1), place="会议室")
    item = agenda_item_add(actor=city, meeting=meeting, title="陈大文家庭个案研判",
                           reason="陈大文一家三口收入不足")
    decision = decision_record(actor=city, agenda_item=item, text="由香洲区跟进陈大文个案")
    action = action_item_create(actor=city, meeting=meeting, title="家访陈大文",
                                owner_agency=agencies["zh-civil-affairs"],
                                due_date=timezone.localdate() + timedelta(days=7),
                                description="联系陈大文", decision=decision)
    action_item_progress(actor=city, action_item=action, text="已电话联系陈大文",
                         status="done" if done else None)
    minutes_save(actor=city, meeting=meeting, text="会议讨论陈大文家庭情况")
    return meeting


def test_joint_meetings_lose_their_texts_after_five_years(users, agencies):
    """Minutes, agenda titles and reasons, decisions and action items name families: emptied
    five years after the meeting (``cases.meeting``); the rows stay for the counts, and a
    meeting with an action item still open is held back."""
    from cases.models import ActionItem, ActionItemProgress, AgendaItem, Decision, Meeting

    with time_machine.travel("2019-03-01 10:00 +0800", tick=False):
        old = _meeting_with_records(users, agencies, title="2019年第一次联席会议", done=True)
        still_open = _meeting_with_records(users, agencies, title="2019年第二次联席会议",
                                           done=False)
    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        recent = _meeting_with_records(users, agencies, title="2026年第一次联席会议", done=True)
    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        report = apply_retention()
    assert report.counts["cases.meeting"] == 1
    texts = " ".join([
        *Meeting.objects.filter(pk=old.pk).values_list("minutes", flat=True),
        *AgendaItem.objects.filter(meeting=old).values_list("title", "reason").first(),
        *Decision.objects.filter(agenda_item__meeting=old).values_list("text", flat=True),
        *ActionItem.objects.filter(meeting=old).values_list("title", "description").first(),
        *ActionItemProgress.objects.filter(action_item__meeting=old).values_list("text",
                                                                                 flat=True)])
    assert "陈大文" not in texts and ANONYMISED in texts
    assert Meeting.objects.get(pk=old.pk).title == "2019年第一次联席会议"  # still counted
    assert ActionItem.objects.filter(meeting=old, status="done").count() == 1
    for kept in (still_open, recent):
        assert "陈大文" in Meeting.objects.get(pk=kept.pk).minutes
    assert AuditEvent.objects.filter(action="retention.anonymise",
                                     object_type="cases.meeting").count() == 1


def test_imported_spreadsheets_lose_their_checked_rows_after_ninety_days(users, client_for):
    """A people or service-record import keeps every checked row, identity numbers included,
    encrypted: 90 days on (``zhuao.spreadsheetimport``) the rows go, an import never confirmed
    is discarded, and the counts, checksum and result stay."""
    from django.urls import reverse

    from core.models import SpreadsheetImport, SpreadsheetImportStatus
    from web.imports import import_mark_committed, import_store

    district = users["district"]

    def stored(name):
        return import_store(actor=district, kind="people", agency=district.staff.agency,
                            name=name, data=name.encode(), row_count=1,
                            rows=[{"row": 2, "name_zh": "陈大文", "id_number": mainland_id(seq="321")}],
                            errors=[], warnings=[])
    with time_machine.travel("2026-01-05 10:00 +0800", tick=False):
        committed, forgotten = stored("committed.csv"), stored("forgotten.csv")
        import_mark_committed(committed, actor=district, summary={"people": 1})
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        recent = stored("recent.csv")
    with time_machine.travel("2026-06-01 02:30 +0800", tick=False):
        assert apply_retention().counts["zhuao.spreadsheetimport"] == 2
        assert apply_retention().counts["zhuao.spreadsheetimport"] == 0
    committed, forgotten, recent = (SpreadsheetImport.objects.get(pk=run.pk)
                                    for run in (committed, forgotten, recent))
    assert committed.preview == {} and forgotten.preview == {}
    assert committed.status == SpreadsheetImportStatus.COMMITTED
    assert forgotten.status == SpreadsheetImportStatus.DISCARDED
    assert committed.summary == {"people": 1, "preview_removed": "2026-06-01"}
    assert committed.valid_count == 1 and len(committed.sha256) == 64
    assert recent.preview["rows"][0]["id_number"] == mainland_id(seq="321")
    assert recent.status == SpreadsheetImportStatus.PREVIEWED
    page = client_for("district").get(reverse("cases:person_import_detail", args=[committed.pk]))
    assert page.status_code == 200 and "陈大文" not in page.content.decode()
    assert 'id="import-preview-removed"' in page.content.decode()
