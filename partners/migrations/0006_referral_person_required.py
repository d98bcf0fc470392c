import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every referral names its person (filled by 0005); Zhuhai's still name a case."""

    dependencies = [
        ("cases", "0018_person_shares"),
        ("partners", "0005_referral_person"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="person",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="cases.person", verbose_name="person referred"),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(("case__isnull", False),
                                   models.Q(("originating_side", "zhuhai"), _negated=True),
                                   _connector="OR"),
                name="referral_zhuhai_refers_a_case"),
        ),
    ]
