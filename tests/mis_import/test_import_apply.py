"""Importing into a school: upsert by UPN, all or nothing, idempotence, SENCo fields kept."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from provmap_tui.domain.models import Membership, PassportFields, Provision
from provmap_tui.services.mis_import import service
from provmap_tui.services.mis_import.records import ImportRefused
from provmap_tui.store import provisions, pupils
from provmap_tui.store.connection import transaction

from .conftest import TODAY, dump

HEADER = ("UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,Reg Group,SEN Status,"
          "Primary Need,Secondary Need,FSM Eligible,In Care,EAL\n")
ROWS = {
    "okafor": "D938200121001,Okafor,Daniel,,11/02/2017,M,Year 4,4A,K,SLCN,,Yes,No,No\n",
    "nowak": "T938200121002,Nowak,Zofia,,30/11/2016,F,Year 5,5B,K,SPLD,SEMH,No,No,Yes\n",
    "hughes": "G938200121003,Hughes,Oliver,,02/06/2015,M,Year 6,6A,E,ASD,SLCN,No,No,No\n",
}


def _csv(tmp_path: Path, *rows: str, name: str = "roll.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _run(conn: sqlite3.Connection, path: Path, **kw):
    return service.run(conn, path, today=TODAY, **kw)


def test_ctf_sample_creates_the_roll(school: sqlite3.Connection, data: Path) -> None:
    plan = _run(school, data / "hillside.ctf.xml")
    assert plan.counts() == {"created": 6, "updated": 0, "unchanged": 0, "skipped": 0, "absent": 0}
    tom = pupils.get(school, "K938200121005")
    assert (tom.name, tom.legal_name, tom.dob, tom.sex, tom.year_group) == (
        "Tom Brown", "Thomas Brown", date(2019, 4, 7), "M", 2)
    assert (tom.sen_status, tom.needs, tom.flags) == ("K", ["NSA"], ["LAC"])
    assert pupils.get(school, "Z938200121006").flags == ["EAL", "FSM"]
    assert pupils.get(school, "G938200121003").flags == ["MED"]
    assert pupils.get(school, "W938200121004").sen_status == "N"


def test_csv_after_ctf_changes_only_what_differs(school: sqlite3.Connection, data: Path) -> None:
    _run(school, data / "hillside.ctf.xml")
    plan = _run(school, data / "hillside-sims-export.csv")
    assert len(plan.updated) == 6 and not plan.created
    assert {str(c) for u in plan.updated for c in u.changes} == {
        "reg group: - → 4A", "reg group: - → 5B", "reg group: - → 6A", "reg group: - → 3B", "reg group: - → 2A"}
    # The CSV has no medical column, so the CTF's medical flag stays.
    assert pupils.get(school, "G938200121003").flags == ["MED"]


@pytest.mark.parametrize("name", ["hillside.ctf.xml", "hillside-sims-export.csv"])
def test_importing_twice_changes_nothing(school: sqlite3.Connection, data: Path, name: str) -> None:
    _run(school, data / name)
    before = dump(school)
    plan = _run(school, data / name)
    assert plan.counts()["unchanged"] == 6 and plan.writes == 0
    assert dump(school) == before  # no version bumps either


def test_mis_fields_update_and_senco_fields_stay(school: sqlite3.Connection, tmp_path: Path) -> None:
    _run(school, _csv(tmp_path, ROWS["okafor"], ROWS["nowak"]))
    # The SENCo's own work: passport, notes, Pupil Premium and a provision.
    p = pupils.get(school, "D938200121001")
    p.passport = PassportFields(liked_admired="Kind to everyone", helps="Visual timetable")
    p.notes = "Speech therapist visits on Tuesdays"
    p.flags = sorted({*p.flags, "PP"})
    with transaction(school):
        pupils.save(school, p)
        provisions.save(school, Provision(id="P1", intervention=_any_intervention(school), minutes=20,
                                          sessions_per_week=2, members=[Membership(upn="D938200121001")]))
    moved = "D938200121001,Okafor,Daniel,Danny,11/02/2017,M,Year 5,5C,E,SLCN,ASD,No,Yes,No\n"
    plan = _run(school, _csv(tmp_path, moved, ROWS["nowak"], name="next-term.csv"))
    assert [u.pupil.upn for u in plan.updated] == ["D938200121001"]
    assert {c.field for c in plan.updated[0].changes} == {
        "preferred forename", "year", "reg group", "SEN status", "needs", "FSM", "LAC"}
    after = pupils.get(school, "D938200121001")
    assert (after.preferred_forename, after.year_group, after.reg_group, after.sen_status, after.needs) == (
        "Danny", 5, "5C", "E", ["SLCN", "ASD"])
    assert after.flags == ["LAC", "PP"]  # FSM off and LAC on from the MIS; PP kept
    assert after.passport.liked_admired == "Kind to everyone" and after.passport.helps == "Visual timetable"
    assert after.notes == "Speech therapist visits on Tuesdays"
    assert [m.upn for m in provisions.get(school, "P1").members] == ["D938200121001"]
    assert after.version == p.version + 2  # the SENCo's save, then one bump for the import


def _any_intervention(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT name FROM intervention ORDER BY name LIMIT 1").fetchone()[0]


def test_any_invalid_row_and_nothing_is_written(school: sqlite3.Connection, data: Path) -> None:
    before = dump(school)
    path = data / "wrong-check-letter.csv"
    plan = service.preview(school, path, today=TODAY)
    assert [(p.line, p.field) for p in plan.problems] == [(3, "UPN")]
    assert "check letter B but should have T" in plan.problems[0].reason
    with pytest.raises(ImportRefused, match="1 row.*nothing was written.*--skip-invalid"):
        service.apply(school, plan, today=TODAY)
    assert dump(school) == before


def test_skip_invalid_writes_the_valid_rows(school: sqlite3.Connection, data: Path) -> None:
    plan = _run(school, data / "wrong-check-letter.csv", skip_invalid=True)
    assert [p.upn for p in plan.created] == ["D938200121001"] and plan.skipped_rows == 1
    assert pupils.upns(school) == {"D938200121001"}


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("D938200121001,Okafor,Daniel,,11/02/2017,M,Year 4,4A,K,,,No,No,No\n", "needs", "at least one need"),
        ("D938200121001,Okafor,Daniel,,11/02/2017,M,Year 4,4A,E,NSA,,No,No,No\n", "needs", "NSA"),
        ("D938200121001,Okafor,Daniel,,11/02/2017,M,Year 4,4A,K,DYSLEXIA,,No,No,No\n", "needs", "not a census need"),
        ("D938200121001,Okafor,Daniel,,11/02/2017,M,Year 4,4A,Q,,,No,No,No\n", "SEN status", "N, K or E"),
        ("D938200121001,Okafor,Daniel,,31/02/2017,M,Year 4,4A,N,,,No,No,No\n", "date of birth", "dd/mm/yyyy"),
        ("D938200121001,Okafor,Daniel,,11/02/2099,M,Year 4,4A,N,,,No,No,No\n", "date of birth", "future"),
        ("D938200121001,Okafor,Daniel,,11/02/2017,M,Year 15,4A,N,,,No,No,No\n", "year group", "out of range"),
        ("D938200121001,Okafor,Daniel,,11/02/2017,Q,Year 4,4A,N,,,No,No,No\n", "sex", "M, F or U"),
        ("D938200121001,Okafor,Daniel,,11/02/2017,M,Year 4,4A,N,,,Maybe,No,No\n", "FSM", "yes or no"),
        ("D938200121001,,Daniel,,11/02/2017,M,Year 4,4A,N,,,No,No,No\n", "legal surname", "is empty"),
        (",Okafor,Daniel,,11/02/2017,M,Year 4,4A,N,,,No,No,No\n", "UPN", "is empty"),
    ],
)
def test_each_bad_value_is_reported_with_line_and_field(
    school: sqlite3.Connection, tmp_path: Path, row: str, field: str, words: str
) -> None:
    plan = service.preview(school, _csv(tmp_path, ROWS["nowak"], row), today=TODAY)
    assert len(plan.problems) == 1
    problem = plan.problems[0]
    assert (problem.line, problem.field) == (3, field)
    assert words in problem.reason
    assert [p.upn for p in plan.created] == ["T938200121002"]


def test_a_upn_twice_in_one_file(school: sqlite3.Connection, tmp_path: Path) -> None:
    plan = service.preview(school, _csv(tmp_path, ROWS["okafor"], ROWS["okafor"]), today=TODAY)
    assert plan.problems[0].line == 3 and "also on line 2" in plan.problems[0].reason


def test_temporary_upns_and_year_group_spellings(school: sqlite3.Connection, data: Path, tmp_path: Path) -> None:
    path = _csv(tmp_path, "X00180001701A,Temp,Pupil,,01/09/2021,F,N1,N,N,,,No,No,No\n")
    _run(school, path)
    assert pupils.get(school, "X00180001701A").year_group == -2
    _run(school, data / "windows-1252.csv")
    assert [pupils.get(school, u).year_group for u in ("D938200121001", "T938200121002", "G938200121003")] == [5, 0, -1]
    assert pupils.get(school, "D938200121001").needs == ["SLCN"]  # written as the census label
    assert pupils.get(school, "G938200121003").name == "Pepé Müller-Brontë"


def test_absent_pupils_are_listed_and_marked_left_only_when_asked(school: sqlite3.Connection, tmp_path: Path) -> None:
    _run(school, _csv(tmp_path, *ROWS.values()))
    smaller = _csv(tmp_path, ROWS["okafor"], ROWS["nowak"], name="roll2.csv")
    plan = _run(school, smaller)
    assert [a.upn for a in plan.absent] == ["G938200121003"] and not plan.marked_left
    assert pupils.get(school, "G938200121003").left_on is None
    plan = _run(school, smaller, mark_left=True)
    assert plan.marked_left
    hughes = pupils.get(school, "G938200121003")
    assert hughes.left_on == TODAY  # kept, never deleted
    # Already left: not absent again; back on the roll: left cleared.
    assert _run(school, smaller).absent == []
    plan = _run(school, _csv(tmp_path, *ROWS.values(), name="roll3.csv"))
    assert [str(c) for u in plan.updated for c in u.changes] == [f"left: {TODAY.isoformat()} → -"]
    assert pupils.get(school, "G938200121003").left_on is None


def test_an_invalid_row_does_not_count_its_pupil_as_absent(school: sqlite3.Connection, tmp_path: Path) -> None:
    _run(school, _csv(tmp_path, *ROWS.values()))
    broken = ROWS["hughes"].replace("Year 6", "Year 99")
    plan = _run(school, _csv(tmp_path, ROWS["okafor"], ROWS["nowak"], broken, name="b.csv"),
                skip_invalid=True, mark_left=True)
    assert plan.absent == [] and pupils.get(school, "G938200121003").left_on is None


def test_partial_ctf_lists_no_absentees_and_refuses_mark_left(school: sqlite3.Connection, data: Path) -> None:
    _run(school, data / "hillside.ctf.xml")
    plan = service.preview(school, data / "old-gender.ctf.xml", today=TODAY)
    assert not plan.full_roll and plan.absent == []
    with pytest.raises(ImportRefused, match="partial"):
        service.apply(school, plan, mark_left=True, today=TODAY)


def test_mark_left_refused_when_nothing_in_the_file_is_usable(school: sqlite3.Connection, tmp_path: Path) -> None:
    _run(school, _csv(tmp_path, *ROWS.values()))
    before = dump(school)
    empty = tmp_path / "headers-only.csv"
    empty.write_text(HEADER, encoding="utf-8")
    with pytest.raises(ImportRefused, match="would mark all 3"):
        _run(school, empty, mark_left=True)
    assert dump(school) == before


def test_preview_writes_nothing(school: sqlite3.Connection, data: Path) -> None:
    before = dump(school)
    plan = service.preview(school, data / "hillside.ctf.xml", today=TODAY)
    assert len(plan.created) == 6
    assert dump(school) == before


def test_apply_writes_the_diff_against_the_database_at_that_moment(school: sqlite3.Connection, data: Path) -> None:
    plan = service.preview(school, data / "hillside.ctf.xml", today=TODAY)
    _run(school, data / "hillside.ctf.xml")  # someone else imported meanwhile
    done = service.apply(school, plan, today=TODAY)
    assert done.created == [] and len(done.unchanged) == 6


def test_no_school_yet(tmp_path: Path, data: Path) -> None:
    from provmap_tui.store.connection import connect

    conn = connect(tmp_path / "empty.db")
    with pytest.raises(ImportRefused, match="init --school"):
        service.preview(conn, data / "hillside.ctf.xml", today=TODAY)
    conn.close()
