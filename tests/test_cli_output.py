"""The output commands as a user types them: files on success, one clear line and exit 2 on error."""

from __future__ import annotations

import pytest

from provmap_tui.cli import main
from tests.pdf_fixtures import demo_copy, demo_db, jpeg_bytes, pdf_reader, png_bytes, tiny_db, upn  # noqa: F401


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_passport_commands(tiny_db, tmp_path, capsys):
    code, out, _ = run(capsys, "--db", tiny_db, "passport", upn(1), "--out", tmp_path / "pp")
    assert code == 0 and "Wrote" in out
    assert len(list((tmp_path / "pp").glob("*.pdf"))) == 1
    code, out, _ = run(capsys, "--db", tiny_db, "passport", "--all", "--combined", tmp_path / "all.pdf")
    assert code == 0 and len(pdf_reader((tmp_path / "all.pdf").read_bytes()).pages) == 4


@pytest.mark.parametrize("args, message", [
    (["passport"], "give one or more UPNs, or --all"),
    (["passport", "A123", "--all"], "not both"),
    (["passport", "X999999999999"], "no pupil with UPN X999999999999"),
    (["report", "pupil", "X999999999999", "--pdf", "{tmp}/p.pdf"], "no pupil with UPN"),
    (["report", "pupil", "{upn}"], "give --pdf FILE, --csv FILE or both"),
    (["report", "governors", "--pdf", "{tmp}/missing/g.pdf"], "no such folder"),
    (["export", "grid", "--xlsx", "{tmp}"], "is a folder"),
    (["settings", "logo", "{tmp}/nope.png"], "no such file"),
    (["settings", "logo", "{db}"], "is not a PNG or JPEG picture"),
    (["photo", "X999999999999", "{tmp}/ok.jpg"], "no pupil with UPN X999999999999"),
])
def test_errors_exit_2_with_one_line_and_write_nothing(tiny_db, tmp_path, capsys, args, message):
    (tmp_path / "ok.jpg").write_bytes(jpeg_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = [a.format(tmp=tmp_path, upn=upn(1), db=tiny_db) for a in args]
    code, out, err = run(capsys, "--db", tiny_db, *argv)
    assert code == 2
    assert err.startswith("provmap: error: ") and message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_missing_database_is_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "--db", tmp_path / "none.db", "report", "governors", "--pdf", tmp_path / "g.pdf")
    assert code == 2 and "no such database" in err
    assert not (tmp_path / "g.pdf").exists()


def test_reports_grid_logo_and_photo(demo_copy, tmp_path, capsys):
    db = demo_copy
    (tmp_path / "me.jpg").write_bytes(jpeg_bytes())
    assert run(capsys, "--db", db, "settings", "logo", tmp_path / "me.jpg")[0] == 0
    code, out, _ = run(capsys, "--db", db, "photo", upn(1).lower(), tmp_path / "me.jpg")
    assert code == 2  # the demo school has no such pupil
    code, out, _ = run(capsys, "--db", db, "report", "governors", "--pdf", tmp_path / "g.pdf", "--anonymise")
    assert code == 0 and "(anonymised)" in out
    code, out, _ = run(capsys, "--db", db, "export", "grid", "--xlsx", tmp_path / "grid.xlsx")
    assert code == 0 and "45 pupils" in out
    code, out, _ = run(capsys, "--db", db, "export", "grid", "--csv", tmp_path / "grid.csv")
    assert code == 0 and (tmp_path / "grid.csv").read_text(encoding="utf-8").startswith("UPN,Pupil")
    first = (tmp_path / "grid.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    code, out, _ = run(capsys, "--db", db, "photo", first, tmp_path / "me.jpg")
    assert code == 0 and f"Photo for {first}" in out
    (tmp_path / "dot.png").write_bytes(png_bytes(size=(20, 20)))
    code, out, _ = run(capsys, "--db", db, "photo", first, tmp_path / "dot.png")
    assert code == 0 and "(under 1 KB stored)" in out  # not "0 KB", which reads as nothing stored
    (tmp_path / "dot.png").unlink()
    code, out, _ = run(capsys, "--db", db, "report", "pupil", first, "--pdf", tmp_path / "p.pdf",
                       "--csv", tmp_path / "p.csv")
    assert code == 0 and (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").startswith("upn,pupil,provision")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "g.pdf", "grid.csv", "grid.xlsx", "me.jpg",
                                                          "p.csv", "p.pdf"]
