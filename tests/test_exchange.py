"""The exchange document: load is all or nothing, idempotent, and round-trips."""

from __future__ import annotations

import copy
import json

import pytest

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.services.exchange import dump, load
from provmap_tui.store.connection import connect

SPEC_EXAMPLE = {
    "format": "provmap-exchange",
    "version": 1,
    "school": {"name": "Hillside Primary School", "urn": "123456", "academic_year": "2026-27",
               "notional_threshold": "6000.00", "oncost_percent": "0",
               "terms": [{"name": "Autumn", "start": "2026-09-07", "end": "2026-12-18"}], "closures": ["2026-10-26"]},
    "funding_streams": [{"code": "SEN", "name": "Notional SEN budget", "budget": "42000.00",
                         "counts_toward_threshold": True}],
    "staff": [{"id": "TA01", "name": "Jo Bloggs", "role": "TA", "hourly_rate": "17.20", "username": "jbloggs"}],
    "pupils": [{"upn": "H938200126001", "forename": "Amelia", "surname": "Khan", "dob": "2016-03-14",
                "year_group": 5, "sen_status": "K", "needs": ["SLCN", "SEMH"], "flags": ["PP", "EAL"]},
               {"upn": "D938200121001", "forename": "Łukasz", "surname": "Wiśniewski", "year_group": 5,
                "sen_status": "K", "needs": ["SPLD"]}],
    "interventions": [{"name": "Talk Boost", "area": "CI", "description": "Small-group language",
                       "default_minutes": 30, "default_sessions_per_week": 3, "default_group_size": 4}],
    "provisions": [{"id": "P001", "intervention": "Talk Boost", "staff": ["TA01"], "minutes": 30,
                    "sessions_per_week": 3, "start": "2026-09-07", "end": "2026-12-18", "weeks": None,
                    "funding_stream": "SEN", "resource_cost": "0.00", "per_pupil_cost": "0.00",
                    "members": [{"upn": "H938200126001", "from": None, "to": None},
                                {"upn": "D938200121001", "from": None, "to": None}]}],
}


@pytest.fixture
def empty(db_path):
    c = connect(db_path)
    yield c
    c.close()


def test_spec_example_loads_into_an_empty_database(empty):
    written = load(empty, SPEC_EXAMPLE)
    assert written["pupils"] == 2 and written["provisions"] == 1
    doc = dump(empty)
    assert doc["school"]["closures"] == ["2026-10-26"]
    assert {p["surname"] for p in doc["pupils"]} == {"Khan", "Wiśniewski"}
    assert doc["provisions"][0]["staff"] == ["TA01"]


def test_loading_twice_changes_nothing_the_second_time(empty):
    load(empty, SPEC_EXAMPLE)
    before = empty.execute("SELECT sum(version) FROM pupil").fetchone()
    assert set(load(empty, SPEC_EXAMPLE).values()) == {0}
    assert empty.execute("SELECT sum(version) FROM pupil").fetchone() == before


def test_dump_load_dump_gives_the_same_document(demo_path, tmp_path):
    src = connect(demo_path)
    first = dump(src)
    src.close()
    dst = connect(tmp_path / "copy.db")
    load(dst, json.loads(json.dumps(first)))
    assert dump(dst) == first


def _unchanged_after_failure(conn, doc, match):
    before = dump(conn)
    with pytest.raises(InvalidInput, match=match):
        load(conn, doc)
    assert dump(conn) == before


def test_unknown_member_names_its_place_and_writes_nothing(empty):
    load(empty, SPEC_EXAMPLE)
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["pupils"][0]["surname"] = "Changed"
    doc["provisions"][0]["members"][1]["upn"] = "X00180001701A"
    _unchanged_after_failure(empty, doc, r"provisions\[0\]\.members\[1\]\.upn: no pupil with UPN X00180001701A")


def test_unknown_keys_are_an_error(empty):
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["pupils"][0]["surnmae"] = "typo"
    with pytest.raises(InvalidInput, match=r"pupils\[0\]\.surnmae: unknown field"):
        load(empty, doc)


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("staff", 0, "hourly_rate"), 17.2, r"staff\[0\]\.hourly_rate: .*string with two decimals"),
        (("staff", 0, "hourly_rate"), "-1.00", r"staff\[0\]\.hourly_rate: .*negative"),
        (("pupils", 0, "upn"), "A938200126001", r"pupils\[0\]\.upn: .*check letter"),
        (("pupils", 0, "needs"), ["XYZ"], r"pupils\[0\]\.needs\[0\]: 'XYZ' is not a census need type"),
        (("provisions", 0, "weeks"), 6, r"provisions\[0\]: .*end date or a number of weeks"),
        (("provisions", 0, "minutes"), 0, r"provisions\[0\]\.minutes"),
        (("provisions", 0, "funding_stream"), "NOPE", r"provisions\[0\]\.funding_stream: no funding stream"),
        (("school", "terms", 0, "end"), "2026-09-01", r"terms\[Autumn\]: ends .* before it starts"),
    ],
)
def test_bad_values_are_named_and_nothing_is_written(empty, path, value, match):
    load(empty, {k: v for k, v in SPEC_EXAMPLE.items() if k != "provisions"})
    doc = copy.deepcopy(SPEC_EXAMPLE)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    _unchanged_after_failure(empty, doc, match)


def test_empty_database_needs_a_school(empty):
    with pytest.raises(InvalidInput, match="must include \"school\""):
        load(empty, {"format": "provmap-exchange", "version": 1})


def test_wrong_format_is_refused(empty):
    with pytest.raises(InvalidInput, match="format"):
        load(empty, {"format": "something-else", "version": 1})
