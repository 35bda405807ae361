import hashlib

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.store import raw_path
from archive.models import RawCapture


class Command(BaseCommand):
    help = "Compare every raw capture's file with its row: the file is there and its sha256 is the row's."

    def handle(self, *args, **options):
        checked = bad = 0
        # Bytes purged after a takedown are gone on purpose.
        purged = RawCapture.objects.filter(purged_at__isnull=False).count()
        for capture in RawCapture.objects.filter(purged_at__isnull=True).order_by("sha256").only("sha256").iterator():
            checked += 1
            problem = _problem(capture)
            if problem:
                bad += 1
                self.stdout.write(f"{capture.sha256}: {problem}")
        if bad:
            raise CommandError(f"{bad} of {checked} raw captures do not match their rows", returncode=1)
        self.stdout.write(f"{checked} raw captures checked: all match their rows."
                          + (f" ({purged} purged after a takedown, not checked)" if purged else ""))


def _problem(capture: RawCapture) -> str | None:
    digest = hashlib.sha256()
    try:
        with raw_path(capture.sha256).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return "the file is missing"
    except OSError as exc:
        return f"the file cannot be read: {exc.strerror or exc}"
    if digest.hexdigest() != capture.sha256:
        return f"the file's sha256 is {digest.hexdigest()}"
    return None
