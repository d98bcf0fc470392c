"""Fixtures of the officer-experience harness; the what and why is in e2e_harness.py."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # e2e_harness, whatever the import mode

from e2e_harness import Crawler, DemoSite  # noqa: E402


@pytest.fixture(scope="session")
def harness_database(django_db_setup, django_db_blocker):
    """The test database, even when no other test of the session asked for one.

    pytest-django creates the test database only for sessions holding tests that request
    ``db``/``transactional_db``/``live_server``; these tests request none of them (see
    e2e_harness), so when they run alone the database is set up here."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        if _is_test_database(connection):
            yield
            return
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


def _is_test_database(connection) -> bool:
    """After set-up the connection's NAME is the test database's: the TEST NAME when one is
    configured (SQLite here), else ``test_<name>`` (PostgreSQL)."""
    name = str(connection.settings_dict["NAME"])
    configured = (connection.settings_dict.get("TEST") or {}).get("NAME")
    if configured:
        return name == str(configured)
    return Path(name).name.startswith("test_")


@pytest.fixture(scope="package")
def demo_site(harness_database, full_demo, django_db_blocker):
    """Every workstream's demo data and a live server, once for the tests of this package (see
    e2e_harness). Package, not session: the database is flushed as soon as the run leaves
    tests/e2e, so a test that a parallel worker runs next (pytest -n hands it files in its own
    order) starts from an empty database; a later e2e file there seeds again."""
    from django.core.management import call_command
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        assert _is_test_database(connection), "refusing to flush a database that is not the test one"
        started = time.monotonic()
        _seed(full_demo)
        print(f"demo data seeded in {time.monotonic() - started:.1f} s")
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield DemoSite(url=server.url)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _seed(full_demo):
    """seed_demo on an emptied database (or the copy of its first result: the root conftest's
    ``full_demo``); with ZHUAO_E2E_TOLERANT_SEED=1 (while an app's demo data is being written)
    an app whose seeding fails is left out with a warning instead of stopping the harness."""
    import warnings
    from importlib import import_module

    from django.core.management import call_command
    from django.db import transaction

    if os.environ.get("ZHUAO_E2E_TOLERANT_SEED") != "1":
        full_demo.load(flush_first=True)
        return
    call_command("flush", interactive=False, verbosity=0)
    from devtools import demo
    from core.schedules import ensure_schedules
    from core.workstreams import WORKSTREAMS

    with transaction.atomic():
        base = demo.seed()
    for app_name in WORKSTREAMS:
        try:
            with transaction.atomic():
                import_module(f"{app_name}.demo").seed(base)
        except Exception as error:  # noqa: BLE001
            warnings.warn(f"demo data of {app_name} left out: {error!r}")
    ensure_schedules()


@pytest.fixture(scope="package")
def crawler(demo_site, browser, browser_context_args):
    """One signed-in page per role (axe-core loaded), reused by every harness test."""
    made = Crawler(site=demo_site, browser=browser, context_args=dict(browser_context_args))
    yield made
    made.close()
