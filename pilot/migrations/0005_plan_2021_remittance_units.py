"""Data migration: tasks 8–10 of the 2021 plan are led by 市民政局 with 市金融工作局 cooperating.

The annex prints 市民政局 once over rows 7–10 (a merged cell) and 市金融工作局 in each of rows
8–10's cooperating column; 二（三） says the same ("牵头单位：市民政局，配合单位：市金融工作局").
``0002_plan_2021`` had loaded 市金融工作局 as the lead and no cooperating unit. Only rows still
holding that misreading are changed (a plan edited by hand since is left alone), and their
linked agencies are re-linked: the financial work bureau becomes cooperating, the city bureau
lead."""
from django.db import migrations
from django.db.models import Q

WRONG = ("市金融工作局", "")
RIGHT = ("市民政局", "市金融工作局")


def _agencies(Agency, name):
    names = [name, f"珠海{name}"]
    return list(Agency.objects.filter(is_active=True).filter(
        Q(name_zh_hans__in=names) | Q(name_zh_hant__in=names)))


def correct(apps, schema_editor):
    Task = apps.get_model("pilot", "Task")
    TaskUnit = apps.get_model("pilot", "TaskUnit")
    Agency = apps.get_model("zhuao", "Agency")
    tasks = Task.objects.filter(plan__year=2021, number__in=[8, 9, 10],
                                lead_units=WRONG[0], cooperating_units=WRONG[1])
    for task in tasks:
        task.lead_units, task.cooperating_units = RIGHT
        task.save(update_fields=["lead_units", "cooperating_units"])
        TaskUnit.objects.filter(task=task).delete()
        for role, name in (("lead", RIGHT[0]), ("cooperating", RIGHT[1])):
            for agency in _agencies(Agency, name):
                TaskUnit.objects.create(task=task, agency=agency, role=role, unit_name=name)


class Migration(migrations.Migration):
    dependencies = [("pilot", "0004_bounded_text_and_dates"), ("zhuao", "__first__")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
