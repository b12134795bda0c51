"""Starting the app from the command line: check the database, then run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from provmap_tui.store.connection import DatabaseError

if TYPE_CHECKING:
    from provmap_tui.ui.app import ProvmapApp


def make_app(db_path: Path, as_of: date | None = None) -> ProvmapApp:
    """The app as the CLI builds it (tests and benchmarks use this too).

    Refuses a missing file or one without a school before any screen is drawn."""
    from provmap_tui.store import school
    from provmap_tui.ui.context import AppContext

    db_path = Path(db_path)
    if db_path.is_dir():
        raise DatabaseError(f"{db_path}: is a folder, not a database file; give the .db file's path")
    if not db_path.is_file():
        raise DatabaseError(
            f"{db_path}: no such database; create one with `provmap --db {db_path} init --school NAME`"
            f" or try `provmap --db {db_path} demo`"
        )
    ctx = AppContext(db_path)
    try:
        with ctx.db() as conn:
            school.get(conn)
    except BaseException:
        ctx.close()
        raise
    # Read the caseload while Textual starts up (imported below, after this begins).
    from provmap_tui.ui.caseload_data import Preload

    preload = Preload(ctx, as_of or date.today())
    from provmap_tui.ui.app import ProvmapApp

    return ProvmapApp(ctx, as_of, preload)


def run_app(db_path: Path) -> int:
    """Run until the user quits; the exit status for the shell."""
    app = make_app(db_path)
    try:
        result = app.run()
    finally:
        app.ctx.close()
    return app.return_code if app.return_code is not None else (result or 0)
