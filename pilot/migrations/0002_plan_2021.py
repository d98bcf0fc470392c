"""Data migration: the 2021 plan (珠民〔2021〕156号), its stages and the 17 tasks of the annexed
table, from ``pilot.plan_2021``. Unit names are stored as text; agencies are linked later by
``pilot.services.plan_link_agencies`` (agencies may not exist yet when this runs)."""
import calendar
from datetime import date

from django.db import migrations


def _first(year_month):
    return date(year_month[0], year_month[1], 1)


def _last(year_month):
    year, month = year_month
    return date(year, month, calendar.monthrange(year, month)[1])


def load(apps, schema_editor):
    from pilot import plan_2021 as source

    Plan = apps.get_model("pilot", "Plan")
    Stage = apps.get_model("pilot", "Stage")
    Task = apps.get_model("pilot", "Task")
    if Plan.objects.filter(year=source.PLAN["year"]).exists():
        return
    plan = Plan.objects.create(
        year=source.PLAN["year"], title=source.PLAN["title"],
        document_number=source.PLAN["document_number"],
        starts_on=_first(source.PLAN["starts"]), ends_on=_last(source.PLAN["ends"]))
    stages = {}
    for order, name, first, last, description in source.STAGES:
        stages[order] = Stage.objects.create(plan=plan, order=order, name=name,
                                             starts_on=_first(first), ends_on=_last(last),
                                             description=description)
    for number, content, key_points, lead, cooperating, deadline, stage, workstream in source.TASKS:
        Task.objects.create(plan=plan, number=number, content=content, key_points=key_points,
                            lead_units=lead, cooperating_units=cooperating,
                            deadline=_first(deadline) if deadline else None,
                            is_ongoing=deadline is None, stage=stages[stage],
                            workstream=workstream)


def unload(apps, schema_editor):
    Plan = apps.get_model("pilot", "Plan")
    plan = Plan.objects.filter(year=2021).first()
    if plan is not None and not plan.reports.exists():
        plan.tasks.all().delete()
        plan.stages.all().delete()
        plan.delete()


class Migration(migrations.Migration):
    dependencies = [("pilot", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
