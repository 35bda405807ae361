"""Copies get 32 lookup keys instead of 8 (fingerprint.LOOKUP_KEYS): the bounded copy
lookup ranks candidates by shared keys and needs more of them. The keys are the smallest
hashes of each copy's stored sketch, so they are recomputed without reading any text."""

from django.db import migrations

KEYS = 32


def recompute_keys(apps, schema_editor):
    Copy = apps.get_model("archive", "Copy")
    SketchKey = apps.get_model("archive", "SketchKey")
    SketchKey.objects.all().delete()
    batch = []
    for copy_id, sketch in Copy.objects.values_list("id", "sketch").iterator():
        batch += [SketchKey(copy_id=copy_id, key=key) for key in (sketch or [])[:KEYS]]
        if len(batch) >= 5000:
            SketchKey.objects.bulk_create(batch)
            batch = []
    SketchKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_event_extracted_as")]
    operations = [migrations.RunPython(recompute_keys, migrations.RunPython.noop)]
