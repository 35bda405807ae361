"""Why an article should be looked at by an editor: the reasons the pipeline gives when it
is unsure. A flagged article is published all the same; the flag only queues it in the
admin ("needs review"), it never hides anything.

The reasons are plain sentences, stored on the copy (in its metadata) and on the article
(`Article.review_reasons`), where they are worked out again from the article's own
fields each time its copies are merged, so a reason goes away once the cause is gone.
"""
from __future__ import annotations

from django.utils.translation import gettext_noop

# Stored in English (they are keys of the admin's filter); the admin shows them translated.
NO_DATE = gettext_noop("no publication date found")
DERIVED_TITLE = gettext_noop("no headline found: the title is derived from the lead")
BODY_FALLBACK = gettext_noop("body kept as the input's prose: the cleaning rules left too little")
SHORT_BODY = gettext_noop("short article: little running text")
UNSURE_LANGUAGE = gettext_noop("language uncertain")
BAD_BYTES = gettext_noop("a few bytes were not valid UTF-8 and were replaced")
CHARSET_MISMATCH = gettext_noop("the page's declared character set did not fit: read in another one")
PLAIN_TEXT = gettext_noop("page too large or too deeply nested to read its layout: text taken with the tags stripped")

# Reasons that belong to the article's own fields, worked out again after a merge.
FIELD_REASONS = (NO_DATE, DERIVED_TITLE)


def field_reasons(published, title_derived: bool) -> list[str]:
    reasons = []
    if not published:
        reasons.append(NO_DATE)
    if title_derived:
        reasons.append(DERIVED_TITLE)
    return reasons


def article_reasons(body_copy_reasons: list[str], published, title_derived: bool) -> list[str]:
    """An article's reasons: those of the copy whose body and language it shows, and those
    of its merged date and title."""
    kept = [r for r in body_copy_reasons if r not in FIELD_REASONS]
    return kept + field_reasons(published, title_derived)
