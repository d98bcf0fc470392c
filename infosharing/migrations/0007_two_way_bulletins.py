"""The two-way bulletin (issue 25): sections per side, recipients with their acknowledgement.

The bulletins made before it (one per recipient agency, computed by Zhuhai) become published
bulletins with Zhuhai's section only, their content moved into that section, and their agency
as the one recipient (no acknowledgement due: none was asked for)."""

import django.db.models.deletion
import django.utils.timezone
import core.fields
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    Bulletin = apps.get_model("infosharing", "Bulletin")
    Section = apps.get_model("infosharing", "BulletinSection")
    Recipient = apps.get_model("infosharing", "BulletinRecipient")
    Agency = apps.get_model("zhuao", "Agency")
    city = (Agency.objects.filter(kind="city_bureau", side="zhuhai").order_by("pk").first())
    for bulletin in Bulletin.objects.iterator():
        content = bulletin.content or {}
        Section.objects.create(
            bulletin=bulletin, side="zhuhai", agency=city or bulletin.agency,
            content=content.get("sections", []), submitted_at=bulletin.generated_at)
        Recipient.objects.create(bulletin=bulletin, agency=bulletin.agency)
        bulletin.status = "published"
        bulletin.published_at = bulletin.generated_at
        bulletin.missing_sides = []
        bulletin.save(update_fields=["status", "published_at", "missing_sides"])


def backwards(apps, schema_editor):
    Bulletin = apps.get_model("infosharing", "Bulletin")
    Section = apps.get_model("infosharing", "BulletinSection")
    Bulletin.objects.filter(agency__isnull=True).delete()
    for section in Section.objects.filter(side="zhuhai").select_related("bulletin"):
        section.bulletin.content = {"agency": "", "sections": section.content}
        section.bulletin.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('infosharing', '0006_inbound_requests'),
        ('zhuao', '0007_working_day_overrides'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BulletinRecipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ack_due_date', core.fields.BoundedDateField(blank=True, null=True, verbose_name='acknowledgement due')),
                ('acknowledged_at', core.fields.BoundedDateTimeField(blank=True, null=True, verbose_name='acknowledged at')),
            ],
            options={
                'verbose_name': 'bulletin recipient',
                'verbose_name_plural': 'bulletin recipients',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='BulletinSection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('side', models.CharField(choices=[('zhuhai', 'Zhuhai'), ('macau', 'Macau'), ('hengqin', 'Hengqin Cooperation Zone'), ('partner', 'Partner')], max_length=16, verbose_name='side')),
                ('due_date', core.fields.BoundedDateField(blank=True, null=True, verbose_name='due date')),
                ('content', models.JSONField(blank=True, default=list, verbose_name='content')),
                ('common_concern', core.fields.BoundedTextField(blank=True, max_length=8000, verbose_name='cases of common concern')),
                ('submitted_at', core.fields.BoundedDateTimeField(blank=True, null=True, verbose_name='submitted at')),
            ],
            options={
                'verbose_name': 'bulletin section',
                'verbose_name_plural': 'bulletin sections',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='bulletin',
            name='deadline',
            field=core.fields.BoundedDateField(blank=True, null=True, verbose_name='deadline'),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='missing_sides',
            field=models.JSONField(blank=True, default=list, verbose_name='sections missing at publication'),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='published_at',
            field=core.fields.BoundedDateTimeField(blank=True, null=True, verbose_name='published at'),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='status',
            field=models.CharField(choices=[('open', 'Open for contributions'), ('published', 'Published')], default='open', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='bulletin',
            name='agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='zhuao.agency', verbose_name='recipient agency'),
        ),
        migrations.AlterField(
            model_name='bulletin',
            name='generated_at',
            field=core.fields.BoundedDateTimeField(default=django.utils.timezone.now, verbose_name='opened at'),
        ),
        migrations.AddConstraint(
            model_name='bulletin',
            constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', True)), fields=('period_start',), name='infosharing_bulletin_one_joint_per_period'),
        ),
        migrations.AddField(
            model_name='bulletinrecipient',
            name='acknowledged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='acknowledged by'),
        ),
        migrations.AddField(
            model_name='bulletinrecipient',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='zhuao.agency', verbose_name='recipient agency'),
        ),
        migrations.AddField(
            model_name='bulletinrecipient',
            name='bulletin',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='infosharing.bulletin', verbose_name='bulletin'),
        ),
        migrations.AddField(
            model_name='bulletinsection',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='zhuao.agency', verbose_name='contributing agency'),
        ),
        migrations.AddField(
            model_name='bulletinsection',
            name='bulletin',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='infosharing.bulletin', verbose_name='bulletin'),
        ),
        migrations.AddField(
            model_name='bulletinsection',
            name='submitted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.AddConstraint(
            model_name='bulletinrecipient',
            constraint=models.UniqueConstraint(fields=('bulletin', 'agency'), name='infosharing_bulletin_recipient_once'),
        ),
        migrations.AddConstraint(
            model_name='bulletinsection',
            constraint=models.UniqueConstraint(fields=('bulletin', 'side'), name='infosharing_bulletin_section_once'),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name='bulletin',
            name='content',
        ),
    ]
