from django.core.management.base import BaseCommand

from archive.ingest.run import ImportRun


class Command(BaseCommand):
    help = "Re-run cleaning and extraction on every stored raw capture and update the articles."

    def handle(self, *args, **options):
        with ImportRun() as run:
            count = run.reprocess()
        self.stdout.write(f"Reprocessed {count} copies.")
