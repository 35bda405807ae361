from django.core.management.base import BaseCommand

from archive.ingest.run import ImportRun


class Command(BaseCommand):
    help = ("Re-run cleaning and extraction on every stored raw capture and update the articles "
            "(editors' corrections stay); captures rejected under older rules are tried again.")

    def handle(self, *args, **options):
        with ImportRun() as run:
            count = run.reprocess()
            retried = run.retry_rejected()
        self.stdout.write(f"Reprocessed {count} copies.")
        if retried:
            imported = sum(o.status in ("imported", "merged") for o in retried)
            self.stdout.write(f"Retried {len(retried)} rejected captures: {imported} now imported, "
                              f"{len(retried) - imported} still rejected.")
