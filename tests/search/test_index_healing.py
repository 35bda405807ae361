"""Issue 21, item 4: an index that heals. A segment damaged on disk is found by
`check_index` (which reads all of the index), rebuilt by `check_index --fix`, and
rebuilt by the server when a search meets it; `check_raw` finds raw captures whose bytes
are not what their row says."""
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.ingest.store import raw_path
from archive.models import RawCapture

pytestmark = pytest.mark.django_db(transaction=True)


def index_dir() -> Path:
    return Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


def largest_segment() -> Path:
    return max((p for p in index_dir().iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def overwrite(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle:middle + 4000] = b"\xa5" * min(4000, len(data) - middle)
    path.write_bytes(bytes(data))


def check_index(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("check_index", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.mark.parametrize("damage", [truncate, overwrite])
def test_check_index_finds_a_damaged_segment_and_fix_rebuilds_it(seeded_fresh, damage):
    if damage is truncate:  # every search reads that segment: the first one rebuilt the index
        out, error = check_index()
        assert error is None and "The index matches the database." in out
    damage(largest_segment())
    out, error = check_index()
    assert "The index cannot be read:" in out
    assert error is not None and "run with --fix" in str(error)
    out, error = check_index("--fix")
    assert error is None, out
    assert "Rebuilt from the database: 4 articles." in out and "The index matches the database." in out
    assert check_index() == ("missing: 0\nextra: 0\nstale: 0\nThe index matches the database.\n", None)


@pytest.mark.parametrize("damage", [truncate, overwrite])
def test_the_server_rebuilds_a_damaged_index_when_a_search_meets_it(seeded_fresh, client, damage):
    from haystack import connections

    assert "Gyeonggi" in client.get("/search/?q=Gyeonggi").content.decode()
    damage(largest_segment())
    connections["default"].get_backend()._searcher = None  # as a worker that starts after the damage
    for query in ("Gyeonggi", "Jeollanam", "hợp tác"):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query
        response = client.get("/api/search/", {"q": query})
        assert response.status_code == 200 and response.json()["count"] >= 1, query
    if damage is truncate:  # every search reads that segment: the first one rebuilt the index
        out, error = check_index()
        assert error is None and "The index matches the database." in out


def test_check_raw_compares_every_raw_file_with_its_row(seeded_fresh):
    out = io.StringIO()
    call_command("check_raw", stdout=out)
    assert "5 raw captures checked: all match their rows." in out.getvalue()
    first, second = RawCapture.objects.order_by("sha256")[:2]
    path = raw_path(first.sha256)
    # The raw store is the session's (content-addressed, shared by every test): both files
    # are put back, or a later import of the same seeds would keep the tampered bytes.
    kept = {p: p.read_bytes() for p in (path, raw_path(second.sha256))}
    try:
        path.write_bytes(kept[path] + b"tampered")
        raw_path(second.sha256).unlink()
        out = io.StringIO()
        with pytest.raises(CommandError, match="2 of 5 raw captures do not match"):
            call_command("check_raw", stdout=out)
    finally:
        for p, data in kept.items():
            p.write_bytes(data)
    report = out.getvalue()
    assert f"{first.sha256}: the file's sha256 is " in report
    assert f"{second.sha256}: the file is missing" in report


# --- the deep check by segment hashes (search/backends/whoosh/checksums.py) -----------------

def listed_sums() -> dict:
    from search.backends.whoosh.checksums import MANIFEST

    return json.loads((index_dir() / MANIFEST).read_text())


def whoosh_backend():
    from haystack import connections

    return connections["default"].get_backend()


def decode_count(full: bool = False) -> int:
    from search.backends.whoosh import backend as whoosh, checksums

    b = whoosh_backend()
    b.index = b.index.refresh()
    with b.index.reader() as reader:
        return checksums.verify(b.path, [leaf for leaf, _ in reader.leaf_readers()],
                                whoosh._decode_segment, full=full)


def segment_files() -> set[str]:
    b = whoosh_backend()
    segments = b.index.refresh()._segments()
    return {p.name for p in index_dir().iterdir() for s in segments if p.name.startswith(s.segment_id() + ".")}


def test_each_commit_lists_its_segments_files_with_their_size_and_sha256(seeded_fresh):
    sums = listed_sums()
    assert set(sums) == segment_files() and sums
    for name, (size, digest) in sums.items():
        data = (index_dir() / name).read_bytes()
        assert [size, digest] == [len(data), hashlib.sha256(data).hexdigest()], name
    whoosh_backend().optimize()  # every segment merged into one: the list follows
    assert set(listed_sums()) == segment_files() and len(whoosh_backend().index.refresh()._segments()) == 1
    assert decode_count() == 0  # all listed: hashed, none decoded
    assert decode_count(full=True) == 1


def test_a_segment_not_listed_is_decoded_once_then_listed(seeded_fresh):
    from search.backends.whoosh.checksums import MANIFEST

    segments = len(whoosh_backend().index.refresh()._segments())
    (index_dir() / MANIFEST).unlink()  # an index written before the list existed
    assert decode_count() == segments
    assert set(listed_sums()) == segment_files()
    assert decode_count() == 0


def test_a_changed_listed_file_is_named_and_an_unlisted_damaged_one_is_found_by_decoding(seeded_fresh):
    from search.backends.whoosh.checksums import MANIFEST

    largest = largest_segment()
    overwrite(largest)
    out, error = check_index()
    assert f"{largest.name} is not the file that was committed" in out and error is not None
    (index_dir() / MANIFEST).unlink()
    truncate(largest)  # nothing to compare with: the decode must find it
    out, error = check_index()
    assert "The index cannot be read:" in out and "is not the file that was committed" not in out
    assert error is not None


def test_a_server_starts_on_a_damaged_index_and_its_first_search_repairs_it(seeded_fresh, client, caplog):
    from haystack import connections

    from search.service import warm

    truncate(largest_segment())
    connections["default"].get_backend()._searcher = None  # as a worker that starts after the damage
    warm()  # as archive/wsgi.py calls it: logged, not raised
    assert "warming the search engine failed" in caplog.text
    response = client.get("/search/", {"q": "Gyeonggi"})
    assert response.status_code == 200 and "Gyeonggi" in response.content.decode()
