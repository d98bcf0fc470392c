"""The purchasing side's review of service records (issue 27).

Records that exist already become "approved": until now every service record was counted in
the contract's figures as it was entered, so they keep counting. The column is added with
"approved" as its default for those rows, then the default becomes "pending", which is where
every new record starts."""

import django.db.models.deletion
import core.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0006_referral_person_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='servicerecord',
            name='review_note',
            field=core.fields.BoundedTextField(blank=True, max_length=20000, verbose_name='review note'),
        ),
        migrations.AddField(
            model_name='servicerecord',
            name='review_status',
            field=models.CharField(choices=[('pending', 'Awaiting review'), ('approved', 'Approved'), ('returned', 'Returned')], default='approved', max_length=10, verbose_name='review'),
        ),
        migrations.AlterField(
            model_name='servicerecord',
            name='review_status',
            field=models.CharField(choices=[('pending', 'Awaiting review'), ('approved', 'Approved'), ('returned', 'Returned')], default='pending', max_length=10, verbose_name='review'),
        ),
        migrations.AddField(
            model_name='servicerecord',
            name='reviewed_at',
            field=core.fields.BoundedDateTimeField(blank=True, null=True, verbose_name='reviewed at'),
        ),
        migrations.AddField(
            model_name='servicerecord',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
    ]
