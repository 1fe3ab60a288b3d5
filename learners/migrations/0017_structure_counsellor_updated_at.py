import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0016_coop_import"),
    ]

    operations = [
        migrations.AddField(
            model_name="structure",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="mise à jour le"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="counsellor",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="mis à jour le"
            ),
            preserve_default=False,
        ),
    ]
