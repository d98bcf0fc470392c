"""Shared fixtures: demo agencies and one user per role, logged-in clients, a real Celery
worker, and Playwright driving Debian's Chromium.

Tests marked ``postgres`` / ``redis`` / ``browser`` need those services; they are skipped when
missing on a developer machine, and the skip becomes a failure when ZHUAO_REQUIRE_SERVICES=1
(CI), so nothing that must run can quietly not run."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + ORM in one test

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("ZHUAO_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(item) -> str | None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and "postgresql" not in engine:
        return "needs PostgreSQL (set DATABASE_URL)"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis (set REDIS_URL)"
    if item.get_closest_marker("browser") and not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM}"
    tool = item.get_closest_marker("tool")
    if tool and not shutil.which(tool.args[0]):
        return f"needs the {tool.args[0]} command (scripts/setup --test installs it)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
        reason = _missing_service(item)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
            item.user_properties.append(("missing_service", reason))
        else:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _fail_missing_service(request):
    reason = dict(request.node.user_properties).get("missing_service")
    pytest.fail(f"ZHUAO_REQUIRE_SERVICES=1 but this test {reason}")


# --- demo agencies and users -------------------------------------------------------------

@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo agencies and users once per test database; tests run in transactions
    that roll back, so they start from this state."""
    from devtools import demo as zhuao_demo

    with django_db_blocker.unblock():
        zhuao_demo.seed()


@pytest.fixture
def demo(db):
    """The demo agencies and one user per role (devtools.demo), no workstream data. Seeded once
    per session; re-seeded after a transactional test has emptied the tables."""
    from django.contrib.auth import get_user_model

    from devtools import demo as zhuao_demo
    from core.models import Agency

    usernames = [row[0] for row in zhuao_demo.USERS]
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=usernames).select_related("staff__agency")}
    if len(users) != len(usernames):
        return zhuao_demo.seed()
    return {"agencies": {agency.code: agency for agency in Agency.objects.all()}, "users": users}


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def agencies(demo):
    return demo["agencies"]


@pytest.fixture
def client():
    """pytest-django's ``client``, whose ``force_login`` also passes the second factor with the
    user's real device (tests/two_factor_clients.py): signed-in pages need both."""
    from tests.two_factor_clients import VerifiedClient

    return VerifiedClient()


@pytest.fixture
def client_for(users):
    """client_for("district") -> a Django test client logged in as that demo user (password
    and second factor)."""
    from tests.two_factor_clients import VerifiedClient

    def make(username: str) -> VerifiedClient:
        client = VerifiedClient()
        if username != "anonymous":
            client.force_login(users[username])
        return client

    return make


@pytest.fixture
def api_client_for(users):
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        if username != "anonymous":
            client.force_authenticate(users[username])
        return client

    return make


# --- the full demo data -------------------------------------------------------------------

class Seeded(dict):
    """The demo users by username; ``media_root`` holds the demo's uploaded files."""

    media_root = None


class FullDemo:
    """Puts every workstream's demo data in the test database: ``seed_demo`` the first time,
    its uploaded files in ``media_root``; after that a copy of the database as it then was
    (tests/snapshots.py), well under a second instead of seconds."""

    def __init__(self, media_root: Path):
        self.media_root = media_root
        self.copy: str | None = None

    def load(self, *, flush_first: bool = False) -> None:
        from django.core.management import call_command
        from django.test.utils import override_settings

        from tests import snapshots

        if self.copy and snapshots.restore(self.copy):
            return
        if flush_first:
            call_command("flush", interactive=False, verbosity=0)
        with override_settings(MEDIA_ROOT=self.media_root), open(os.devnull, "w") as quiet:
            call_command("seed_demo", verbosity=0, stdout=quiet)
        self.copy = snapshots.take("demo")


@pytest.fixture(scope="session")
def full_demo(django_db_blocker, tmp_path_factory):
    """The session's FullDemo (the caller sets up the test database); its copy is dropped at
    the end."""
    from tests import snapshots

    made = FullDemo(tmp_path_factory.mktemp("demo-media"))
    yield made
    if made.copy:
        with django_db_blocker.unblock():
            snapshots.drop(made.copy)


