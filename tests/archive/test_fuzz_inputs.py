"""Issue 21: random sidecars, file names and containers thrown at the importer. Every
input gets exactly one outcome (a container that breaks off may add one for itself), no
traceback, and every rejected input that had bytes keeps them."""
import io
import json
import os
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.ingest.pipeline import iter_input_files
from archive.ingest.run import ImportRun
from archive.ingest.store import raw_path
from archive.models import RawCapture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PAGE = ("<html><head><title>Hanoi and Busan sign a memorandum</title></head><body><article>"
        "<p>The delegations of Hanoi and Busan signed a memorandum on port cooperation and student "
        "exchanges at the city hall today, the mayor said.</p><p>Trade between the two cities grew by a "
        "fifth last year, and a festival of culture is planned for the spring.</p></article></body></html>")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40)
    | st.sampled_from(["https://a.vn/x", "HTTPS://A.VN/y", "javascript:alert(1)", "2024-01-02T03:04:05Z",
                       "2024-13-45", "file:///etc/passwd", "http://"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)
sidecars = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["source_url", "captured_at", "site", "other"]), json_values, max_size=4)
    .map(json.dumps).map(str.encode),
    json_values.map(json.dumps).map(str.encode),
    st.binary(max_size=40),
)
name_bytes = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"), min_size=1, max_size=30)
    .map(lambda t: t.encode("utf-8")),
    st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
    st.integers(200, 250).map(lambda n: b"x" * n),
)
bodies = st.one_of(st.just(PAGE.encode()), st.binary(max_size=300),
                   st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                   st.just(PAGE.encode("utf-16")))


def zip_of(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


member_names = st.one_of(st.sampled_from(["a.html", "../b.html", "/c.html", "d.txt", "e.jpg", "f/g.html",
                                          "a.html.meta.json"]),
                         st.text(min_size=1, max_size=20))
containers = st.one_of(
    st.lists(st.tuples(member_names, st.one_of(bodies, sidecars.map(lambda b: b or b"{}"))), max_size=4).map(zip_of),
    st.binary(max_size=200),
    bodies.map(lambda b: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\n" + b),
)
suffixes = st.sampled_from([".html", ".txt", ".htm", ".zip", ".warc", ".warc.gz"])
inputs = st.lists(st.tuples(name_bytes, suffixes, bodies, sidecars, containers), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(inputs)
def test_every_input_gets_an_outcome_and_no_traceback(search_index, tmp_path_factory, batch):
    # Hypothesis seeds the global `random` the same way for every example, and Whoosh names
    # its segments with it: without this, a later example's segment takes an earlier name.
    random.seed(os.urandom(16))
    folder = tmp_path_factory.mktemp("fuzz")
    written = set()
    for i, (name, suffix, body, sidecar, container) in enumerate(batch):
        stem = b"%d-" % i + name[: 250 - len(suffix)]
        path = os.fsencode(str(folder)) + b"/" + stem + suffix.encode()
        data = container if suffix in (".zip", ".warc", ".warc.gz") else body
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError:  # a name the file system refuses is no input at all
            continue
        written.add(os.fsdecode(path))
        if sidecar is not None:
            try:
                with open(path + b".meta.json", "wb") as handle:
                    handle.write(sidecar)
            except OSError:
                pass  # too long for a sidecar beside it
    files = list(iter_input_files([folder]))
    assert {str(f) for f in files} == written
    with ImportRun(origin="") as run:
        outcomes = list(run.import_files(files))
    for path in files:
        shown = os.fsencode(str(path)).decode("utf-8", "replace")
        own = [o for o in outcomes if o.name == shown or o.name.startswith(shown + ":") or o.name.startswith(shown + "#")]
        assert own, (shown, outcomes)
        if not path.name.endswith((".zip", ".warc", ".warc.gz")):
            assert len(own) == 1, own
    for outcome in outcomes:
        assert outcome.status in ("imported", "merged", "unchanged", "rejected"), outcome
        if outcome.status == "rejected":
            assert outcome.reason and "Traceback" not in outcome.reason
    for capture in RawCapture.objects.filter(rejected_reason__gt=""):
        assert raw_path(capture.sha256).exists()
