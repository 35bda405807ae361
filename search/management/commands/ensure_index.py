from django.core.management.base import BaseCommand

from search.indexing import ensure_index, heal_killed_imports, rebuild_index


class Command(BaseCommand):
    help = ("Rebuild the search index from the database if its schema or analyzer version changed or it "
            "cannot be read; index what a killed import left out. Run at every server start.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="rebuild even if the version matches")

    def handle(self, *args, **options):
        if options["rebuild"]:
            count = rebuild_index()
            self.stdout.write(f"Search index rebuilt: {count} articles.")
        elif ensure_index(deep=True):
            self.stdout.write("Search index rebuilt: its version had changed, or it was missing or unreadable.")
        else:
            healed = heal_killed_imports()
            if healed:
                self.stdout.write(f"An import had been killed: {healed} articles brought into the index.")
            self.stdout.write("Search index is up to date.")
