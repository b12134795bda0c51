"""`provmap import` and `provmap import-photos`: output, exit codes, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from provmap_tui.cli import main
from provmap_tui.store import pupils
from provmap_tui.store.connection import connect

from .conftest import dump


def _dump_file(path: Path) -> str:
    conn = connect(path)
    try:
        return dump(conn)
    finally:
        conn.close()


def test_import_then_reimport(school_db: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(school_db), "import", str(data / "hillside.ctf.xml")]) == 0
    out = capsys.readouterr().out
    assert "CTF import of" in out and "Ana-Maria Ionescu" in out and "create" in out
    assert main(["--db", str(school_db), "import", str(data / "hillside-sims-export.csv")]) == 0
    out = capsys.readouterr().out
    assert "reg group: - → 4A" in out
    before = _dump_file(school_db)
    assert main(["--db", str(school_db), "import", str(data / "hillside-sims-export.csv")]) == 0
    out = capsys.readouterr().out
    assert "│ unchanged            │     6 │" in out and "Changes" not in out
    assert _dump_file(school_db) == before


def test_dry_run_prints_the_changes_and_writes_nothing(school_db: Path, data: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    before = _dump_file(school_db)
    assert main(["--db", str(school_db), "import", str(data / "hillside.ctf.xml"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing written" in out and "Daniel Okafor" in out
    assert _dump_file(school_db) == before


def test_invalid_row_refuses_with_exit_2_and_line_numbers(school_db: Path, data: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    before = _dump_file(school_db)
    for extra in ([], ["--dry-run"]):
        assert main(["--db", str(school_db), "import", str(data / "wrong-check-letter.csv"), *extra]) == 2
        err = capsys.readouterr().err
        assert "B938200121002" in err and "check letter" in err and "│    3 │" in err
        assert "--skip-invalid" in err
    assert _dump_file(school_db) == before
    assert main(["--db", str(school_db), "import", str(data / "wrong-check-letter.csv"), "--skip-invalid"]) == 0
    conn = connect(school_db)
    assert pupils.upns(conn) == {"D938200121001"}
    conn.close()


def test_mark_left_from_the_cli(school_db: Path, data: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", str(school_db), "import", str(data / "hillside-sims-export.csv")])
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("\n".join((data / "hillside-sims-export.csv").read_text(encoding="utf-8-sig").splitlines()[:-1]),
                     encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(school_db), "import", str(fewer), "--dry-run", "--mark-left"]) == 0
    out = capsys.readouterr().out
    assert "to be marked as left" in out and "Ana-Maria Ionescu" in out
    assert main(["--db", str(school_db), "import", str(fewer), "--mark-left"]) == 0
    assert "Marked as left" in capsys.readouterr().out
    conn = connect(school_db)
    assert pupils.get(conn, "Z938200121006").left_on is not None
    conn.close()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("binary.csv", "binary file"),
        ("truncated.ctf.xml", "not well-formed XML"),
        ("billion-laughs.ctf.xml", "refused for safety"),
        ("external-entity.ctf.xml", "refused for safety"),
        ("missing-upn-column.csv", "no column for the UPN"),
        ("nope.csv", "no such file"),
    ],
)
def test_bad_files_exit_2_with_one_clear_line(school_db: Path, data: Path, name: str, words: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = _dump_file(school_db)
    assert main(["--db", str(school_db), "import", str(data / name)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("provmap: error: ") and words in err and "Traceback" not in err
    assert _dump_file(school_db) == before


def test_a_real_process_never_shows_a_traceback(school_db: Path, data: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "provmap_tui", "--db", str(school_db), "import",
                          str(data / "billion-laughs.ctf.xml")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "refused for safety" in run.stderr


def test_import_photos(school_db: Path, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", str(school_db), "import", str(data / "hillside.ctf.xml")])
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("RGB", (600, 800)).save(folder / "D938200121001.jpg", "JPEG")
    capsys.readouterr()
    assert main(["--db", str(school_db), "import-photos", str(folder), "--dry-run"]) == 0
    assert "Photos to store" in capsys.readouterr().out
    conn = connect(school_db)
    assert pupils.with_photos(conn) == set()
    conn.close()
    assert main(["--db", str(school_db), "import-photos", str(folder)]) == 0
    assert "Daniel Okafor" in capsys.readouterr().out
    (folder / "T938200121002.jpg").write_bytes(b"not a photo")
    assert main(["--db", str(school_db), "import-photos", str(folder)]) == 2
    assert "T938200121002.jpg" in capsys.readouterr().err
    assert main(["--db", str(school_db), "import-photos", str(tmp_path / "missing")]) == 2
