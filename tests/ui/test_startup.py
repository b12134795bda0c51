"""Starting the app: files refused before anything is drawn, and the early caseload read."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable
from ui_helpers import AS_OF, settle

from provmap_tui.cli import main
from provmap_tui.domain.errors import NotFound
from provmap_tui.store.connection import DatabaseError, connect
from provmap_tui.ui.caseload_data import read_caseload
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.preload import Preload
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.caseload import CaseloadScreen

needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="the app does not fork here")


def test_a_database_without_a_school_is_refused_before_the_app_starts(tmp_path: Path, capsys):
    empty = tmp_path / "empty.db"
    connect(empty).close()
    with pytest.raises(NotFound, match="no school yet"):
        make_app(empty)
    assert main(["--db", str(empty)]) == 2
    assert "init --school" in capsys.readouterr().err


def test_another_programs_database_is_refused_before_the_app_starts(tmp_path: Path):
    other = tmp_path / "timetable.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE lessons (id INTEGER)")
    with pytest.raises(DatabaseError, match="not a provmap database"):
        make_app(other)


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False], ids=["child process", "thread"])
def test_the_early_read_is_the_caseload_a_later_read_gives(small_db: Path, fork: bool):
    ctx = AppContext(small_db)
    try:
        preload = Preload(ctx, AS_OF, fork=fork)
        early = preload.take()
        assert early == read_caseload(ctx, AS_OF)
        assert early is not None and len(early.rows) == 210
        assert preload.take() is None  # once only: later reads are fresh
    finally:
        ctx.close()


@needs_fork
def test_a_failed_early_read_in_a_child_leaves_the_reading_to_the_screen(tmp_path: Path):
    """The child cannot report errors itself (it must not write to the terminal)."""
    preload = Preload(AppContext(tmp_path / "gone.db"), AS_OF, fork=True)
    assert preload.take() is None


def test_a_failed_early_read_on_a_thread_is_handed_to_the_screen(tmp_path: Path):
    preload = Preload(AppContext(tmp_path / "gone.db"), AS_OF, fork=False)
    with pytest.raises(DatabaseError, match="no such database"):
        preload.take()


@needs_fork
async def test_the_caseload_still_shows_when_the_early_read_failed(small_db: Path, tmp_path: Path):
    app = make_app(small_db, AS_OF)
    app.preload.take()
    app.preload = Preload(AppContext(tmp_path / "gone.db"), AS_OF, fork=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(DataTable).row_count == 45


@needs_fork
def test_the_app_starts_without_loading_pydantic(small_db: Path):
    """Import hygiene: the start-up path (check, preload, app, caseload screen) leaves the
    domain models to the child process that reads the caseload, so they cost the app's
    first paint nothing. Measured in `make bench` (bench_tui)."""
    code = (
        "import sys; from pathlib import Path; from provmap_tui.ui.run import make_app; "
        f"app = make_app(Path({str(small_db)!r})); import provmap_tui.ui.screens.caseload; "
        "data = app.preload.take(); app.ctx.close(); "
        "print(app.preload.forked, len(data.rows), sorted(m for m in sys.modules if m.startswith('pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "210", "[]"]
