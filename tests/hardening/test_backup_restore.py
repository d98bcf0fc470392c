"""Backup and restore (docs/operations.md): pg_dump of the live database, pg_restore into a
fresh one, and the application answers from the restore — checks pass, migrations are complete,
/healthz is ok, /readyz finds the database, the register and the append-only audit trail came
back."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from .helpers import mainland_id

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = r"""
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from tests.two_factor_clients import VerifiedClient
from cases.models import Person
from core.models import AuditEvent
call_command("check")
call_command("migrate", "--check")
health = Client().get("/readyz")
client = VerifiedClient()
from django.contrib.auth import get_user_model
client.force_login(get_user_model().objects.get(username="district"))
print("REPORT" + json.dumps({
    "healthz": Client().get("/healthz").status_code,
    "database": health.json()["checks"]["database"]["status"],
    "people": sorted(Person.objects.values_list("name_zh", flat=True)),
    "audit": AuditEvent.objects.filter(action="person.create").count(),
    "home": client.get("/").status_code,
}))
"""


def _connection_arguments(settings_dict) -> list[str]:
    return ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p",
            str(settings_dict.get("PORT") or 5432), "-U", settings_dict.get("USER") or "postgres"]


@pytest.mark.postgres
def test_dump_restores_into_a_fresh_database_and_the_application_answers(transactional_db,
                                                                          users, tmp_path):
    from django.db import connection

    from cases.models import Person
    from cases.services import person_register
    from core.models import AuditEvent

    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed (postgresql-client)")
    person_register(actor=users["district"], name_zh="备份测试", sex="male",
                    date_of_birth=date(1980, 5, 5), residence_status="macau_resident",
                    document_type="mainland_id", document_number=mainland_id(
                        birth="19800505", seq="321"))
    settings_dict = connection.settings_dict
    connection_arguments = _connection_arguments(settings_dict)
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    dump = tmp_path / "zhuao.dump"
    subprocess.run(["pg_dump", *connection_arguments, "--format=custom", "--no-owner",
                    "--file", str(dump), settings_dict["NAME"]], check=True, env=env,
                   capture_output=True, timeout=120)
    restored = f"zhuao_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *connection_arguments, restored], check=True, env=env,
                   capture_output=True)
    try:
        result = subprocess.run(["pg_restore", *connection_arguments, "--no-owner",
                                 "--exit-on-error", "--dbname", restored, str(dump)],
                                env=env, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        user = settings_dict.get("USER") or "postgres"
        credentials = f"{user}:{settings_dict['PASSWORD']}@" if settings_dict.get(
            "PASSWORD") else f"{user}@"
        url = (f"postgres://{credentials}{settings_dict.get('HOST') or '127.0.0.1'}:"
               f"{settings_dict.get('PORT') or 5432}/{restored}")
        app = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, text=True,
                             capture_output=True, timeout=180,
                             env={**env, "DJANGO_SETTINGS_MODULE": "zhuao.settings.test",
                                  "DATABASE_URL": url, "ALLOWED_HOSTS": "testserver"})
        assert app.returncode == 0, app.stdout + app.stderr
        line = next(line for line in app.stdout.splitlines() if line.startswith("REPORT"))
        report = json.loads(line[len("REPORT"):])
        assert report["healthz"] == 200 and report["database"] == "ok"
        # the restored database holds what the dumped one held (and so the new person)
        assert "备份测试" in report["people"]
        assert report["people"] == sorted(Person.objects.values_list("name_zh", flat=True))
        assert report["audit"] == AuditEvent.objects.filter(action="person.create").count() >= 1
        assert report["home"] == 200
    finally:
        subprocess.run(["dropdb", *connection_arguments, "--if-exists", "--force", restored],
                       env=env, capture_output=True)
