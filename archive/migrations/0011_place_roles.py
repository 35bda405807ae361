# Issue 14: places an article is about vs places named only as a venue or dateline.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0010_event_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="venue_places",
            field=models.JSONField(
                blank=True, default=list,
                help_text="Place slugs named only as a venue or a dateline: not what the article is about.",
                verbose_name="venues and datelines",
            ),
        ),
    ]
