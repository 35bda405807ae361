"""Vietnamese units and the 2025 merger checked against two maintained PyPI packages.

- vietnam-provinces==2025.10.1 (no dependencies): the 34 units from 1 July 2025, with
  their GSO codes and types.
- vietnamadminunits==1.0.4: the 63 units before 1 July 2025 with their GSO codes, and the
  63 -> 34 mapping (data/converter_2025.json). Only its JSON data files are read (the
  package is never imported), so it is installed with --no-deps: see requirements-crosscheck.txt.

Any disagreement in a name (diacritics included), a code or a merger fails.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import vietnam_provinces

from archive import gazetteer
from archive.textnorm import nfc


def same_name(name: str) -> str:
    """Names compared with their diacritics; only the dash style differs between sources
    ('Bà Rịa - Vũng Tàu' vs 'Bà Rịa–Vũng Tàu')."""
    name = re.sub(r"^(Thành phố|Tỉnh) ", "", nfc(name))
    return re.sub(r"\s*[-–]\s*", "-", name)


def adminunits_data(name: str) -> dict:
    spec = importlib.util.find_spec("vietnamadminunits")
    assert spec is not None, "vietnamadminunits==1.0.4 is a test requirement"
    return json.loads((Path(spec.submodule_search_locations[0]) / "data" / name).read_text(encoding="utf-8"))


def vietnam_places() -> list[gazetteer.Place]:
    return [p for p in gazetteer.all_places() if p.country == "vn" and p.level == 1]


def unit_2025(place: gazetteer.Place) -> gazetteer.Place:
    return gazetteer.get(place.successor) if place.successor else place


def test_units_from_2025_match_vietnam_provinces():
    theirs = {
        p.code.value: (same_name(p.name), "city" if p.division_type.name == "THANH_PHO_TRUNG_UONG" else "province")
        for p in vietnam_provinces.Province.iter_all()
    }
    ours = {int(p.codes["gso_2025"]): (same_name(p.name), p.kind) for p in vietnam_places() if p.valid_until is None}
    assert ours == theirs


def test_units_before_2025_match_vietnamadminunits():
    legacy = adminunits_data("parser_legacy.json")["DICT_PROVINCE"]
    theirs = {v["provinceCode"]: same_name(v["provinceShort"]) for v in legacy.values()}
    ours = {p.codes["gso"]: same_name(p.name) for p in vietnam_places()}
    assert len(theirs) == 63
    assert ours == theirs


def test_merger_matches_vietnamadminunits():
    legacy = adminunits_data("parser_legacy.json")["DICT_PROVINCE"]
    current = adminunits_data("parser_from_2025.json")["DICT_PROVINCE"]
    mapping = adminunits_data("converter_2025.json")["DICT_PROVINCE"]
    theirs = {
        legacy[old]["provinceCode"]: current[new]["provinceCode"] for new, olds in mapping.items() for old in olds
    }
    ours = {p.codes["gso"]: unit_2025(p).codes["gso_2025"] for p in vietnam_places()}
    assert len(theirs) == 63
    assert ours == theirs
    # and the names of the 34, from the same package
    names = {v["provinceCode"]: same_name(v["provinceShort"]) for v in current.values()}
    assert {p.codes["gso_2025"]: same_name(p.name) for p in vietnam_places() if p.valid_until is None} == names


def test_districts_before_2025_match_vietnamadminunits():
    """All 696 district-level units, with their codes, province and post-2025 province."""
    data = adminunits_data("parser_legacy.json")
    mapping = adminunits_data("converter_2025.json")["DICT_PROVINCE"]
    current = adminunits_data("parser_from_2025.json")["DICT_PROVINCE"]
    old_to_new = {old: current[new]["provinceCode"] for new, olds in mapping.items() for old in olds}
    theirs = {
        d["districtCode"]: (same_name(d["districtShort"]), data["DICT_PROVINCE"][pkey]["provinceCode"], old_to_new[pkey])
        for pkey, districts in data["DICT_PROVINCE_DISTRICT"].items()
        for d in districts.values()
    }
    ours = {
        p.codes["gso"]: (same_name(p.name), gazetteer.get(p.parent).codes["gso"],
                         gazetteer.get(p.post_2025_province).codes["gso_2025"])
        for p in gazetteer.all_places() if p.country == "vn" and p.level == 2
    }
    assert len(theirs) == 696
    assert ours == theirs


def test_former_district_names_are_the_packages_aliases():
    """The former names recorded on districts are exactly the package's districtAlias
    (data/dataset.db, written without diacritics) that name another unit: not only the
    old unit word ('thixadian' for Dĩ An) nor a spelling variant ('quan02', 'q2')."""
    import sqlite3

    from archive.gazetteer._matcher import key

    spec = importlib.util.find_spec("vietnamadminunits")
    db = sqlite3.connect(Path(spec.submodule_search_locations[0]) / "data" / "dataset.db")
    folded = lambda s: key(s).replace(" ", "")  # noqa: E731
    theirs = {}
    for code, short, aliases in set(db.execute(
            "select districtCode, districtShort, districtAlias from admin_units_legacy where districtAlias is not null")):
        short = re.sub(r" \(.*\)$", "", short)  # 'Hồng Ngự (Thành phố)'
        keys = json.loads(aliases)
        names = {k for k in keys if not k.endswith(folded(short)) and re.fullmatch(r"quan[1-9]\d*", k)}
        names |= {k for k in keys for unit in ("huyen", "thixa", "thanhpho")
                  if k.startswith(unit) and k[len(unit):] != folded(short)
                  and (k[len(unit):] in keys or k.startswith("thanhpho"))}
        if names:
            theirs[code] = names
    ours = {p.codes["gso"]: {folded(n) for n in p.former_names}
            for p in gazetteer.all_places() if p.country == "vn" and p.level == 2 and p.former_names}
    assert len(ours) == 17 and sum(map(len, ours.values())) == 21
    assert ours == theirs
