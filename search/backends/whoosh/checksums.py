"""Checksums of the index's segment files: the deep check of the index (every server start,
`check_index`, a search that failed) hashes each segment instead of decoding it.

Decoding reads every term's postings, 50–170 µs a term: 5 s for the 180,000 terms of 200
articles, about 6 minutes for the 7 million of 95,000, where hashing their 1.8 GB takes
1.5 s (bench/RESULTS.md, "A deep index check that does not grow with the terms").
A Whoosh segment's files never change once written (deletions live in the table of contents), so a segment whose files still have the size
and SHA-256 they had when it was committed reads as it did then. Each commit lists the
segments it wrote (`record`); a segment not listed (an index written before this file
existed, or a record lost to a race) is decoded once, then listed (`verify`).

The list is `segment_sums.json` in the index folder, replaced whole (write, then rename):
Whoosh's own clean-up deletes only its own files, and a restore rebuilds the index.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

MANIFEST = "segment_sums.json"


class SegmentChanged(Exception):
    """A segment file is not the one that was committed: the index must be rebuilt."""


def _files(names: list[str], segment) -> list[str]:
    prefix = segment.segment_id() + "."
    return sorted(name for name in names if name.startswith(prefix))


def _sum(path: Path) -> list:
    with open(path, "rb") as handle:
        return [os.fstat(handle.fileno()).st_size, hashlib.file_digest(handle, "sha256").hexdigest()]


def _load(folder: Path) -> dict[str, list]:
    try:
        sums = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return sums if isinstance(sums, dict) else {}


def _save(folder: Path, sums: dict[str, list]) -> None:
    temporary = folder / f".{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps(sums, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def record(folder: str | Path, segments) -> None:
    """After a commit, under the index lock: list the files of every segment of the index
    that the list lacks (those the commit wrote) and drop the segments it no longer has."""
    folder = Path(folder)
    names = os.listdir(folder)
    old = _load(folder)
    sums = {}
    for segment in segments:
        for name in _files(names, segment):
            sums[name] = old[name] if name in old else _sum(folder / name)
    if sums != old:
        _save(folder, sums)


def verify(folder: str | Path, leaves: list, decode: Callable[[object], None], full: bool = False) -> int:
    """Check every segment of the index (`leaves`: its segment readers): each listed file
    by its size and hash; a segment not wholly listed (or every one, with `full`) also by
    `decode(leaf)`, after which its files are listed. Raises SegmentChanged when a listed
    file differs. Returns the number of segments decoded."""
    folder = Path(folder)
    names = os.listdir(folder)
    listed = _load(folder)
    sums = dict(listed)
    decoded = 0
    current = set()
    for leaf in leaves:
        segment = leaf.segment()
        if segment is None:  # an empty index: a reader of no segment
            decode(leaf)
            continue
        files = _files(names, segment)
        current.update(files)
        try:
            for name in files:
                if name in listed and _sum(folder / name) != listed[name]:
                    raise SegmentChanged(f"{name} is not the file that was committed: its size or "
                                         "SHA-256 differs from the one recorded then")
        except FileNotFoundError:  # merged away since the reader opened it, which still can read it
            files = []
        if files and not full and all(name in listed for name in files):
            continue
        decode(leaf)
        decoded += 1
        for name in files:
            if name not in sums:
                try:
                    sums[name] = _sum(folder / name)
                except FileNotFoundError:
                    pass
    sums = {name: value for name, value in sums.items() if name in current}
    if sums != listed:
        _save(folder, sums)
    return decoded
