"""The README's first command on a fresh machine: the application on the embedded default
(SQLite and a filesystem broker, no server) migrates, loads the demo data and serves every page
of its menu to every demo user. Run in a subprocess with the local settings, as
``scripts/run`` does, so that a query only PostgreSQL understands fails here (one did: a
DISTINCT ON in the pilot's dashboard)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = r"""
from django.contrib.auth import get_user_model
from tests.two_factor_clients import VerifiedClient as Client

from web.navigation import nav_items

failures, seen = [], 0
for user in get_user_model().objects.filter(is_active=True).order_by("username"):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for item in [None, *nav_items(user)]:
        url = "/" if item is None else item.url
        if url.startswith("/admin/"):
            continue
        response = client.get(url, follow=True)  # a menu entry may lead on to its page
        seen += 1
        if response.status_code != 200:
            failures.append(f"{user.username} {url}: {response.status_code}")
print(f"pages={seen}")
assert not failures, "\n".join(failures)

# SQLite sums decimals as floats: a batch's page must still find its payments add up.
from remittance.models import Batch

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username="city"))
unmatched = [batch.number for batch in Batch.objects.all()
             if 'badge--ok" id="reconciliation"' not in
             client.get(f"/remittance/batches/{batch.pk}/").content.decode()]
assert not unmatched, f"batches whose reconciliation does not match: {unmatched}"
"""


def test_the_embedded_run_serves_every_menu_page_to_every_demo_user(tmp_path):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "REDIS_URL", "ZHUAO_REQUIRE_SERVICES")}
    environment.update(DJANGO_SETTINGS_MODULE="zhuao.settings.local", ZHUAO_VAR_DIR=str(tmp_path),
                       DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    def manage(*arguments):
        done = subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT,
                              env=environment, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    assert "Demo data ready" in manage("seed_demo")
    output = manage("shell", "-c", PAGES)
    assert int(output.split("pages=")[1].split()[0]) > 100
