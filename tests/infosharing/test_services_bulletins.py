"""The two-way regular bulletin (issue 25): each side writes its own section, the bulletin is
published when all are in or when its deadline has passed (missing sides named), each recipient
agency acknowledges once; deadlines on the acting side's calendar; refusals audited."""
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from infosharing.models import Bulletin, BulletinRecipient, BulletinStatus
from infosharing.services import (
    bulletin_acknowledge,
    bulletin_email,
    bulletin_open,
    bulletin_publish,
    bulletin_section_save,
    bulletins_produce,
    bulletins_publish_due,
)
from core.calendar import add_working_days
from core.errors import ApplicationError
from core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

START, END = date(2026, 9, 1), date(2026, 9, 30)
WRITERS = {"zhuhai": "city", "macau": "macau", "hengqin": "hengqin"}


@pytest.fixture
def bulletin(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        opened, created = bulletin_open(period_start=START, period_end=END,
                                        opened_on=date(2026, 9, 28))
    assert created
    return opened


def _write(users, bulletin, side, text="", submit=True, username=None):
    return bulletin_section_save(actor=users[username or WRITERS[side]], bulletin=bulletin,
                                 side=side, common_concern=text, submit=submit)


def test_opening_twice_gives_one_bulletin_with_a_section_per_side(users, bulletin):
    again, created = bulletin_open(period_start=START, period_end=END)
    assert again == bulletin and not created
    sections = {section.side: section for section in bulletin.sections.all()}
    assert set(sections) == {"zhuhai", "macau", "hengqin"}
    assert sections["macau"].agency.code == "mo-ias"
    # opened on Monday 28 September: National Day week — the mainland works Sunday 11 October
    # (调休), Macau does not; each section is due on its own side's calendar
    assert sections["zhuhai"].due_date == add_working_days(date(2026, 9, 28), 5, "zhuhai")
    assert sections["macau"].due_date == add_working_days(date(2026, 9, 28), 5, "macau")
    assert bulletin.deadline == max(section.due_date for section in sections.values())
    assert Notification.objects.filter(recipient=users["macau"],
                                       kind="infosharing.bulletin").count() == 1
    assert Notification.objects.filter(recipient=users["city"],
                                       kind="infosharing.bulletin").count() == 1
    assert AuditEvent.objects.filter(action="bulletin.open", object_id=str(bulletin.pk)).exists()


def test_the_monthly_task_opens_last_months_bulletin_once(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert bulletins_produce() == 1
        assert bulletins_produce() == 0
    [opened] = Bulletin.objects.all()
    assert opened.status == BulletinStatus.OPEN and opened.agency is None
    assert opened.period_end == timezone.localdate().replace(day=1) - timedelta(days=1)


def test_all_sections_in_publishes_the_bulletin(users, agencies, bulletin, sent,
                                                django_capture_on_commit_callbacks):
    _write(users, bulletin, "zhuhai", "香洲区独居长者已安排探访")
    _write(users, bulletin, "hengqin", "合作区新入住家庭增加", submit=False)  # a draft is not in
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.OPEN
    _write(users, bulletin, "macau", "三宗住院個案")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _write(users, bulletin, "hengqin", "合作区新入住家庭增加")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.missing_sides == []
    assert bulletin.published_by == users["hengqin"]
    assert len(callbacks) == 1  # the PDF e-mail task
    codes = set(bulletin.recipients.values_list("agency__code", flat=True))
    assert {"mo-ias", "hq-livelihood", "zh-civil-affairs", "zh-xiangzhou", "zh-doumen"} <= codes
    macau = bulletin.recipients.get(agency=agencies["mo-ias"])
    assert macau.ack_due_date == add_working_days(timezone.localdate(), 3, "macau")
    # the counts come from the side's own records: Zhuhai sent the request, Macau did not
    counts = {section.side: dict(section.content[0]["figures"])
              for section in bulletin.sections.all()}
    assert counts["zhuhai"]["verification_requests_sent"] == 0  # sent today, not in September
    assert counts["macau"]["persons_registered"] == 0
    assert AuditEvent.objects.filter(action="bulletin.publish", object_id=str(bulletin.pk),
                                     changes__reason="complete").exists()
    assert Notification.objects.filter(recipient=users["district"],
                                       kind="infosharing.bulletin").exists()
    # the notification names the period only, never the text a side wrote
    for notification in Notification.objects.filter(kind="infosharing.bulletin"):
        assert "长者" not in notification.title + notification.body
    assert bulletin_email(bulletin_id=bulletin.pk) and not bulletin_email(bulletin_id=bulletin.pk)
    message = next(m for m in mail.outbox if users["macau"].email in m.to)
    assert message.attachments[0][2] == "application/pdf"


def test_counts_come_from_the_sides_own_records(users, sent, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=False):
        opened, _created = bulletin_open(period_start=today.replace(day=1), period_end=today)
    zhuhai = _write(users, opened, "zhuhai")
    macau = _write(users, opened, "macau")
    assert dict(zhuhai.content[0]["figures"])["verification_requests_sent"] == 1
    assert dict(zhuhai.content[0]["figures"])["persons_registered"] >= 1
    assert dict(macau.content[0]["figures"])["verification_requests_sent"] == 0


def test_deadline_passed_publishes_with_the_missing_sides_named(users, bulletin,
                                                                django_capture_on_commit_callbacks):
    _write(users, bulletin, "macau", "三宗住院個案")
    with django_capture_on_commit_callbacks(execute=False):
        assert bulletins_publish_due(today=bulletin.deadline) == 0  # not past yet
        assert bulletins_publish_due(today=bulletin.deadline + timedelta(days=1)) == 1
        assert bulletins_publish_due(today=bulletin.deadline + timedelta(days=1)) == 0
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.published_by is None
    assert bulletin.missing_sides == ["zhuhai", "hengqin"]
    assert AuditEvent.objects.filter(action="bulletin.publish", changes__reason="deadline",
                                     changes__missing="zhuhai,hengqin").exists()
    with pytest.raises(ApplicationError) as refused:
        _write(users, bulletin, "zhuhai", "太迟")
    assert refused.value.status == 409


def test_the_beat_task_publishes_past_the_deadline(users, bulletin,
                                                   django_capture_on_commit_callbacks):
    from infosharing.tasks import bulletins_publish_due as task

    Bulletin.objects.filter(pk=bulletin.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert task.apply().get() == 1
        assert task.apply().get() == 0
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.missing_sides == ["zhuhai", "macau", "hengqin"]


def test_the_beat_schedule_runs_the_sweep():
    from infosharing.schedules import SCHEDULES

    assert any(schedule.task == "infosharing.bulletins_publish_due" for schedule in SCHEDULES)


@pytest.mark.parametrize("username, side", [
    ("city", "macau"), ("macau", "zhuhai"), ("hengqin", "macau"), ("district", "zhuhai"),
    ("leader", "zhuhai"), ("ngo", "zhuhai"), ("bank", "zhuhai"), ("macau", "hengqin")])
def test_a_side_cannot_write_another_sides_section(users, bulletin, username, side):
    before = list(bulletin.sections.values("side", "common_concern", "submitted_at"))
    with pytest.raises(ApplicationError) as refused:
        _write(users, bulletin, side, "冒名", username=username)
    assert refused.value.status == 403
    assert list(bulletin.sections.values("side", "common_concern", "submitted_at")) == before
    assert AuditEvent.objects.filter(action="bulletin_section_save.refused",
                                     outcome="denied", actor_id=users[username].pk).exists()


def test_only_a_city_officer_publishes_and_only_once(users, bulletin,
                                                     django_capture_on_commit_callbacks):
    for username in ("macau", "hengqin", "district", "leader"):
        with pytest.raises(ApplicationError) as refused:
            bulletin_publish(actor=users[username], bulletin=bulletin)
        assert refused.value.status == 403
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.OPEN and not bulletin.recipients.exists()
    _write(users, bulletin, "zhuhai", "香洲区")
    with django_capture_on_commit_callbacks(execute=False):
        bulletin_publish(actor=users["city"], bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.missing_sides == ["macau", "hengqin"]
    with pytest.raises(ApplicationError) as again:
        bulletin_publish(actor=users["city"], bulletin=bulletin)
    assert again.value.status == 409
    assert AuditEvent.objects.filter(action="bulletin_publish.refused").count() == 5


def test_acknowledgement_once_per_agency(users, agencies, bulletin,
                                         django_capture_on_commit_callbacks):
    with pytest.raises(ApplicationError) as early:
        bulletin_acknowledge(actor=users["macau"], bulletin=bulletin)
    assert early.value.status == 409
    with django_capture_on_commit_callbacks(execute=False):
        bulletin_publish(actor=users["city"], bulletin=bulletin)
    bulletin.refresh_from_db()
    recipient = bulletin_acknowledge(actor=users["macau"], bulletin=bulletin)
    assert recipient.acknowledged_by == users["macau"] and recipient.acknowledged_at
    with pytest.raises(ApplicationError) as twice:
        bulletin_acknowledge(actor=users["macau_backup"], bulletin=bulletin)
    assert twice.value.status == 409
    recipient.refresh_from_db()
    assert recipient.acknowledged_by == users["macau"]
    for username in ("ngo", "leader", "bank"):
        with pytest.raises(ApplicationError) as refused:
            bulletin_acknowledge(actor=users[username], bulletin=bulletin)
        assert refused.value.status == 403
    assert AuditEvent.objects.filter(action="bulletin.acknowledge").count() == 1
    assert AuditEvent.objects.filter(action="bulletin_acknowledge.refused").count() == 5


def test_overdue_acknowledgements_are_listed(users, agencies, bulletin, client_for,
                                             django_capture_on_commit_callbacks):
    from infosharing.selectors import bulletin_acknowledgements_overdue

    with django_capture_on_commit_callbacks(execute=False):
        bulletin_publish(actor=users["city"], bulletin=bulletin)
    BulletinRecipient.objects.filter(bulletin=bulletin).update(
        ack_due_date=timezone.localdate() - timedelta(days=1))
    bulletin_acknowledge(actor=users["district"], bulletin=bulletin)
    overdue = {r.agency.code for r in bulletin_acknowledgements_overdue(users["city"])}
    assert "mo-ias" in overdue and "zh-xiangzhou" not in overdue
    assert {r.agency.code for r in bulletin_acknowledgements_overdue(users["macau"])} == {"mo-ias"}
    page = client_for("city").get(f"/infosharing/bulletins/{bulletin.pk}/").content.decode()
    assert "Overdue" in page or "逾期" in page


def test_bulletin_pdf_has_chinese_text(users, bulletin, django_capture_on_commit_callbacks):
    import io

    from django.utils import translation
    from pypdf import PdfReader

    from infosharing.pdf import bulletin_pdf

    _write(users, bulletin, "macau", "三宗住院個案")
    with django_capture_on_commit_callbacks(execute=False):
        bulletin_publish(actor=users["city"], bulletin=bulletin)
    bulletin.refresh_from_db()
    with translation.override("zh-hans"):
        pdf = bulletin_pdf(bulletin)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "三宗住院個案" in text and "香洲区民政局" in text


@pytest.mark.parametrize("path", ["/infosharing/bulletins/", "/api/v1/infosharing/bulletins/"])
def test_bulletin_lists_read_no_sections(path, users, bulletin, client_for, api_client_for):
    """A bulletin's sections are read by its own page, not by the lists."""
    client = api_client_for("city") if path.startswith("/api/") else client_for("city")
    with CaptureQueriesContext(connection) as queries:
        listed_page = client.get(path)
    assert listed_page.status_code == 200
    assert listed_page.content.decode().count("/pdf/" if "/api/" not in path else '"open"') >= 1
    assert not [q for q in queries if 'FROM "infosharing_bulletinsection"' in q["sql"]]
    listed = [q["sql"] for q in queries if 'FROM "infosharing_bulletin"' in q["sql"]]
    assert listed and not [sql for sql in listed if '"infosharing_bulletin"."emailed_to"' in sql]


def test_migration_turns_old_bulletins_into_published_zhuhai_sections(agencies):
    """``0007_two_way_bulletins`` on a bulletin made before it: published, Zhuhai's section
    holding its content, its agency the one recipient (no acknowledgement due)."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    migration = loader.get_migration("infosharing", "0007_two_way_bulletins")
    state = loader.project_state(("infosharing", "0006_inbound_requests"))
    for operation in migration.operations[:-2]:  # up to the data step, before content goes
        operation.state_forwards("infosharing", state)
    with connection.cursor() as cursor:  # the column the migration removes, for this test only
        cursor.execute("ALTER TABLE infosharing_bulletin ADD COLUMN content jsonb "
                       "NOT NULL DEFAULT '{}'::jsonb")
    OldBulletin = state.apps.get_model("infosharing", "Bulletin")
    sections = [{"key": "cases", "title": "Shared cases", "figures": [["New cases", 2]],
                 "columns": [], "rows": []}]
    old = OldBulletin.objects.create(agency_id=agencies["mo-ias"].pk, period_start=date(2025, 3, 1),
                                     period_end=date(2025, 3, 31), status="open",
                                     content={"agency": "IAS", "sections": sections})
    import_module("infosharing.migrations.0007_two_way_bulletins").forwards(state.apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before the DDL
        cursor.execute("ALTER TABLE infosharing_bulletin DROP COLUMN content")
    bulletin = Bulletin.objects.get(pk=old.pk)
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.missing_sides == []
    [section] = bulletin.sections.all()
    assert section.side == "zhuhai" and section.content == sections and section.is_in
    [recipient] = bulletin.recipients.all()
    assert recipient.agency.code == "mo-ias" and recipient.ack_due_date is None
    assert not recipient.is_overdue()


def test_the_bench_job_opens_writes_and_publishes(users, django_capture_on_commit_callbacks):
    from infosharing.bench import bulletins

    with django_capture_on_commit_callbacks(execute=False):
        assert bulletins() > 1
    bulletin = Bulletin.objects.get(agency__isnull=True)
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.missing_sides == []
