"""Files uploaded through the admin: single pages, zip files and WARC files.

Uploads are hostile until proven otherwise. A zip is never extracted to disk; its members
are read one by one with a hard cap on each, and the archive is refused outright when it
is a bomb (too many members, too much declared or actual data, an absurd compression
ratio). Members whose path is absolute or climbs out of the folder ('../') are refused.
"""
from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from archive.ingest.read import (
    IMPORTABLE_SUFFIXES,
    MAX_DOCUMENT_BYTES,
    SIDECAR_SUFFIX,
    IngestError,
    Provenance,
    provenance_from_meta,
)
from archive.ingest.warc import WarcInput, is_warc, iter_warc

MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_ABOVE = 1024 * 1024


def _unsafe_path(member: str) -> str | None:
    path = member.replace("\\", "/")
    pure = PurePosixPath(path)
    if pure.is_absolute() or (len(path) > 1 and path[1] == ":"):
        return "its path is absolute"
    if ".." in pure.parts:
        return "its path climbs out of the folder (../)"
    return None


def _sidecar(zf: zipfile.ZipFile, names: set[str], member: str) -> Provenance:
    sidecar = member + SIDECAR_SUFFIX
    if sidecar not in names:
        return Provenance()
    info = zf.getinfo(sidecar)
    if info.file_size > 64 * 1024:
        raise IngestError(f"the sidecar {sidecar} is too large")
    try:
        meta = json.loads(zf.read(sidecar).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise IngestError(f"the sidecar {sidecar} is not valid JSON: {exc}") from exc
    return provenance_from_meta(meta, sidecar)


def _evidence(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A refused member's bytes, to keep as evidence, when they can be read safely: never
    more than a document's limit, never a member that claims to inflate absurdly."""
    if info.file_size > MAX_DOCUMENT_BYTES or (
            info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
        return None
    try:
        with zf.open(info) as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return None
    return data if data and len(data) <= MAX_DOCUMENT_BYTES else None


def iter_zip(stream: BinaryIO, name: str) -> Iterator[WarcInput]:
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError(f"not a readable zip file: {exc}") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise IngestError(f"the zip holds {len(infos)} members; at most {MAX_ZIP_MEMBERS} are accepted")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_ZIP_TOTAL_BYTES:
            raise IngestError(
                f"the zip would unpack to {declared / 1e6:.0f} MB; at most "
                f"{MAX_ZIP_TOTAL_BYTES // (1024 * 1024)} MB are accepted (zip bomb?)"
            )
        names = {i.filename for i in infos}
        read_total = 0
        damaged: list[str] = []
        for info in infos:
            member = info.filename
            label = f"{name}:{member}"
            if info.is_dir() or member.endswith(SIDECAR_SUFFIX):
                continue
            problem = _unsafe_path(member)
            if problem is None and stat.S_ISLNK(info.external_attr >> 16):
                problem = "it is a symbolic link"
            if problem is None and info.file_size > MAX_DOCUMENT_BYTES:
                problem = f"it is {info.file_size / 1e6:.1f} MB; documents over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB are refused"
            if (problem is None and info.file_size > RATIO_CHECK_ABOVE
                    and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
                problem = f"it compresses {info.file_size // max(info.compress_size, 1)}:1 (zip bomb?)"
            if problem is None and PurePosixPath(member).suffix.lower() not in IMPORTABLE_SUFFIXES:
                problem = "not a text dump or an HTML page"
            if problem:
                evidence = _evidence(zf, info)
                if evidence is None:
                    damaged.append(member)
                yield WarcInput(label, evidence, Provenance(), f"refused: {problem}")
                continue
            try:
                provenance = _sidecar(zf, names, member)
                with zf.open(info) as handle:
                    # The header may lie about the size: never read more than the cap.
                    data = handle.read(MAX_DOCUMENT_BYTES + 1)
            except IngestError as exc:
                yield WarcInput(label, None, Provenance(), str(exc))
                continue
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
                damaged.append(member)
                yield WarcInput(label, None, Provenance(), f"cannot be read from the zip: {exc}")
                continue
            if len(data) > MAX_DOCUMENT_BYTES:
                damaged.append(member)
                yield WarcInput(label, None, Provenance(), "refused: it unpacks to more than its declared size")
                continue
            read_total += len(data)
            if read_total > MAX_ZIP_TOTAL_BYTES:
                raise IngestError("the zip unpacks to more data than it declared (zip bomb?); stopped")
            yield WarcInput(label, data, provenance)
        if not read_total and not damaged and not any(i.filename for i in infos
                                                      if not i.is_dir() and not i.filename.endswith(SIDECAR_SUFFIX)):
            raise IngestError("the zip holds no file to import")
        if damaged:
            # The members' own bytes cannot be had: the zip itself is the evidence (an
            # IngestError keeps the container's bytes).
            raise IngestError(f"{len(damaged)} member(s) could not be read or kept on their own "
                              f"({', '.join(damaged[:3])}): too large, a zip bomb, or headers that lie; "
                              f"the zip is kept as their evidence")


def iter_upload(name: str, stream: BinaryIO) -> Iterator[WarcInput]:
    """Every input inside one uploaded file."""
    lower = name.lower()
    if is_warc(lower):
        yield from iter_warc(stream, name)
    elif lower.endswith(".zip"):
        yield from iter_zip(stream, name)
    else:
        data = stream.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            yield WarcInput(name, None, Provenance(),
                            f"the document is over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; documents that large are refused")
        else:
            yield WarcInput(name, data, Provenance())
