"""The application's database role cannot switch the audit trail off (issue 23, finding 15).

``manage.py db_roles`` creates the role in the test database; the statements of the test then
run as that role (``SET LOCAL ROLE``: the privileges are checked exactly as for a session that
logged in as it, and the role, its grants and the rows go with the test's transaction), and one
test logs in as it over a connection of its own."""
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.cases.cases_factories import case, person
from tests.zhuao.conftest import ActingAs as _ActingAs
from tests.zhuao.conftest import _role_name
from core.audit import audit_record
from core.models import AuditEvent

pytestmark = pytest.mark.postgres

REFUSED = ("UPDATE zhuao_auditevent SET summary = 'rewritten'",
           "DELETE FROM zhuao_auditevent",
           "TRUNCATE zhuao_auditevent",
           "ALTER TABLE zhuao_auditevent DISABLE TRIGGER zhuao_auditevent_append_only",
           "ALTER TABLE zhuao_auditevent DISABLE TRIGGER ALL",
           "DROP TRIGGER zhuao_auditevent_append_only ON zhuao_auditevent",
           "DROP TABLE zhuao_auditevent CASCADE",
           "CREATE OR REPLACE FUNCTION zhuao_audit_append_only() RETURNS trigger AS "
           "$$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql",
           "CREATE TABLE zhuao_auditevent_shadow (id int)",
           "ALTER TABLE cases_person DISABLE TRIGGER ALL")


def test_application_role_appends_and_reads_audit_rows_only(app_role, users):
    existing = audit_record(actor=users["city"], action="thing.view")
    with _ActingAs(app_role):
        written = audit_record(actor=users["city"], action="thing.change")
        assert AuditEvent.objects.filter(pk__in=[existing.pk, written.pk]).count() == 2
        for statement in REFUSED:
            with pytest.raises(DatabaseError, match="permission denied|must be owner"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
    assert AuditEvent.objects.get(pk=existing.pk).summary == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger "
                       "WHERE tgname = 'zhuao_auditevent_append_only'")
        assert cursor.fetchone()[0] == "O"


def test_application_role_runs_services_pages_and_api(app_role, users, client_for, api_client_for):
    with _ActingAs(app_role):
        registered = person(users["district"], name="李小文")
        opened = case(users["district"], registered)
        registered.refresh_from_db()
        page = client_for("district").get(reverse("cases:case_detail", args=[opened.pk]))
        assert page.status_code == 200
        listing = api_client_for("district").get(reverse("cases-api:case-list"))
        assert listing.status_code == 200
        # Ordinary rows may still be deleted (retention, discarded drafts, sessions).
        client_for("district").logout()
    assert AuditEvent.objects.filter(action="case.create", object_id=str(opened.pk)).exists()


def test_command_is_idempotent_and_refuses_a_role_that_could_own_tables(db):
    role = _role_name()
    call_command("db_roles", role=role, stdout=open("/dev/null", "w"))
    call_command("db_roles", role=role, stdout=open("/dev/null", "w"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT privilege_type FROM information_schema.role_table_grants "
                       "WHERE grantee = %s AND table_name = 'zhuao_auditevent' ORDER BY 1", [role])
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="must not be the role that migrates"):
        call_command("db_roles", role=owner)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE zhuao_auditevent OWNER TO {role}")
    with pytest.raises(CommandError, match="REASSIGN OWNED"):
        call_command("db_roles", role=role)


def test_later_migrations_tables_get_the_same_grants(app_role):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE zhuao_later_table (id bigserial PRIMARY KEY, note text)")
    with _ActingAs(app_role), connection.cursor() as cursor:
        cursor.execute("INSERT INTO zhuao_later_table (note) VALUES ('x') RETURNING id")
        cursor.execute("DELETE FROM zhuao_later_table")
        with pytest.raises(DatabaseError, match="permission denied|must be owner"):
            with transaction.atomic():
                cursor.execute("TRUNCATE zhuao_later_table")


@pytest.mark.django_db(transaction=True)
def test_logging_in_as_the_application_role(monkeypatch):
    """A real session of the role, with the password the command set."""
    role, password = _role_name(), uuid.uuid4().hex
    monkeypatch.setenv("APP_DATABASE_PASSWORD", password)
    call_command("db_roles", role=role, stdout=open("/dev/null", "w"))
    settings_dict = connection.settings_dict
    try:
        with psycopg.connect(host=settings_dict["HOST"] or "127.0.0.1",
                             port=settings_dict["PORT"] or 5432, dbname=settings_dict["NAME"],
                             user=role, password=password, autocommit=True) as session:
            session.execute("INSERT INTO zhuao_auditevent (occurred_at, actor_username, "
                            "agency_code, action, object_type, object_id, summary, changes, "
                            "outcome) VALUES (now(), '', '', 'thing.view', '', '', '', '{}', "
                            "'success')")
            assert session.execute("SELECT count(*) FROM zhuao_auditevent").fetchone()[0] >= 1
            for statement in REFUSED:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    session.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
