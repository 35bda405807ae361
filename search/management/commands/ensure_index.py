from django.core.management.base import BaseCommand

from search.indexing import ensure_index, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from the database if its schema or analyzer version changed."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="rebuild even if the version matches")

    def handle(self, *args, **options):
        if options["rebuild"]:
            count = rebuild_index()
            self.stdout.write(f"Search index rebuilt: {count} articles.")
        elif ensure_index():
            self.stdout.write("Search index rebuilt: its version had changed or it was missing.")
        else:
            self.stdout.write("Search index is up to date.")
