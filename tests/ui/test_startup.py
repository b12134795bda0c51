"""Starting the app: files refused before anything is drawn, and the early caseload read.

The forking path runs in a fresh interpreter (as the app does: one thread, nothing
started), never inside pytest, whose other threads a child could inherit locks from.
"""

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


def run_python(code: str, *args: str) -> list[str]:
    """Run code in a fresh interpreter; the words it prints."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


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


@needs_fork
def test_the_app_reads_the_first_caseload_in_a_child_and_starts_without_pydantic(small_db: Path):
    """What the child sends is what a read gives, and the app's own start-up path (check,
    preload, app, caseload screen) loads no pydantic: the child does (bench_tui measures)."""
    code = (
        "import sys; from pathlib import Path; from provmap_tui.ui.run import make_app; "
        "app = make_app(Path(sys.argv[1])); import provmap_tui.ui.screens.caseload; "
        "early = app.preload.take(); again = app.preload.take(); "
        "print(app.preload.forked, len(early.rows), again, sorted(m for m in sys.modules if m.startswith('pydantic'))); "
        "from datetime import date; from provmap_tui.ui.caseload_data import read_caseload; "
        "print(early == read_caseload(app.ctx, date.today()))"
    )
    assert run_python(code, str(small_db)) == ["True", "210", "None", "[]", "True"]


@needs_fork
def test_a_failed_read_in_the_child_leaves_the_reading_to_the_screen(tmp_path: Path):
    """The child cannot report an error itself (it must not write on the terminal)."""
    code = (
        "import sys; from datetime import date; from pathlib import Path; "
        "from provmap_tui.ui.context import AppContext; from provmap_tui.ui.preload import Preload; "
        "p = Preload(AppContext(Path(sys.argv[1])), date.today()); print(p.forked, p.take())"
    )
    assert run_python(code, str(tmp_path / "gone.db")) == ["True", "None"]


@needs_fork
def test_quitting_at_once_stops_the_child(small_db: Path):
    code = (
        "import sys, time; from datetime import date; from pathlib import Path; "
        "from provmap_tui.ui.context import AppContext; from provmap_tui.ui.preload import Preload; "
        "p = Preload(AppContext(Path(sys.argv[1])), date.today()); p.cancel(); print(p.forked, p.take())"
    )
    assert run_python(code, str(small_db)) == ["True", "None"]


def test_the_early_read_on_a_thread_is_the_caseload_a_later_read_gives(small_db: Path):
    ctx = AppContext(small_db)
    try:
        preload = Preload(ctx, AS_OF, fork=False)
        early = preload.take()
        assert early == read_caseload(ctx, AS_OF)
        assert early is not None and len(early.rows) == 210
        assert preload.take() is None  # once only: later reads are fresh
    finally:
        ctx.close()


def test_a_failed_early_read_on_a_thread_is_handed_to_the_screen(tmp_path: Path):
    preload = Preload(AppContext(tmp_path / "gone.db"), AS_OF, fork=False)
    with pytest.raises(DatabaseError, match="no such database"):
        preload.take()


class NoEarlyRead:
    """What a preload whose child failed gives the screen."""

    def take(self) -> None:
        return None

    def cancel(self) -> None:
        """Nothing is running to stop."""


async def test_the_caseload_still_shows_when_the_early_read_gave_nothing(small_db: Path):
    app = make_app(small_db, AS_OF)
    app.preload.take()
    app.preload = NoEarlyRead()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(DataTable).row_count == 45
