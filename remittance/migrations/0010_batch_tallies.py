"""Counts and totals by status kept with each batch (``BatchTally``) and the number of payments
carried into it, so that the batch's page no longer adds up its payments on every read. The
existing batches are counted once here, from their payments."""
import django.db.models.deletion
from django.db import migrations, models


STATUSES = ("pending", "paid", "failed", "carried_over")


def count_existing(apps, schema_editor):
    statuses = " UNION ALL ".join(f"SELECT '{status}' AS status" for status in STATUSES)
    schema_editor.execute(
        "INSERT INTO remittance_batchtally (batch_id, status, count, amount_mop, amount_cny) "
        "SELECT b.id, s.status, COUNT(p.id), COALESCE(SUM(p.amount_mop), 0), "
        "COALESCE(SUM(p.amount_cny), 0) "
        f"FROM remittance_batch b CROSS JOIN ({statuses}) s "
        "LEFT JOIN remittance_payment p ON p.batch_id = b.id AND p.status = s.status "
        "GROUP BY b.id, s.status")
    schema_editor.execute(
        "UPDATE remittance_batch SET carried_in_count = (SELECT COUNT(*) FROM remittance_payment "
        "p WHERE p.batch_id = remittance_batch.id AND p.carried_from_id IS NOT NULL)")


class Migration(migrations.Migration):

    dependencies = [
        ('remittance', '0009_payment_autovacuum'),
    ]

    operations = [
        migrations.AddField(
            model_name='batch',
            name='carried_in_count',
            field=models.PositiveIntegerField(default=0, verbose_name='payments carried in'),
        ),
        migrations.CreateModel(
            name='BatchTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Awaiting the bank'), ('paid', 'Paid'), ('failed', 'Failed'), ('carried_over', 'Failed, carried into a later batch')], max_length=16, verbose_name='status')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='payments')),
                ('amount_mop', models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name='amount (MOP)')),
                ('amount_cny', models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name='amount (CNY)')),
                ('batch', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tallies', to='remittance.batch')),
            ],
            options={
                'verbose_name': 'batch tally',
                'verbose_name_plural': 'batch tallies',
                'constraints': [models.UniqueConstraint(fields=('batch', 'status'), name='batch_tally_per_status'), models.CheckConstraint(condition=models.Q(('amount_mop__gte', 0), ('amount_cny__gte', 0)), name='batch_tally_not_negative')],
            },
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
