"""Free text has a maximum everywhere it can enter: the model, the page's form, the API's
serializer and the schema; request bodies are capped before anything reads them (issue 23,
finding 9)."""
from __future__ import annotations

import importlib
import inspect
import json
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from rest_framework import serializers

from cases.models import Case, CaseEvent
from core.validators import TEXT_MAX_LENGTH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "cases"))
import cases_factories as factories  # noqa: E402

PROJECT_APPS = ("core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
#: Packages with their own forms inside an app (a second workstream).
SUBPACKAGES = ("cases.secretariat",)
#: Where forms live: the web toolkit's shared ones, each workstream's, and the subpackages'.
FORM_PACKAGES = ("web", *(app for app in PROJECT_APPS if app != "core"), *SUBPACKAGES)
TEN_MEGABYTES = 10 * 1024 * 1024


def _project_models():
    for app in PROJECT_APPS:
        yield from apps.get_containing_app_config(app).get_models()


def test_every_text_field_of_every_model_has_a_maximum_and_validates_it():
    missing = []
    for model in _project_models():
        for field in model._meta.get_fields():
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            validates = any(isinstance(validator, MaxLengthValidator)
                            and validator.limit_value == field.max_length
                            for validator in field.validators)
            if not field.max_length or not validates:
                missing.append(f"{model._meta.label}.{field.name}")
    assert not missing, f"text fields without a validated maximum: {missing}"


def _classes_in(module_name: str, base: type):
    module = importlib.import_module(module_name)
    for _name, cls in inspect.getmembers(module, inspect.isclass):
        if issubclass(cls, base) and cls.__module__ == module.__name__:
            yield cls


def test_every_text_field_of_every_form_has_a_maximum():
    missing = []
    for app in FORM_PACKAGES:
        for form in _classes_in(f"{app}.forms", forms.BaseForm):
            for name, field in form.base_fields.items():
                if isinstance(field, forms.CharField) and not field.max_length:
                    missing.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not missing, f"form text fields without a maximum: {missing}"


def test_every_writable_text_field_of_every_serializer_has_a_maximum(rf, users):
    from rest_framework.request import Request

    request = Request(rf.get("/"))
    request.user = users["city"]
    missing = []
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
                if (isinstance(field, serializers.CharField) and not field.read_only
                        and not field.max_length
                        and not isinstance(field, (serializers.ChoiceField,))):
                    missing.append(f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert not missing, f"serializer text fields without a maximum: {missing}"


# Strings of a request body that are not free text: a related record named by its code, and the
# token endpoint's credentials (checked against the user table, within the body cap).
NOT_FREE_TEXT = {("ActionRequest", "agency"), ("TokenRequestRequest", "username"),
                 ("TokenRequestRequest", "password")}


def test_the_schema_gives_free_text_its_maximum(users):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    # a model's TextField through a model serializer, and a plain serializer's CharField
    assert components["ProgressReportRequest"]["properties"]["narrative"]["maxLength"] == (
        TEXT_MAX_LENGTH)
    assert components["FindingInputRequest"]["properties"]["text"]["maxLength"] == (
        TEXT_MAX_LENGTH)
    missing = [(name, field) for name, component in components.items()
               if name.endswith("Request")
               for field, spec in component.get("properties", {}).items()
               if spec.get("type") == "string" and not spec.get("readOnly")
               and not {"format", "enum", "maxLength"} & set(spec)
               and (name, field) not in NOT_FREE_TEXT]
    assert not missing, f"request strings without maxLength: {missing}"


@pytest.mark.django_db
def test_a_ten_megabyte_note_is_refused_by_the_page_with_a_message_and_nothing_saved(
        client_for, users):
    case = factories.case(users["district"])
    client = client_for("district")
    notes = CaseEvent.objects.filter(case=case, kind="note")
    response = client.post(reverse("cases:case_note", args=[case.pk]),
                           urlencode({"note-text": "长" * TEN_MEGABYTES}),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "too large" in response.content.decode() or "过大" in response.content.decode()
    assert not notes.exists()
    # just over the maximum: the form says so
    response = client.post(reverse("cases:case_note", args=[case.pk]),
                           {"note-text": "长" * (TEXT_MAX_LENGTH + 1)}, follow=True)
    assert response.status_code in (200, 400)
    assert str(TEXT_MAX_LENGTH) in response.content.decode().replace(",", "")
    assert not notes.exists()
    # a multipart body with a huge text field is refused cleanly too (Django's own limit)
    response = client.post(reverse("cases:case_note", args=[case.pk]),
                           {"note-text": "x" * TEN_MEGABYTES})
    assert response.status_code in (400, 413)
    assert not notes.exists()


@pytest.mark.django_db
def test_a_ten_megabyte_note_is_refused_by_the_api_with_a_message_and_nothing_saved(
        api_client_for, users):
    subject = factories.person(users["district"])
    client = api_client_for("district")
    before = Case.objects.count()
    response = client.post("/api/v1/cases/cases/", data=json.dumps(
        {"subject": subject.pk, "category": "other", "summary": "x" * TEN_MEGABYTES}),
        content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    response = client.post("/api/v1/cases/cases/", {
        "subject": subject.pk, "category": "other", "summary": "x" * (TEXT_MAX_LENGTH + 1)},
        format="json")
    assert response.status_code == 400
    assert "summary" in response.json()
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_the_body_cap_answers_413_not_500_for_any_route(client):
    response = client.post("/api/v1/auth/token/", data="{" + " " * (TEN_MEGABYTES) + "}",
                           content_type="application/json")
    assert response.status_code == 413
    response = client.post(reverse("login"), data="a=" + "b" * TEN_MEGABYTES,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
