"""Each share of a case keeps its case's subject (``CaseGroupObjectPermission.subject``)."""
import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_subjects(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Share = apps.get_model("cases", "CaseGroupObjectPermission")
    Share.objects.update(subject_id=Subquery(
        Case.objects.filter(pk=OuterRef("content_object_id")).values("subject_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0019_meeting_series_and_calendar_feed'),
    ]

    operations = [
        migrations.AddField(
            model_name='casegroupobjectpermission',
            name='subject',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.person'),
        ),
        migrations.RunPython(fill_subjects, migrations.RunPython.noop),
    ]
