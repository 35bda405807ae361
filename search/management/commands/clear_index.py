"""haystack's clear_index refuses: an empty index beside a full database hides every
article from search, and nothing would notice."""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refuses: use `manage.py rebuild_index` (or `ensure_index --rebuild`) to start the index afresh."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--using", action="append", default=[])

    def handle(self, *args, **options):
        raise CommandError(
            "clear_index would leave the search index empty while the database has articles. "
            "Run `manage.py rebuild_index` to index the database afresh, or `manage.py check_index --fix` "
            "to repair differences."
        )
