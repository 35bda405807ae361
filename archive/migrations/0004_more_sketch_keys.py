"""Copies get new lookup keys (fingerprint.lookup_keys): the 32 smallest hashes of their
word 3-grams instead of the 8 smallest of their character shingles, which thousands of
articles share. Recomputed from each copy's stored text."""

from django.db import migrations


def recompute_keys(apps, schema_editor):
    Copy = apps.get_model("archive", "Copy")
    SketchKey = apps.get_model("archive", "SketchKey")
    SketchKey.objects.all().delete()
    batch = []
    from archive.ingest.fingerprint import lookup_keys

    for copy_id, body in Copy.objects.values_list("id", "body").iterator():
        batch += [SketchKey(copy_id=copy_id, key=key) for key in lookup_keys(body)]
        if len(batch) >= 5000:
            SketchKey.objects.bulk_create(batch)
            batch = []
    SketchKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_event_extracted_as")]
    operations = [migrations.RunPython(recompute_keys, migrations.RunPython.noop)]
