from django.core.management.base import BaseCommand

from archive.ingest.pipeline import reprocess_all
from search.indexing import deferred_indexing, ensure_index


class Command(BaseCommand):
    help = "Re-run cleaning and extraction on every stored raw capture and update the articles."

    def handle(self, *args, **options):
        ensure_index()
        with deferred_indexing():
            count = reprocess_all()
        self.stdout.write(f"Reprocessed {count} copies.")
