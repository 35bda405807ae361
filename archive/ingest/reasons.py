"""Why an input was refused, in the reader's language.

The ingest stages give their reasons as plain English sentences: that is what the import
command prints, what a raw capture stores (`RawCapture.rejected_reason`) and what the logs
keep. The admin shows them in the editor's language. Each reason's shape is listed here
once, as a gettext message with named placeholders; `translate` finds the shape an English
reason has, translates it, and puts the details back (themselves translated where they are
reasons too, as in "refused: it is a symbolic link"). A reason of no listed shape is shown
as it is, in English, never hidden.

Details taken from elsewhere (a file name, a library's own error message) stay as given.
"""
from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import gettext, gettext_noop

# The shapes, with their placeholders. Order matters only where one shape is a prefix of
# another: the more specific one comes first.
SHAPES = (
    gettext_noop("no article found: nothing but navigation, captions or lists"),
    gettext_noop("the text encoding could not be recognised (binary or damaged file?)"),
    gettext_noop("the file is empty"),
    gettext_noop("the file is binary, not text or HTML"),
    gettext_noop("the file holds only whitespace"),
    gettext_noop("starts with a %(encoding)s byte-order mark but does not decode: %(error)s"),
    gettext_noop("the document is %(size)s MB; documents over %(limit)s MB are refused"),
    gettext_noop("captured_at %(value)s is not an ISO 8601 time"),
    gettext_noop("the sidecar %(name)s is not valid JSON: %(error)s"),
    gettext_noop("the sidecar %(name)s must hold a JSON object"),
    gettext_noop("the sidecar %(name)s is too large"),
    gettext_noop("source_url %(url)s is not an http(s) URL"),
    gettext_noop("not a readable zip file: %(error)s"),
    gettext_noop("not a readable WARC file: %(error)s"),
    gettext_noop("the zip holds %(count)s members; at most %(limit)s are accepted"),
    gettext_noop("the zip would unpack to %(size)s MB; at most %(limit)s MB are accepted (zip bomb?)"),
    gettext_noop("the zip unpacks to more data than it declared (zip bomb?); stopped"),
    gettext_noop("it is a symbolic link"),
    gettext_noop("its path is absolute"),
    gettext_noop("its path climbs out of the folder (../)"),
    gettext_noop("it is %(size)s MB; documents over %(limit)s MB are refused"),
    gettext_noop("it compresses %(ratio)s:1 (zip bomb?)"),
    gettext_noop("not a text dump or an HTML page"),
    gettext_noop("it unpacks to more than its declared size"),
    gettext_noop("cannot be read from the zip: %(error)s"),
    gettext_noop("cannot be read: %(error)s"),
    gettext_noop("HTTP status %(status)s, not a page"),
    gettext_noop("the record is over %(limit)s MB; documents that large are refused"),
    gettext_noop("the document is over %(limit)s MB; documents that large are refused"),
    gettext_noop("captured_at must be an ISO 8601 time as text, not %(type)s"),
    gettext_noop("source_url must be a URL as text, not %(type)s"),
    gettext_noop("the sidecar %(name)s must hold a JSON object, not %(type)s"),
    gettext_noop("site must be text, not %(type)s"),
    gettext_noop("%(field)s is not valid text (it holds a lone surrogate escape)"),
    gettext_noop("the sidecar %(name)s cannot be read: %(error)s"),
    gettext_noop("the zip holds no file to import"),
    gettext_noop("%(count)s member(s) could not be read or kept on their own (%(names)s): too large, a zip bomb, "
                 "or headers that lie; the zip is kept as their evidence"),
    gettext_noop("the WARC file holds no HTML page (%(count)s records, none an HTML response)"),
    gettext_noop("the record is cut short: %(count)s of its declared bytes are missing"),
    gettext_noop("the WARC file breaks off or is damaged after record %(index)s: %(error)s; "
                 "the records before it were read"),
    gettext_noop("no WARC record found in it"),
    gettext_noop("record %(index)s is not a WARC record"),
    gettext_noop("it is a symbolic link; links in an import folder are not followed"),
    gettext_noop("it took over %(seconds)s s to process, even as plain text"),
    # The kinds of JSON value a sidecar field can wrongly hold.
    gettext_noop("a number"),
    gettext_noop("a list"),
    gettext_noop("an object"),
    gettext_noop("refused: %(problem)s"),
    gettext_noop("taken down"),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=None)
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    compiled = []
    for shape in SHAPES:
        pieces, last = [], 0
        for match in _PLACEHOLDER.finditer(shape):
            pieces.append(re.escape(shape[last:match.start()]))
            pieces.append(f"(?P<{match.group(1)}>.+?)")
            last = match.end()
        pieces.append(re.escape(shape[last:]))
        compiled.append((re.compile("^" + "".join(pieces) + "$", re.DOTALL), shape))
    return tuple(compiled)


def translate(reason: str, _depth: int = 0) -> str:
    """The reason in the active language, or as given where its shape is not listed."""
    if not reason or _depth > 3:
        return reason
    for pattern, shape in _patterns():
        match = pattern.match(reason)
        if match:
            details = {key: translate(value, _depth + 1) for key, value in match.groupdict().items()}
            return gettext(shape) % details
    return reason
