"""The permission-matrix engine: routes from the URL configuration, one object per record kind
from the demo data, and the expected answer per role from permission_matrix.py.

A cell's answer is ``A`` (allowed: the page or endpoint answers) or ``D`` (denied: login
redirect, 401, 403 or 404 — never the data). For a POST-only route, a denied cell must also
change nothing."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

#: The roles of the matrix: demo usernames, in the order of the table's answer strings.
ROLES = ["anonymous", "city", "district", "district2", "finance", "finwork", "macau", "hengqin",
         "ngo", "ngo2", "leader", "admin", "secadmin", "auditadmin"]

#: Routes not in the matrix because they are not record endpoints (auth, language, health,
#: schema/docs, the API roots) — each is covered by its own test, named here.
OUT_OF_SCOPE = {
    "login": "tests/zhuao/test_auth.py", "logout": "tests/zhuao/test_auth.py",
    "password_change": "tests/hardening/test_sessions.py",
    "password_change_done": "tests/hardening/test_sessions.py",
    "language_set": "tests/zhuao/test_auth.py", "healthz": "tests/zhuao/test_monitoring.py",
    "readyz": "tests/zhuao/test_monitoring.py", "metrics": "tests/zhuao/test_monitoring.py",
    "api_schema": "tests/hardening/test_api_fuzz.py", "api_docs": "tests/zhuao/test_platform.py",
    "api_redoc": "tests/zhuao/test_platform.py",
    "api_token_obtain": "tests/hardening/test_sessions.py",
    "api_token_revoke": "tests/hardening/test_sessions.py",
    "two_factor_enrol": "tests/zhuao/test_two_factor.py",
    "two_factor_verify": "tests/zhuao/test_two_factor.py",
    "export_status": "tests/zhuao/test_exports.py", "export_download": "tests/zhuao/test_exports.py",
    # the iCalendar feed answers its private token, not a session
    "cases:meeting_feed": "tests/cases/test_meeting_calendar.py",
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced url name
    pattern: str  # the full route
    parameters: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")


def _parameters(pattern: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern)
    return tuple(next(part for part in name if part) for name in names)


def routes() -> list[Route]:
    """Every named route of the project except the admin site and format-suffix duplicates."""
    found: dict[str, Route] = {}

    def walk(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                child_namespace = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                if child_namespace.startswith("admin:"):
                    continue
                yield from walk(entry, prefix + str(entry.pattern), child_namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield Route(namespace + entry.name, prefix + str(entry.pattern),
                            _parameters(prefix + str(entry.pattern)))

    for route in walk(get_resolver()):
        if "format" in route.parameters:
            continue
        found.setdefault(route.name, route)
    return sorted(found.values(), key=lambda route: route.name)


# --- which record a route's parameters point at -------------------------------------------

#: (route-name regex, parameter) -> model label. First match wins; "pk" of API routes is
#: taken from the viewset's queryset when not listed.
PARAMETER_MODELS: list[tuple[str, str, str]] = [
    (r"^(cases:person|partners:service_record)_import_detail", "pk", "zhuao.SpreadsheetImport"),
    (r"^cases:(person_|household_create|case_create|merge_propose|identity_document)", "pk",
     "cases.Person"),
    (r"^cases:identity_document", "document_pk", "cases.IdentityDocument"),
    (r"^cases-api:person", "document_pk", "cases.IdentityDocument"),
    (r"^cases:merge_(detail|done)", "pk", "cases.PersonMerge"),
    (r"^cases:", "person_pk", "cases.Person"),
    (r"^cases:(household|income)", "pk", "cases.Household"),
    (r"^cases:household_member", "member_pk", "cases.HouseholdMember"),
    (r"^cases:income", "item_pk", "cases.IncomeItem"),
    (r"^cases:case_", "pk", "cases.Case"),
    (r"^cases:case_", "attachment_pk", "cases.CaseAttachment"),
    (r"^cases:(case|person)_", "agency_pk", "zhuao.Agency"),
    (r"^cases:(meeting|agenda_add|decision|action_item_add|minutes)", "pk", "cases.Meeting"),
    (r"^cases:series_", "pk", "cases.MeetingSeries"),
    (r"^cases:(pending_assign|agenda_withdraw|decision)", "item_pk", "cases.AgendaItem"),
    (r"^cases:action_item", "pk", "cases.ActionItem"),
    (r"^cases:liaison", "pk", "zhuao.LiaisonAssignment"),
    (r"^infosharing:authorization", "pk", "infosharing.Authorization"),
    (r"^infosharing:request", "pk", "infosharing.VerificationRequest"),
    (r"^infosharing:request", "attachment_pk", "infosharing.FindingAttachment"),
    (r"^infosharing:bulletin", "pk", "infosharing.Bulletin"),
    (r"^infosharing:urgent", "pk", "infosharing.UrgentNotification"),
    (r"^remittance:(recipient|appointment_create)", "pk", "remittance.Recipient"),
    (r"^remittance:bank_(recipient|account|document)", "pk", "remittance.Recipient"),
    (r"^remittance:bank_appointment", "pk", "remittance.Appointment"),
    (r"^remittance:import", "pk", "remittance.ImportRun"),
    (r"^remittance:appointment", "pk", "remittance.Appointment"),
    (r"^remittance:batch", "pk", "remittance.Batch"),
    (r"^tempaid:", "pk", "tempaid.Application"),
    (r"^tempaid:", "document_pk", "tempaid.ApplicationDocument"),
    (r"^tempaid-api:application", "pk", "tempaid.Application"),  # <step> defeats api_model
    (r"^partners:referral", "pk", "partners.Referral"),
    (r"^partners-api:referral", "pk", "partners.Referral"),  # the viewset has get_queryset only
    (r"^partners:organisation", "pk", "partners.Organisation"),
    (r"^partners:social_worker", "pk", "partners.SocialWorker"),
    (r"^partners:(contract|milestone|evaluation_create)", "pk", "partners.Contract"),
    (r"^partners:milestone", "milestone_pk", "partners.Milestone"),
    (r"^partners:evaluation", "pk", "partners.Evaluation"),
    (r"^pilot:(plan|stage|task_create)", "pk", "pilot.Plan"),
    (r"^pilot:task", "pk", "pilot.Task"),
    (r"^pilot:(progress|evidence)", "pk", "pilot.ProgressReport"),
    (r"^pilot:evidence", "evidence_pk", "pilot.ProgressEvidence"),
    (r"^pilot:report", "pk", "pilot.PilotReport"),
    (r"^zhuao:|^inbox", "pk", "zhuao.Notification"),
]

#: Records of one model that routes tell apart by a field (a spreadsheet import's kind).
RECORD_FILTERS: dict[str, dict] = {
    "cases:person_import_detail": {"kind": "people"},
    "partners:service_record_import_detail": {"kind": "service_records"},
}

#: Preferred owner of the chosen record, so that "district of the owning district" (xiangzhou)
#: and "district of another district" (doumen), "ngo of the referred organisation" (kaifong)
#: and "ngo of another" (faom) differ. Tried in order; the first filter that matches wins.
PREFERRED = [
    {"district": "xiangzhou"}, {"owner_agency__code": "zh-xiangzhou"},
    {"subject__district": "xiangzhou"}, {"recipient__district": "xiangzhou"},
    {"organisation__agency__code": "ngo-kaifong"}, {"agency__code": "ngo-kaifong"},
    {"case__district": "xiangzhou"}, {"person__district": "xiangzhou"},
    {"head__district": "xiangzhou"}, {"household__district": "xiangzhou"},
]


def api_model(route: Route):
    from django.urls import resolve

    from django.urls import reverse

    try:
        kwargs = {name: 1 for name in route.parameters}
        match = resolve(reverse(route.name, kwargs=kwargs))
    except Exception:  # noqa: BLE001
        return None
    view_class = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view_class, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def model_for(route: Route, parameter: str):
    from django.apps import apps

    for pattern, name, label in PARAMETER_MODELS:
        if name == parameter and re.search(pattern, route.name):
            return apps.get_model(label)
    if route.is_api and parameter == "pk":
        return api_model(route)
    return None


def pick(model, parent_filter: dict | None = None):
    """A record of ``model``, preferably of the xiangzhou district / the kaifong NGO."""
    from django.core.exceptions import FieldError

    queryset = model._default_manager.filter(**(parent_filter or {})).order_by("pk")
    for condition in PREFERRED:
        try:
            found = queryset.filter(**condition).first()
        except (FieldError, ValueError):
            continue
        if found is not None:
            return found
    return queryset.first()


STEP_PARAMETERS = ("step", "action", "kind", "topic")


def url_for(route: Route, steps: dict[str, str]):
    """The route's URL with the picked record's ids, or None when no record exists."""
    from django.urls import reverse

    kwargs = {}
    parent = parent_parameter = None
    for parameter in route.parameters:
        if parameter in STEP_PARAMETERS:
            value = steps.get(route.name)
            if value is None:
                return None
            kwargs[parameter] = value
            continue
        model = model_for(route, parameter)
        if model is None:
            return None
        parent_filter = RECORD_FILTERS.get(route.name) if parameter == "pk" else None
        if parent is not None and parameter != "pk":
            for field in model._meta.get_fields():
                related = getattr(field, "related_model", None)
                if related is type(parent) and getattr(field, "many_to_one", False):
                    parent_filter = {field.name: parent}
                    break
        record = pick(model, parent_filter)
        if record is None and parent_filter is not None:
            # The picked parent has none (the first request is a draft, without findings): take
            # the first child record instead, and its own parent for the parent's parameter.
            record = pick(model)
            if record is None:
                return None
            parent = getattr(record, next(iter(parent_filter)))
            kwargs[parent_parameter] = parent.pk
        if record is None:
            return None
        if parameter == "pk" or parent is None:
            parent, parent_parameter = record, parameter
        kwargs[parameter] = record.pk
    return reverse(route.name, kwargs=kwargs)


# --- running a cell -------------------------------------------------------------------------

STEPS = {
    "cases:meeting_step": "held", "infosharing:request_step": "send",
    "partners:contract_step": "approve", "remittance:recipient_action": "visit",
    "remittance:import_template": "xlsx", "tempaid:action": "review",
    "tempaid-api:application-step": "review", "help_topic": "cases",
    "tempaid:done": "approve", "cases:minutes_done": "approve",
}

DENIED = {401, 403, 404}


def client_for(username: str, users, *, api: bool):
    from tests.two_factor_clients import VerifiedAPIClient, VerifiedClient

    client = VerifiedAPIClient() if api else VerifiedClient()
    if username != "anonymous":
        client.force_login(users[username])
    return client


class Clients:
    """One signed-in client per role and kind for a whole test: signing in costs more than most
    cells. Every cell starts again from the cookies of the sign-in; its request runs in a
    rolled-back transaction (``answer``), so whatever it did to the session goes with it."""

    def __init__(self, users):
        self.users = users
        self._signed_in = {}

    def __call__(self, username: str, *, api: bool):
        import copy

        key = (username, api)
        if key not in self._signed_in:
            client = client_for(username, self.users, api=api)
            self._signed_in[key] = (client, copy.deepcopy(client.cookies))
        client, cookies = self._signed_in[key]
        client.cookies = copy.deepcopy(cookies)
        return client


def answer(route: Route, url: str, method: str, client) -> tuple[str, int]:
    """``("A", status)`` or ``("D", status)`` for one request, inside a rolled-back transaction
    so that an allowed POST changes nothing for the next cell."""
    from django.db import transaction

    writes = method != "GET"
    with transaction.atomic():
        fingerprint = change_fingerprint() if writes else None
        response = getattr(client, method.lower())(url)
        changed = writes and change_fingerprint() != fingerprint
        transaction.set_rollback(True)
    status = response.status_code
    if changed and (status in DENIED or status in (400, 409, 405)):
        return "!", status  # refused, yet something changed
    location = response.get("Location", "") if status in (301, 302) else ""
    if status in DENIED or "/accounts/login/" in location:
        return "D", status
    if status == 405:
        return "-", status
    if status in (400, 409):
        return "V", status
    return "A", status


def change_fingerprint() -> tuple:
    """Successful audit events and the row count of every workstream table: a refused request
    must leave both as they were (every write is audited by convention; counts catch the rest).
    The tables are counted in one statement: a POST cell counts them twice."""
    from django.apps import apps
    from django.db import connection

    from core.models import AuditEvent

    tables = [model._meta.db_table
              for label in ("cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
              for model in apps.get_app_config(label).get_models() if not model._meta.proxy]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})"
                       for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return (AuditEvent.objects.exclude(outcome="denied").count(), *cursor.fetchone())
