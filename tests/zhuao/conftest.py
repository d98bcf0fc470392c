"""Fixtures of the shared-domain tests."""
import uuid

import pytest
from django.core.management import call_command
from django.db import connection


def _role_name() -> str:
    return f"zhuao_test_app_{uuid.uuid4().hex[:10]}"


class ActingAs:
    """Statements inside run as ``role`` (``SET LOCAL ROLE``), with its privileges."""

    def __init__(self, role):
        self.role = role

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(self.role)}")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.fixture
def app_role(db):
    role = _role_name()
    call_command("db_roles", role=role, stdout=open("/dev/null", "w"))
    return role


