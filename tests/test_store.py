"""The one SQLite file: migrations, safety settings, locking and the seeded library."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from provmap_tui.domain.errors import ConflictError
from provmap_tui.domain.models import Intervention, Pupil
from provmap_tui.services import library
from provmap_tui.store import interventions, pupils, school
from provmap_tui.store.connection import DatabaseError, connect, latest_version, transaction


def test_new_database_is_migrated_with_wal_and_foreign_keys(conn, db_path):
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_every_editable_table_has_a_version_column(conn):
    for table in ("school", "term", "closure", "funding_stream", "staff", "pupil", "intervention", "provision"):
        cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        assert "version" in cols, table


def test_database_from_a_newer_provmap_is_refused_and_left_alone(db_path):
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {latest_version() + 1}")
    raw.close()
    with pytest.raises(DatabaseError, match="newer provmap"):
        connect(db_path)
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == latest_version() + 1
    assert raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_write_lock_held_by_another_user_gives_a_clear_message(conn, db_path):
    other = connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(DatabaseError, match="locked by another user"):
            with transaction(conn, db_path):
                pass
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_stale_edit_is_refused_not_overwritten(conn):
    p = Pupil(upn="D938200121001", forename="Daniel", surname="Okafor", sen_status="K", needs=["SLCN"])
    with transaction(conn):
        pupils.save(conn, p)
    first = pupils.get(conn, p.upn)
    second = pupils.get(conn, p.upn)
    with transaction(conn):
        pupils.save(conn, first.model_copy(update={"surname": "Okafor-Smith"}))
    with pytest.raises(ConflictError, match="changed by someone else"):
        with transaction(conn):
            pupils.save(conn, second.model_copy(update={"forename": "Dan"}))
    assert pupils.get(conn, p.upn).forename == "Daniel"


def test_new_school_has_default_calendar_and_streams(conn):
    cal = school.calendar(conn, "2026-27")
    assert cal.pupil_day_count == 190
    assert len(cal.terms) == 6
    streams = {s.code: s for s in school.streams(conn)}
    assert set(streams) == {"SEN", "PP", "EAL", "CATCHUP", "TOPUP"}
    assert [c for c, s in streams.items() if s.counts_toward_threshold] == ["SEN"]


def test_library_is_seeded_with_real_interventions_in_all_four_areas(conn):
    items = interventions.list_all(conn)
    assert len(items) >= 80
    names = {i.name for i in items}
    for expected in ("Precision Teaching", "Toe by Toe", "ELSA", "Zones of Regulation", "Sensory circuits",
                     "Colourful Semantics", "Lego-based therapy", "Drawing and Talking", "1stClass@Number"):
        assert expected in names
    areas = Counter(i.area for i in items)
    assert set(areas) == {"CL", "CI", "SEMH", "SP"} and min(areas.values()) >= 10


def test_library_update_never_overwrites_the_schools_edits(conn):
    toe = next(i for i in interventions.list_all(conn) if i.name == "Toe by Toe")
    with transaction(conn):
        interventions.save(conn, toe.model_copy(update={"default_minutes": 25}))
        interventions.save(conn, Intervention(name="Our reading club", area="CL", default_minutes=20))
    _, shipped = library.shipped()
    changed = [i.model_copy(update={"description": "updated text"}) for i in shipped]
    with transaction(conn):
        added, refreshed = interventions.apply_library(conn, changed)
    after = {i.name: i for i in interventions.list_all(conn)}
    assert added == 0 and refreshed == len(shipped) - 1
    assert after["Toe by Toe"].default_minutes == 25 and after["Toe by Toe"].description != "updated text"
    assert after["ELSA"].description == "updated text"
    assert "Our reading club" in after


def test_a_upn_must_be_written_in_plain_digits() -> None:
    """Arabic-Indic or full-width digits look right on screen but match no MIS record."""
    from provmap_tui.domain.errors import InvalidInput
    from provmap_tui.domain.upn import make_upn, validate_upn

    upn = make_upn(938, 2001, 26, 1)
    assert validate_upn(upn.lower()) == upn
    odd = upn[0] + upn[1:12].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + upn[12]
    with pytest.raises(InvalidInput, match="11 digits"):
        validate_upn(odd)