@pytest.fixture(scope="module")
def seeded(django_db_setup, full_demo, django_db_blocker, tmp_path_factory):
    """The full demo data (every workstream), committed once for the module and flushed
    afterwards so that other modules start from an empty database. Tests using it set
    ``settings.MEDIA_ROOT = seeded.media_root`` (the ``seeded_media`` fixture does): a copy of
    the demo's uploaded files, the module's own."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    media = tmp_path_factory.mktemp("seeded-media")
    with django_db_blocker.unblock():
        full_demo.load()
        users = Seeded({user.username: user for user in get_user_model().objects.all()})
    shutil.copytree(full_demo.media_root, media, dirs_exist_ok=True)
    users.media_root = media
    yield users
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def seeded_media(seeded, settings):
    settings.MEDIA_ROOT = seeded.media_root
    return seeded


# --- what notifications say ----------------------------------------------------------------

@pytest.fixture
def messages_sent(db, django_capture_on_commit_callbacks):
    """Every inbox notification and e-mail sent from here on, as texts.

    ``with messages_sent.capture(): ...`` runs the code and its on-commit callbacks (the
    e-mails); ``messages_sent.texts()`` gives "title\nbody" of each notification created since
    the fixture was set up and "subject\nbody" of each e-mail; ``messages_sent.assert_free_of(
    secrets)`` fails naming the first secret found (issue 23, finding 3)."""
    from django.core import mail

    from core.models import Notification

    class Sent:
        first_pk = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
                    or 0)
        first_mail = len(getattr(mail, "outbox", []))

        def capture(self):
            return django_capture_on_commit_callbacks(execute=True)

        def notifications(self):
            return list(Notification.objects.filter(pk__gt=self.first_pk).order_by("pk"))

        def emails(self):
            return list(getattr(mail, "outbox", []))[self.first_mail:]

        def texts(self) -> list[str]:
            return ([f"{n.title}\n{n.body}" for n in self.notifications()]
                    + [f"{m.subject}\n{m.body}" for m in self.emails()])

        def assert_free_of(self, secrets, *, kinds=()):
            secrets = [secret for secret in secrets if secret]
            notifications = self.notifications()
            assert notifications, "nothing was notified"
            missing = set(kinds) - {n.kind for n in notifications}
            assert not missing, f"no notification of kind {sorted(missing)}"
            for text in self.texts():
                for secret in secrets:
                    assert secret not in text, f"{secret!r} is in the message {text!r}"

    return Sent()


# --- a real Celery worker ------------------------------------------------------------------

def _database_url_for_subprocess() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def celery_worker_factory(transactional_db, tmp_path):
    """Start a real worker process against the test database and broker.

    ``start(extra_env={...})`` returns the Popen; the worker is ready when it returns (it has
    run a heartbeat task). Settings read from the environment can be changed through
    ``extra_env`` (e.g. short escalation times). Stopped at the end of the test."""
    from django.conf import settings

    from core.models import WorkerHeartbeat
    from core.tasks import heartbeat

    processes: list[subprocess.Popen] = []

    def start(extra_env: dict[str, str] | None = None, *, concurrency: int = 1) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuao.settings.test",
               "DATABASE_URL": _database_url_for_subprocess(),
               "ZHUAO_VAR_DIR": str(settings.VAR_DIR), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
               **(extra_env or {})}
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "zhuao", "worker", "--loglevel=INFO",
             f"--concurrency={concurrency}", "--pool=prefork", "--without-gossip",
             "--without-mingle", "-n", f"test{len(processes)}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(process)
        WorkerHeartbeat.objects.filter(name="worker").delete()
        heartbeat.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if WorkerHeartbeat.objects.filter(name="worker").exists():
                return process
            if process.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError("Celery worker did not start:\n" + Path(log.name).read_text())

    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wait_for(condition, *, timeout: float = 30, interval: float = 0.3, message: str = ""):
    """Poll ``condition()`` until truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout} s")


# --- browser -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def login(live_server):
    """login(page, "district") signs in through the real login form, then enters the code
    the user's authenticator app would show (their real TOTP device)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from tests.two_factor_clients import confirmed_device, current_code

    def sign_in(page, username: str, password: str | None = None):
        account = get_user_model().objects.filter(username=username).first()
        if account is not None:
            confirmed_device(account)  # an account made by the test has set up its app too
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or settings.ZHUAO_DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if "/accounts/two-factor/verify/" in page.url:
            user = get_user_model().objects.get(username=username)
            page.fill("#id_code", current_code(user))
            page.click("#main button[type=submit]")
            page.wait_for_load_state("networkidle")
        return page

    return sign_in


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: throttle counts, cached dashboards and the
    worker heartbeat of one test (or of an earlier run: the cache outlives it) never reach
    another."""
    from django.core.cache import cache

    cache.clear()


def pytest_sessionfinish(session, exitstatus):
    from django.conf import settings

    shutil.rmtree(settings.VAR_DIR / "test-media", ignore_errors=True)
