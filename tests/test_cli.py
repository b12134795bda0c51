"""The `provmap` command as a user runs it: real processes, exit codes, stderr."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_exchange import SPEC_EXAMPLE


def provmap(*args: str, db: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "provmap_tui"]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=120)


def assert_refused(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_init_then_report_on_an_empty_school(db_path):
    r = provmap("init", "--school", "Brook Lane Primary", "--year", "2026-27", db=db_path)
    assert r.returncode == 0 and "Brook Lane Primary" in r.stdout
    r = provmap("report", "costs", "--json", db=db_path)
    report = json.loads(r.stdout)
    assert report["academic_year"] == "2026-27" and report["threshold"] == "6000.00"
    assert report["pupils"] == [] and {s["code"] for s in report["streams"]} >= {"SEN", "PP"}


def test_db_path_comes_from_the_environment(tmp_path):
    import os

    env = {**os.environ, "PROVMAP_DB": str(tmp_path / "env.db")}
    assert provmap("init", "--school", "Env School", env=env).returncode == 0
    assert (tmp_path / "env.db").exists()


def test_demo_report_reconciles_and_is_deterministic(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert provmap("demo", "--seed", "3", db=a).returncode == 0
    assert provmap("demo", "--seed", "3", db=b).returncode == 0
    ra = json.loads(provmap("report", "costs", "--json", "--as-of", "2027-01-31", db=a).stdout)
    rb = json.loads(provmap("report", "costs", "--json", "--as-of", "2027-01-31", db=b).stdout)
    assert ra == rb
    assert 40 <= len(ra["pupils"]) <= 50
    assert any(p["over_threshold"] for p in ra["pupils"])
    by_provision = {p["id"]: p["annual"] for p in ra["provisions"]}
    shares: dict[str, int] = {}
    for pupil in ra["pupils"]:
        for line in pupil["provisions"]:
            shares[line["id"]] = shares.get(line["id"], 0) + int(line["annual"].replace(".", ""))
    assert {k: int(v.replace(".", "")) for k, v in by_provision.items()} == shares
    assert provmap("check", db=a).returncode == 0


def test_demo_school_names_are_diverse_and_unicode(demo_path):
    names = [r[0] + " " + r[1] for r in sqlite3.connect(demo_path).execute("SELECT forename, surname FROM pupil")]
    assert any(any(ord(ch) > 255 for ch in n) for n in names)


def test_readable_report_and_csv(demo_path):
    r = provmap("report", "costs", "--as-of", "2027-01-31", db=demo_path)
    assert r.returncode == 0 and "OVER by" in r.stdout and "Funding streams" in r.stdout
    rows = list(csv.DictReader(io.StringIO(provmap("report", "costs", "--csv", db=demo_path).stdout)))
    assert rows and rows[0].keys() >= {"upn", "annual", "counted", "threshold_status"}


def test_load_and_dump_through_files(tmp_path, db_path):
    doc = tmp_path / "map.json"
    doc.write_text(json.dumps(SPEC_EXAMPLE), encoding="utf-8")
    r = provmap("load", str(doc), db=db_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out.json"
    assert provmap("dump", "--out", str(out), db=db_path).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["pupils"][0]["upn"] == "D938200121001"
    assert "nothing changed" in provmap("load", str(doc), db=db_path).stdout


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ("{not json", ["line 1 column 2"]),
        (json.dumps({**SPEC_EXAMPLE, "pupils": [{"upn": "bad", "forename": "A", "surname": "B"}]}), ["pupils[0].upn", "13 characters"]),
    ],
)
def test_bad_documents_are_refused_with_the_place(tmp_path, db_path, content, needles):
    doc = tmp_path / "bad.json"
    doc.write_text(content, encoding="utf-8")
    assert_refused(provmap("load", str(doc), db=db_path), *needles)


def test_errors_exit_2_without_traceback(tmp_path, demo_path):
    assert_refused(provmap("load", str(tmp_path / "missing.json"), db=demo_path), "no such file")
    assert_refused(provmap("report", "costs", db=tmp_path / "nothing.db"), "no such database")
    assert_refused(provmap("report", "costs", "--as-of", "31/01/2027", db=demo_path), "YYYY-MM-DD")
    assert_refused(provmap("demo", db=demo_path), "already exists")
    assert_refused(provmap("init", "--school", "X", "--year", "2026", db=tmp_path / "y.db"), "2026-27")
    assert not (tmp_path / "y.db").exists()


def test_newer_database_is_refused_and_unchanged(demo_path):
    raw = sqlite3.connect(demo_path)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    before = demo_path.read_bytes()
    assert_refused(provmap("report", "costs", db=demo_path), "newer provmap")
    assert demo_path.read_bytes() == before


def test_locked_database_is_reported(demo_path, tmp_path):
    doc = tmp_path / "map.json"
    doc.write_text(json.dumps({"format": "provmap-exchange", "version": 1}), encoding="utf-8")
    holder = sqlite3.connect(demo_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert_refused(provmap("load", str(doc), db=demo_path), "locked by another user")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_output_to_a_folder_or_under_a_file_is_refused_plainly(tmp_path, db_path):
    """dump --out and the report files say the same thing about the same mistake."""
    assert provmap("init", "--school", "Brook Lane Primary", db=db_path).returncode == 0
    assert_refused(provmap("dump", "--out", str(tmp_path), db=db_path), "is a folder; give a file name")
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello", encoding="utf-8")
    assert_refused(provmap("dump", "--out", str(not_a_folder / "map.json"), db=db_path),
                   "notes.txt: is a file, not a folder")
    assert_refused(provmap("export", "grid", "--csv", str(not_a_folder / "grid.csv"), db=db_path),
                   "notes.txt: is a file, not a folder")
    assert not_a_folder.read_text(encoding="utf-8") == "hello"


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path):
    """A mistyped --db that names some other program's database must not gain provmap's tables."""
    other = tmp_path / "timetable.sqlite"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE lessons (name TEXT)")
    c.execute("INSERT INTO lessons VALUES ('Maths')")
    c.commit()
    c.close()
    before = other.read_bytes()
    for args in (["report", "costs"], ["check"], ["init", "--school", "Hillside"]):
        assert_refused(provmap(*args, db=other), "timetable.sqlite", "not a provmap database")
        assert other.read_bytes() == before
