"""The Import screen (F6 in the app): preview as a table, confirm, written once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Static

from provmap_tui.store import pupils
from provmap_tui.store.connection import connect
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.confirm import ConfirmScreen
from provmap_tui.ui.screens.import_screen import ImportScreen

from .conftest import TODAY, dump


def _app(db: Path):
    return make_app(db, TODAY)


async def _open(pilot) -> ImportScreen:
    """F6 from the caseload, as a SENCo would."""
    await pilot.app.workers.wait_for_complete()
    await pilot.press("f6")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def _settle(pilot) -> None:
    """Wait for the screen's import workers (a DirectoryTree's loader never ends)."""
    await pilot.pause()
    running = [w for w in pilot.app.workers if w.group == "import"]
    if running:  # an empty list would mean "wait for every worker"
        await pilot.app.workers.wait_for_complete(running)
    await pilot.pause()


def _rows(screen) -> list[tuple[str, ...]]:
    table = screen.query_one("#import-preview", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def _summary(screen) -> str:
    return str(screen.query_one("#import-summary", Static).render())


def _db(path: Path) -> str:
    conn = connect(path)
    try:
        return dump(conn)
    finally:
        conn.close()


async def test_preview_then_confirm_imports(school_db: Path, data: Path) -> None:
    before = _db(school_db)
    app = _app(school_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#import-path", Input).value = str(data / "hillside.ctf.xml")
        await pilot.press("enter")
        await _settle(pilot)
        rows = _rows(screen)
        assert len(rows) == 6 and rows[0][:3] == ("create", "D938200121001", "Daniel Okafor")
        assert "Would import CTF hillside.ctf.xml: 6 created" in _summary(screen)
        assert _db(school_db) == before  # the preview wrote nothing
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await _settle(pilot)
        assert "Imported CTF hillside.ctf.xml: 6 created" in _summary(screen)
        # A second press does nothing until a new preview.
        await pilot.press("f9")
        await pilot.pause()
        assert "Preview a file first" in _summary(screen)
    conn = connect(school_db)
    assert len(pupils.upns(conn)) == 6
    conn.close()


async def test_problems_block_until_skip_is_ticked(school_db: Path, data: Path) -> None:
    app = _app(school_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#import-path", Input).value = str(data / "wrong-check-letter.csv")
        await pilot.press("f7")
        await _settle(pilot)
        rows = _rows(screen)
        assert rows[0][0] == "skip" and rows[0][1] == "B938200121002" and "line 3" in rows[0][3]
        assert "tick 'Skip invalid rows' to import the rest. First problem, line 3 (B938200121002)" in _summary(screen)
        await pilot.press("f9")
        await pilot.pause()
        assert "1 row(s) have problems" in _summary(screen)
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        screen.query_one("#import-skip-invalid", Checkbox).value = True
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert "nothing was written" in _summary(screen)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("y")
        await _settle(pilot)
        assert "Imported CSV wrong-check-letter.csv: 1 created" in _summary(screen)
    conn: sqlite3.Connection = connect(school_db)
    assert pupils.upns(conn) == {"D938200121001"}
    conn.close()


async def test_editing_the_path_drops_the_old_preview(school_db: Path, data: Path) -> None:
    app = _app(school_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#import-path", Input).value = str(data / "hillside.ctf.xml")
        await pilot.press("enter")
        await _settle(pilot)
        assert len(_rows(screen)) == 6
        await pilot.press("backspace")
        await pilot.pause()
        assert _rows(screen) == [] and "Press Enter or F7" in _summary(screen)
        await pilot.press("f9")
        await pilot.pause()
        assert "Preview a file first" in _summary(screen)


async def test_progress_follows_a_large_file(school_db: Path, tmp_path: Path) -> None:
    from textual.widgets import ProgressBar

    from provmap_tui.bench_import import invented_ctf

    big = tmp_path / "big.ctf.xml"
    big.write_text(invented_ctf(600), encoding="utf-8")
    app = _app(school_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#import-path", Input).value = str(big)
        await pilot.press("enter")
        await _settle(pilot)
        bar = screen.query_one("#import-progress", ProgressBar)
        assert (bar.total, bar.progress) == (600, 600)
        assert not bar.has_class("busy")  # hidden again once the preview is shown
        assert "600 created" in _summary(screen)


async def test_bad_file_is_refused_on_screen(school_db: Path, data: Path) -> None:
    app = _app(school_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#import-path", Input).value = str(data / "billion-laughs.ctf.xml")
        await pilot.press("enter")
        await _settle(pilot)
        assert "Not imported" in _summary(screen) and "refused for safety" in _summary(screen)
        assert _rows(screen) == []


async def test_every_binding_has_an_id() -> None:
    for screen in (ImportScreen, ConfirmScreen):
        assert all(b.id for b in screen.BINDINGS), screen


async def test_f8_browses_for_exports_and_esc_closes_the_browser(school_db: Path, data: Path) -> None:
    from provmap_tui.ui.screens.import_screen import ExportFiles

    (data / ".hidden.csv").write_text("x", encoding="utf-8")
    (data / "notes.pdf").write_bytes(b"%PDF")
    app = _app(school_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#import-path", Input).value = str(data) + "/"
        await pilot.press("f8")
        await pilot.pause()
        browser = screen.query_one("#import-browser", ExportFiles)
        assert app.focused is browser and browser.path == data
        shown = {p.name for p in browser.filter_paths(data.iterdir())}
        assert "hillside.ctf.xml" in shown and "hillside-sims-export.csv" in shown
        assert not shown & {".hidden.csv", "notes.pdf"}
        await pilot.press("escape")
        await pilot.pause()
        assert not browser.display and isinstance(app.focused, Input)
