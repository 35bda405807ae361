"""haystack's update_index, replaced: the database is the truth, and what differs from it
is repaired through the archive's locked write path (as `check_index --fix` does)."""
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Bring the search index in step with the database (the same as `check_index --fix`)."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*", help="ignored: every article is checked")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        call_command("check_index", "--fix", stdout=self.stdout, stderr=self.stderr)
