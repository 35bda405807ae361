from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


def _sqlite_pragmas(sender, connection, **kwargs) -> None:
    # WAL lets readers (the site) go on while one writer (an import) commits.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = gettext_lazy("Archive")

    def ready(self) -> None:
        from archive import audit, curation
        from archive.roles import ensure_editor_group

        audit.connect_signals()
        curation.connect_signals()

        connection_created.connect(_sqlite_pragmas)
        post_migrate.connect(ensure_editor_group, sender=self)
