import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

if settings.ARCHIVE_WARM_ON_START:
    # Each server process reads the gazetteer and the index's per-segment arrays now,
    # not in its first searches (search.service.warm).
    from search.service import warm

    warm()
