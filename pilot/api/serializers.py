from django.urls import reverse
from rest_framework import serializers

from core.models import District
from core.validators import TEXT_MAX_LENGTH, validate_operational_date
from web.api.serializers import ModelSerializer, Serializer

from ..models import PilotReport, Plan, ProgressReport, Stage, Task, TaskUnit


class StageSerializer(ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "order", "name", "starts_on", "ends_on", "description"]


class PlanSerializer(ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "year", "title", "document_number", "starts_on", "ends_on", "problems",
                  "next_steps", "stages"]
        read_only_fields = ["problems", "next_steps"]


class TaskUnitSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TaskUnit
        fields = ["agency", "role", "unit_name"]


class TaskSerializer(ModelSerializer):
    units = TaskUnitSerializer(many=True, read_only=True)
    stage = serializers.SlugRelatedField(slug_field="order", read_only=True)
    deadline = serializers.SerializerMethodField()
    health = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "plan", "number", "stage", "content", "key_points", "lead_units",
                  "cooperating_units", "deadline", "is_ongoing", "workstream", "units",
                  "health"]

    def get_deadline(self, task) -> str | None:
        return f"{task.deadline:%Y-%m}" if task.deadline else None

    def get_health(self, task) -> str | None:
        health = getattr(task, "health", None)
        return str(health) if health is not None else None


class TaskWriteSerializer(Serializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    number = serializers.IntegerField(min_value=1)
    content = serializers.CharField(max_length=200)
    key_points = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    lead_units = serializers.CharField(max_length=300)
    cooperating_units = serializers.CharField(max_length=300, required=False, allow_blank=True)
    deadline = serializers.DateField(validators=[validate_operational_date],
                                     required=False, allow_null=True,
                                     input_formats=["%Y-%m", "%Y-%m-%d"])
    is_ongoing = serializers.BooleanField(required=False, default=False)
    workstream = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, default="pilot")


class ProgressReportSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # read-only fields lose allow_blank: declared, so the schema admits a city-level report
    district = serializers.ChoiceField(choices=District.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "agency", "district", "reported_on", "status", "percent",
                  "narrative", "review_status", "review_comment", "reviewed_at", "created_at"]
        read_only_fields = ["agency", "district", "review_status", "review_comment",
                            "reviewed_at", "created_at"]


class ReviewSerializer(Serializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                    required=False, allow_blank=True, default="")


class PilotReportSerializer(ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = PilotReport
        fields = ["id", "plan", "period_start", "period_end", "district", "status",
                  "generated_at", "created_at", "download_url"]
        read_only_fields = ["plan", "status", "generated_at", "created_at"]
        extra_kwargs = {"period_start": {"required": False}, "period_end": {"required": False},
                        "district": {"required": False}}

    def get_download_url(self, report) -> str:
        return reverse("pilot:report_download", args=[report.pk]) if report.status == "done" else ""
