"""Every date has a sane range: birth dates from 1900 to today, the pilot's working dates within
ZHUAO_DATE_MIN … ZHUAO_DATE_MAX, progress and report periods within the plan; a pilot report
whose chapter could not be filled fails with the reason instead of being "done" (issue 23,
finding 8)."""
from __future__ import annotations

import datetime
import importlib
import inspect
import sys
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from pilot.models import PilotReport, ProgressReport, ReportStatus
from core.errors import ApplicationError

for _app in ("cases", "pilot"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / _app))
import cases_factories  # noqa: E402
import pilot_factories  # noqa: E402

PROJECT_APPS = ("core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
#: Packages with their own forms inside an app (a second workstream).
SUBPACKAGES = ("cases.secretariat",)
#: Where forms live: the web toolkit's shared ones, each workstream's, and the subpackages'.
FORM_PACKAGES = ("web", *(app for app in PROJECT_APPS if app != "core"), *SUBPACKAGES)
YEAR_ONE = datetime.date(1, 1, 1)
YEAR_9999 = datetime.date(9999, 12, 31)


def _as(field, day: datetime.date):
    if isinstance(field, (models.DateTimeField, forms.DateTimeField, serializers.DateTimeField)):
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    return day


def _refuses(run_validators, value) -> bool:
    try:
        run_validators(value)
    except (ValidationError, ApiValidationError):
        return True
    return False


def test_every_date_field_of_every_model_refuses_year_1_and_year_9999():
    unbounded = []
    for app in PROJECT_APPS:
        for model in apps.get_containing_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.DateField):  # DateTimeField is one too
                    continue
                if not all(_refuses(field.run_validators, _as(field, day))
                           for day in (YEAR_ONE, YEAR_9999)):
                    unbounded.append(f"{model._meta.label}.{field.name}")
    assert not unbounded, f"date fields without a range: {unbounded}"


def test_a_birth_date_runs_from_1900_to_today_and_working_dates_around_the_pilot(settings):
    from cases.models import Person
    from tempaid.models import Application

    birth = Person._meta.get_field("date_of_birth")
    birth.run_validators(datetime.date(1930, 5, 1))
    assert _refuses(birth.run_validators, datetime.date(1899, 12, 31))
    assert _refuses(birth.run_validators, timezone.localdate() + datetime.timedelta(days=1))
    submitted = Application._meta.get_field("submitted_at")
    submitted.run_validators(timezone.now())
    settings.ZHUAO_DATE_MAX = datetime.date(2020, 12, 31)  # the window is a setting
    assert _refuses(submitted.run_validators, timezone.now())


def _classes_in(module_name: str, base: type):
    module = importlib.import_module(module_name)
    for _name, cls in inspect.getmembers(module, inspect.isclass):
        if issubclass(cls, base) and cls.__module__ == module.__name__:
            yield cls


def test_every_date_field_of_every_form_refuses_year_1_and_year_9999():
    unbounded = []
    for app in FORM_PACKAGES:
        for form in _classes_in(f"{app}.forms", forms.BaseForm):
            for name, field in form.base_fields.items():
                if isinstance(field, (forms.DateField, forms.DateTimeField)) and not all(
                        _refuses(field.run_validators, _as(field, day))
                        for day in (YEAR_ONE, YEAR_9999)):
                    unbounded.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not unbounded, f"form date fields without a range: {unbounded}"


def test_every_writable_date_field_of_every_serializer_refuses_year_1_and_year_9999(rf, users):
    from rest_framework.request import Request

    request = Request(rf.get("/"))
    request.user = users["city"]
    unbounded = []
    for app in PROJECT_APPS:
        if app == "core":
            continue
        for serializer in _classes_in(f"{app}.api.serializers", serializers.BaseSerializer):
            if issubclass(serializer, serializers.ListSerializer):
                continue
            try:
                fields = serializer(context={"request": request}).fields
            except Exception:  # a serializer needing arguments: its declared fields
                fields = serializer._declared_fields
            for name, field in fields.items():
                if (isinstance(field, (serializers.DateField, serializers.DateTimeField))
                        and not field.read_only
                        and not all(_refuses(field.run_validators, _as(field, day))
                                    for day in (YEAR_ONE, YEAR_9999))):
                    unbounded.append(f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert not unbounded, f"serializer date fields without a range: {unbounded}"


@pytest.mark.django_db
@pytest.mark.parametrize("start, end", [("0001-01-01", "2022-01-31"),
                                        ("2022-01-01", "9999-12-31")])
@pytest.mark.parametrize("output", ["", "xlsx", "pdf"])
def test_fund_statement_far_dates_are_a_form_error_not_500(client_for, users, start, end,
                                                           output):
    from tempaid.services import fund_create

    fund_create(actor=users["finance"], code="special", name="临时救助专项基金")
    response = client_for("finance").get(reverse("tempaid:statement"),
                                         {"start": start, "end": end, "format": output})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors
    assert "2000-01-01" in response.content.decode()


@pytest.mark.django_db
def test_audit_filter_far_dates_are_a_form_error_not_500(client_for):
    response = client_for("auditadmin").get(reverse("audit_list"), {"until": "9999-12-31"})
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.django_db
def test_the_api_refuses_far_dates_with_400(api_client_for, users):
    client = api_client_for("district")
    response = client.post("/api/v1/cases/people/", {
        "name_zh": "陈小文", "sex": "male", "date_of_birth": "0001-01-01",
        "residence_status": "zhuhai_household", "document_type": "mainland_id",
        "document_number": cases_factories.mainland_id()}, format="json")
    assert response.status_code == 400 and "date_of_birth" in response.json()
    pilot_factories.plan_2021()
    task = pilot_factories.task(3)
    response = api_client_for("city").post("/api/v1/pilot/progress-reports/", {
        "task": task.pk, "reported_on": "9999-12-31", "status": "in_progress", "percent": 10,
        "narrative": "x"}, format="json")
    assert response.status_code == 400 and "reported_on" in response.json()
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_progress_reports_stay_within_the_plan_and_report_periods_within_the_window(users):
    from pilot.services import pilot_report_request

    plan = pilot_factories.plan_2021()
    with pytest.raises(ApplicationError) as refused:
        pilot_factories.report(users["city"], 3, day=datetime.date(2021, 6, 1))
    assert refused.value.field == "reported_on"
    with pytest.raises(ApplicationError):
        pilot_report_request(actor=users["city"], plan=plan, period_start=YEAR_ONE,
                             period_end=YEAR_9999)
    assert not ProgressReport.objects.exists() and not PilotReport.objects.exists()


@pytest.mark.django_db
def test_a_report_with_a_chapter_that_could_not_be_filled_fails_with_the_reason(
        users, monkeypatch):
    from pilot.services import pilot_report_generate, pilot_report_request

    plan = pilot_factories.plan_2021()
    report = pilot_report_request(actor=users["city"], plan=plan)

    def broken(**kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr("tempaid.metrics.figures", broken)
    report = pilot_report_generate(report_id=report.pk)
    assert report.status == ReportStatus.FAILED
    assert not report.file
    assert "could not be filled" in report.error or "未能生成" in report.error
