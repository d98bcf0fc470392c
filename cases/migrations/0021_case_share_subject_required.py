"""The subject of a case's share is required, and indexed with the agency's group (a separate
migration from the filling one: PostgreSQL refuses to alter a table with the foreign-key checks
of the filling still pending in the same transaction). The cases' index of their subjects by id
served the join the shares' subject replaces."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0020_case_share_subject'),
    ]

    operations = [
        migrations.AlterField(
            model_name='casegroupobjectpermission',
            name='subject',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.person'),
        ),
        migrations.AddIndex(
            model_name='casegroupobjectpermission',
            index=models.Index(fields=['subject', 'group'], name='case_share_subject'),
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_subject_by_id',
        ),
    ]
