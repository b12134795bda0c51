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

    Refuses a missing file, another program's database, a newer one or one without a
    school before any screen is drawn; without loading the domain models, which the
    caseload's preload loads meanwhile (start-up is measured in `make bench`)."""
    from provmap_tui.domain.errors import NotFound
    from provmap_tui.store.connection import NO_SCHOOL, connect, has_school
    from provmap_tui.ui.context import AppContext

    db_path = Path(db_path)
    if db_path.is_dir():
        raise DatabaseError(f"{db_path}: is a folder, not a database file; give the .db file's path")
    if not db_path.is_file():
        raise DatabaseError(
            f"{db_path}: no such database; create one with `provmap --db {db_path} init --school NAME`"
            f" or try `provmap --db {db_path} demo`"
        )
    conn = connect(db_path, create=False)
    try:
        if not has_school(conn):
            raise NotFound(NO_SCHOOL)
    finally:
        conn.close()
    ctx = AppContext(db_path)
    # Read the caseload while Textual starts up (imported below, after this begins).
    from provmap_tui.ui.preload import Preload

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
