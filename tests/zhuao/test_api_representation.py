"""The API's faster output (``web.api.representation``, given by the project's base
serializers) is DRF's own: every endpoint answers the same bytes both ways, and the cases the
fast path leaves to DRF (callables, missing attributes, mappings, dotted and whole-object
sources) come out as DRF makes them. DRF's own classes are left as DRF made them."""
from __future__ import annotations

import importlib
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from web.api import representation
from web.api.serializers import ModelSerializer, Serializer
from devtools.benchmark import API_ROLES, discover_api

PROJECT_APPS = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")


@pytest.fixture
def drf_own():
    """Run a block with DRF's own behaviour, then put the project's back."""

    class Switch:
        def __enter__(self):
            representation.FastRepresentation.enabled = False

        def __exit__(self, *exc):
            representation.FastRepresentation.enabled = True

    return Switch


def project_serializers() -> list[type]:
    for app in PROJECT_APPS:
        for module in ("api.serializers", "api.views", "api.search"):
            try:
                importlib.import_module(f"{app}.{module}")
            except ModuleNotFoundError as error:
                if not f"{app}.{module}".startswith(error.name):
                    raise
    found, pending = [], [serializers.BaseSerializer]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


def test_every_serializer_of_the_api_has_the_faster_output():
    classes = [cls for cls in project_serializers()
               if not issubclass(cls, serializers.ListSerializer)]
    assert len(classes) > 60
    for cls in classes:
        assert issubclass(cls, (Serializer, ModelSerializer)), cls
        if issubclass(cls, serializers.ModelSerializer):
            assert issubclass(cls, ModelSerializer), cls
            assert cls.serializer_field_mapping[models.DateTimeField] is \
                representation.DateTimeField, cls


def test_drf_itself_is_untouched():
    """The faster output comes through the project's classes, never by replacing DRF's."""
    assert serializers.Serializer.to_representation.__module__ == "rest_framework.serializers"
    assert serializers.ModelSerializer.get_fields.__module__ == "rest_framework.serializers"
    assert serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] is \
        serializers.DateTimeField


@pytest.mark.django_db
def test_every_endpoint_answers_the_same_bytes_as_with_drf(demo, drf_own):
    call_command("seed_scale", factor=0.002, bulletin_months=1, batch_months=2,
                 stdout=io.StringIO())
    compared = 0
    for username in API_ROLES:
        client = APIClient()
        client.force_authenticate(demo["users"][username])
        paths = list(discover_api())
        for path in list(paths):
            response = client.get(path)
            if response.status_code == 200:
                first = (response.json().get("results") or [None])[0]
                if isinstance(first, dict) and "id" in first:
                    paths.append(f"{path}{first['id']}/")
        for path in paths:
            ours = client.get(path)
            with drf_own():
                drfs = client.get(path)
            assert ours.status_code == drfs.status_code, path
            if ours.status_code == 200:  # (an error page carries its own CSRF token)
                assert ours.content == drfs.content, path
                compared += len(ours.content) > 100
    assert compared > 80  # lists with records, and their details, for six roles


class Record:
    """A plain object with every kind of attribute the fast path meets."""

    def __init__(self):
        self.name = "甲"
        self.count = 3
        self.empty = None
        self.when = datetime(2026, 12, 5, 1, 2, 3, tzinfo=ZoneInfo("UTC"))
        self.child = type("Child", (), {"label": "子"})()

    def method(self):
        return "called"

    @property
    def missing_relation(self):
        raise ObjectDoesNotExist

    @property
    def broken(self):
        raise AttributeError("no such thing")


class RecordSerializer(Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()
    empty = serializers.CharField(allow_null=True)
    when = representation.DateTimeField()
    when_drf = serializers.DateTimeField(source="when")
    method = serializers.CharField()
    missing_relation = serializers.CharField()
    broken = serializers.CharField(required=False)
    broken_default = serializers.CharField(source="broken", default="默认")
    child_label = serializers.CharField(source="child.label")
    whole = serializers.SerializerMethodField()
    secret = serializers.CharField(write_only=True)

    def get_whole(self, record):
        return type(record).__name__


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Macau", "UTC"])
def test_fallbacks_come_out_as_drf_makes_them(drf_own, zone):
    with timezone.override(zone):
        ours = RecordSerializer(Record()).data
        with drf_own():
            drfs = RecordSerializer(Record()).data
        local = timezone.localtime(Record().when).isoformat().replace("+00:00", "Z")
    assert ours == drfs
    assert ours["method"] == "called" and ours["missing_relation"] is None
    assert "broken" not in ours and ours["broken_default"] == "默认"
    assert ours["when"] == ours["when_drf"] == local


def test_a_required_attribute_that_fails_still_fails_as_in_drf(drf_own):
    class Strict(Serializer):
        broken = serializers.CharField()

    with pytest.raises(AttributeError) as ours:
        Strict(Record()).data
    with drf_own(), pytest.raises(AttributeError) as drfs:
        Strict(Record()).data
    assert str(ours.value) == str(drfs.value)


def test_mappings_and_many(drf_own):
    rows = [{"name": "乙", "count": 1, "empty": None, "when": None, "method": "m",
             "missing_relation": "x", "child": {"label": "丙"}}] * 2
    ours = json.dumps(RecordSerializer(rows, many=True).data, ensure_ascii=False)
    with drf_own():
        drfs = json.dumps(RecordSerializer(rows, many=True).data, ensure_ascii=False)
    assert ours == drfs and "丙" in ours


@pytest.mark.django_db
def test_foreign_keys_shown_as_ids_come_out_as_drf_makes_them(drf_own, users):
    from core.models import StaffProfile

    class ProfileSerializer(ModelSerializer):
        agency_again = serializers.PrimaryKeyRelatedField(source="agency", read_only=True)
        owner = serializers.PrimaryKeyRelatedField(source="user", read_only=True)

        class Meta:
            model = StaffProfile
            fields = ["id", "user", "agency", "agency_again", "owner", "title"]

    profiles = [users["district"].staff, users["macau"].staff, StaffProfile(title="new")]
    ours = ProfileSerializer(profiles, many=True).data
    with drf_own():
        drfs = ProfileSerializer(profiles, many=True).data
    assert ours == drfs
    assert ours[0]["agency"] == ours[0]["agency_again"] == users["district"].staff.agency_id
    assert ours[2]["agency"] is None and ours[2]["user"] is None


@pytest.mark.django_db
def test_fields_built_once_stay_each_serializers_own(users):
    """The fields are built once per class, but each serializer gets its own copy: what one
    serializer sets on its fields for its user (the related records it may choose among)
    never reaches another's, nor the kept original."""
    from partners.api.serializers import ServiceRecordSerializer

    class Request:
        def __init__(self, user):
            self.user = user

    first = ServiceRecordSerializer(context={"request": Request(users["ngo"])})
    second = ServiceRecordSerializer(context={"request": Request(users["city"])})
    assert first.fields["contract"] is not second.fields["contract"]
    assert str(first.fields["contract"].queryset.query) != str(
        second.fields["contract"].queryset.query)  # the NGO's contracts, the city's all
    kept = representation.FieldsBuiltOnce._built_fields[ServiceRecordSerializer]["contract"]
    assert kept is not first.fields["contract"] and kept is not second.fields["contract"]
    everything = kept.queryset.model._default_manager.all()
    assert str(kept.queryset.all().query) == str(everything.query)  # as DRF built it
