"""Stage 1, read: bytes plus provenance become a RawDocument with decoded text.

Nothing here guesses where a file came from: the URL and capture time come from a
sidecar `NAME.meta.json` or from the caller, or stay unknown.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import charset_normalizer

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
IMPORTABLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"


class IngestError(Exception):
    """An input that cannot become an article; the message is shown to the user as the reason."""


@dataclass(frozen=True)
class Provenance:
    source_url: str | None = None
    captured_at: datetime | None = None
    site: str | None = None


@dataclass(frozen=True)
class RawDocument:
    data: bytes
    name: str
    text: str
    encoding: str
    media_type: str  # 'text/plain' or 'text/html'
    provenance: Provenance = field(default_factory=Provenance)
    review: tuple[str, ...] = ()  # doubts about the decoding (see review.py)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# As browsers do (WHATWG Encoding): these labels mean their Windows supersets in practice.
_SUPERSETS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
              "ascii": "cp1252", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "iso-8859-9": "cp1254"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<!--)", re.I)


def detect_media_type(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix in TEXT_SUFFIXES:
        return "text/plain"
    return "text/html" if _HTML_SNIFF.match(data[:1024]) else "text/plain"


# Control characters but the whitespace ones (\t \n \v \f \r).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    return "\x00" in sample or controls / len(sample) > 0.02


# A few bad bytes in otherwise good UTF-8 (a damaged copy) are replaced and flagged; more
# than this share of the text means the text is in another encoding.
MAX_BAD_BYTE_SHARE = 0.001
# What a page that does not decode as it says is tried as instead: the web's common
# single- and double-byte encodings for our languages, never the old DOS code pages.
_ALTERNATIVES = ["cp1252", "cp1258", "cp949", "utf_16", "cp1250", "cp1251", "gb18030", "big5", "shift_jis",
                 "euc_jp", "iso8859_15", "koi8_r"]


def _few_bad_bytes(data: bytes) -> str | None:
    """The text as UTF-8 with its bad bytes replaced, if they are few."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    if bad and bad <= max(3, MAX_BAD_BYTE_SHARE * len(text)):
        return text
    return None


def decode_checked(data: bytes, media_type: str) -> tuple[str, str, tuple[str, ...]]:
    """Return (text, encoding, doubts). BOM first, then a declared HTML charset, then
    UTF-8; UTF-8 with a few bad bytes is read with them replaced; a text that decodes as
    none of these is tried against the common alternatives, then detected. Every guess
    past what the page said is flagged for review."""
    from archive.ingest import review

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", ""), ()
            except UnicodeDecodeError as exc:
                raise IngestError(f"starts with a {encoding} byte-order mark but does not decode: {exc}")
    candidates: list[str] = []
    declared_label = None
    if media_type == "text/html":
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            declared_label = declared.group(1).decode("ascii", "ignore").lower()
            candidates.append(_SUPERSETS.get(declared_label, declared_label))
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding), codecs.lookup(encoding).name, ()
        except (LookupError, UnicodeDecodeError):
            continue
    replaced = _few_bad_bytes(data)
    if replaced is not None:
        return replaced, "utf-8", (review.BAD_BYTES,)
    best, doubts = None, ()
    if declared_label:
        # Said one thing, is another: only the web's usual encodings are believable.
        best, doubts = charset_normalizer.from_bytes(data, cp_isolation=_ALTERNATIVES).best(), (review.CHARSET_MISMATCH,)
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError("the text encoding could not be recognised (binary or damaged file?)")
    return str(best), best.encoding, doubts


def decode(data: bytes, media_type: str) -> tuple[str, str]:
    """Return (text, encoding); see `decode_checked`."""
    text, encoding, _doubts = decode_checked(data, media_type)
    return text, encoding


def read_document(data: bytes, name: str, provenance: Provenance | None = None) -> RawDocument:
    if not data:
        raise IngestError("the file is empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise IngestError(
            f"the document is {len(data) / 1e6:.1f} MB; documents over "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB are refused"
        )
    media_type = detect_media_type(data, name)
    try:
        text, encoding, doubts = decode_checked(data, media_type)
    except IngestError:
        if _looks_binary(data[:20000].decode("latin-1")):
            raise IngestError("the file is binary, not text or HTML") from None
        raise
    if _looks_binary(text):
        raise IngestError("the file is binary, not text or HTML")
    if not text.strip():
        raise IngestError("the file holds only whitespace")
    return RawDocument(
        data=data,
        name=name,
        text=text,
        encoding=encoding,
        media_type=media_type,
        provenance=provenance or Provenance(),
        review=doubts,
    )


def _text(field: str, value: str) -> str:
    """A sidecar's text as kept: JSON can carry lone surrogates, which no database takes."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise IngestError(f"{field} is not valid text (it holds a lone surrogate escape)") from None
    return value


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise IngestError(f"captured_at must be an ISO 8601 time as text, not {_json_type(value)}")
    _text("captured_at", value)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise IngestError(f"captured_at {value[:200]!r} is not an ISO 8601 time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _json_type(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


_URL_SCHEME = re.compile(r"^(https?)://", re.I)


def check_url(url) -> str | None:
    """A source URL as kept: http(s) only, the scheme in any case (written lower case);
    `javascript:`, `data:`, `file:` and anything else are refused."""
    if url is None or url == "":
        return None
    if not isinstance(url, str):
        raise IngestError(f"source_url must be a URL as text, not {_json_type(url)}")
    url = _text("source_url", url.strip())
    match = _URL_SCHEME.match(url)
    if not match or len(url) <= len(match.group(0)) or any(ch in url for ch in "\x00\r\n"):
        raise IngestError(f"source_url {url[:200]!r} is not an http(s) URL")
    return match.group(1).lower() + url[len(match.group(1)):]


def provenance_from_meta(meta, sidecar_name: str, source_url: str | None = None,
                         site: str | None = None) -> Provenance:
    """A sidecar's JSON, checked: an object whose source_url, captured_at and site are
    text (or absent). The flags of the command fill in what the sidecar lacks."""
    if not isinstance(meta, dict):
        raise IngestError(f"the sidecar {sidecar_name} must hold a JSON object, not {_json_type(meta)}")
    meta_site = meta.get("site")
    if meta_site is not None and not isinstance(meta_site, str):
        raise IngestError(f"site must be text, not {_json_type(meta_site)}")
    if meta_site:
        _text("site", meta_site)
    return Provenance(
        source_url=check_url(meta.get("source_url") or source_url or None),
        captured_at=_parse_time(meta.get("captured_at")),
        site=(meta_site or site or None) and (meta_site or site)[:200],
    )


def display_name(path: Path | str) -> str:
    """A file's name as text: bytes that are not UTF-8 (an old archive's file names) shown
    as U+FFFD, so the name can be stored and reported."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


def load_provenance(path: Path, source_url: str | None = None, site: str | None = None) -> Provenance:
    """Provenance from `NAME.meta.json` beside the file; flags fill in what the sidecar lacks."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    sidecar_name = display_name(sidecar.name)
    meta: dict = {}
    try:
        present = sidecar.is_file() and not sidecar.is_symlink()
    except OSError:  # a name too long to have a sidecar beside it
        present = False
    if present:
        try:
            meta = json.loads(sidecar.read_bytes().decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise IngestError(f"the sidecar {sidecar_name} is not valid JSON: {exc}") from exc
        except OSError as exc:
            raise IngestError(f"the sidecar {sidecar_name} cannot be read: {exc.strerror or exc}") from exc
    return provenance_from_meta(meta, sidecar_name, source_url, site)
