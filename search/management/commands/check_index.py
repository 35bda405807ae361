from django.core.management.base import BaseCommand, CommandError

from search.indexing import compare_with_database, dead_import_marks, ensure_index, heal_killed_imports
from search.indexing import readable, rebuild_index, repair, schema_version, stored_version


class Command(BaseCommand):
    help = ("Check that the search index can be read to the end (every segment, every stored document) "
            "and matches the database; --fix rebuilds an unreadable index and repairs what differs.")

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="rebuild or re-index what is wrong")
        parser.add_argument("--full", action="store_true",
                            help="decode every segment, even those whose files still have the hashes "
                                 "recorded when they were written (slow: linear in the index's terms)")

    def handle(self, *args, **options):
        # An index of the code's version is read to the end; a missing or older one is rebuilt.
        problem = readable(full=options["full"]) if stored_version() == schema_version() else None
        if not problem and ensure_index():
            self.stdout.write("The index was missing or of an older version: rebuilt from the database.")
        if problem:
            self.stdout.write(f"The index cannot be read: {problem}")
            if not options["fix"]:
                raise CommandError("the index cannot be read; run with --fix to rebuild it", returncode=1)
            count = rebuild_index()
            if readable():
                raise CommandError("the index still cannot be read after a rebuild")
            self.stdout.write(f"Rebuilt from the database: {count} articles.")
        killed = dead_import_marks()
        if killed:
            self.stdout.write(f"{len(killed)} import(s) did not finish (killed?).")
        differences = compare_with_database()
        total = sum(len(v) for v in differences.values())
        for kind, ids in differences.items():
            shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
            self.stdout.write(f"{kind}: {len(ids)}" + (f" ({shown})" if ids else ""))
        if not total:
            if killed and options["fix"]:
                heal_killed_imports()
            self.stdout.write("The index matches the database.")
            return
        if options["fix"]:
            repair(differences)
            heal_killed_imports()
            left = sum(len(v) for v in compare_with_database().values())
            if left:
                raise CommandError(f"{left} differences remain after the repair")
            self.stdout.write(f"Repaired {total} differences; the index matches the database.")
        else:
            raise CommandError(f"{total} differences; run with --fix to repair", returncode=1)
