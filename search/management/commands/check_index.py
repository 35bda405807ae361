from django.core.management.base import BaseCommand, CommandError

from search.indexing import compare_with_database, ensure_index, repair


class Command(BaseCommand):
    help = "Report differences between the database and the search index; --fix repairs them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="re-index or remove what differs")

    def handle(self, *args, **options):
        if ensure_index():
            self.stdout.write("The index was missing or of an older version: rebuilt from the database.")
        differences = compare_with_database()
        total = sum(len(v) for v in differences.values())
        for kind, ids in differences.items():
            shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
            self.stdout.write(f"{kind}: {len(ids)}" + (f" ({shown})" if ids else ""))
        if not total:
            self.stdout.write("The index matches the database.")
            return
        if options["fix"]:
            repair(differences)
            left = sum(len(v) for v in compare_with_database().values())
            if left:
                raise CommandError(f"{left} differences remain after the repair")
            self.stdout.write(f"Repaired {total} differences; the index matches the database.")
        else:
            raise CommandError(f"{total} differences; run with --fix to repair", returncode=1)
