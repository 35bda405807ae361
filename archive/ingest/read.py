"""Stage 1, read: bytes plus provenance become a RawDocument with decoded text.

Nothing here guesses where a file came from: the URL and capture time come from a
sidecar `NAME.meta.json` or from the caller, or stay unknown.
"""
from __future__ import annotations

import codecs
import hashlib
import json
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


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" in sample or controls / len(sample) > 0.02


def decode(data: bytes, media_type: str) -> tuple[str, str]:
    """Return (text, encoding). BOM first, then a declared HTML charset, then UTF-8, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise IngestError(f"starts with a {encoding} byte-order mark but does not decode: {exc}")
    candidates: list[str] = []
    if media_type == "text/html":
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            label = declared.group(1).decode("ascii", "ignore").lower()
            candidates.append(_SUPERSETS.get(label, label))
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding), codecs.lookup(encoding).name
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError("the text encoding could not be recognised (binary or damaged file?)")
    return str(best), best.encoding


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
        text, encoding = decode(data, media_type)
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
    )


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise IngestError(f"captured_at {value!r} is not an ISO 8601 time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def load_provenance(path: Path, source_url: str | None = None, site: str | None = None) -> Provenance:
    """Provenance from `NAME.meta.json` beside the file; flags fill in what the sidecar lacks."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    meta: dict = {}
    if sidecar.exists():
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise IngestError(f"the sidecar {sidecar.name} is not valid JSON: {exc}") from exc
        if not isinstance(meta, dict):
            raise IngestError(f"the sidecar {sidecar.name} must hold a JSON object")
    url = meta.get("source_url") or source_url or None
    if url and not re.match(r"^https?://", url):
        raise IngestError(f"source_url {url!r} is not an http(s) URL")
    return Provenance(
        source_url=url,
        captured_at=_parse_time(meta.get("captured_at")),
        site=meta.get("site") or site or None,
    )
