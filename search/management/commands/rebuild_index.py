"""haystack's rebuild_index, replaced: the archive's rebuild takes the index lock and
records the index version (search.indexing.rebuild_index)."""
from django.core.management.base import BaseCommand

from search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Drop the search index and index every published article again, from the database."

    def add_arguments(self, parser):
        # Accepted for haystack's habits; the rebuild never asks.
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(f"Search index rebuilt: {count} articles.")
