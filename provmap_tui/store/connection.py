"""Opening the one SQLite file safely for several staff at once.

WAL so readers never block the writer; foreign keys on; a busy timeout; short
write transactions that take the write lock up front (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from provmap_tui.domain.errors import ProvmapError
from provmap_tui.resources import data_dir

BUSY_TIMEOUT_MS = 5000


class DatabaseError(ProvmapError):
    """The database file cannot be used (locked, newer, not a database)."""


def migration_files() -> list[tuple[int, Path]]:
    """Numbered SQL files under db/migrations, in order: (number, path)."""
    found = []
    for path in sorted(data_dir("db").joinpath("migrations").glob("*.sql")):
        number = int(path.name.split("_", 1)[0])
        found.append((number, path))
    return found


def latest_version() -> int:
    files = migration_files()
    return files[-1][0] if files else 0


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and migrate) the database at path. Raises DatabaseError with a clear message."""
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"{path}: no such database; create one with `provmap --db {path} init --school NAME`")
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        foreign = _foreign_tables(conn)
        if foreign:
            conn.close()
            raise DatabaseError(f"{path}: is not a provmap database (it holds other tables: {', '.join(foreign[:3])}); "
                                "choose another --db file")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: cannot open as a provmap database ({exc})") from None
    if mode.lower() != "wal" and str(path) != ":memory:":
        conn.close()
        raise DatabaseError(f"{path}: cannot switch to WAL mode; is the folder read-only?")
    try:
        migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables in a file provmap never set up (schema version 0): another program's
    database, which opening must leave exactly as it is."""
    if conn.execute("PRAGMA user_version").fetchone()[0]:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply every migration newer than PRAGMA user_version, each in its own transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    newest = latest_version()
    if current > newest:
        raise DatabaseError(
            f"{path}: made by a newer provmap (schema {current}, this one knows {newest}); upgrade provmap"
        )
    for number, sql_path in migration_files():
        if number <= current:
            continue
        with transaction(conn, path):
            # Re-check inside the lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            for statement in _statements(sql_path.read_text(encoding="utf-8")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit mid-way)."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        candidate = "\n".join(buf)
        if sqlite3.complete_statement(candidate):
            if candidate.strip():
                out.append(candidate)
            buf = []
    return [s for s in out if s.strip(" \n;")]


NO_SCHOOL = "this database has no school yet; run `provmap init --school NAME` or `provmap demo`"


def has_school(conn: sqlite3.Connection) -> bool:
    """Whether a school has been set up in this database.

    Here rather than in school.py, which builds the domain models: the app asks this
    before drawing anything, and its start-up path does not load pydantic."""
    return conn.execute("SELECT 1 FROM school WHERE id = 1").fetchone() is not None


@contextmanager
def transaction(conn: sqlite3.Connection, where: str | Path = "database") -> Iterator[sqlite3.Connection]:
    """A short write transaction: all of it commits, or none of it does."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(f"{where}: locked by another user for more than {BUSY_TIMEOUT_MS // 1000} s; try again") from None
        raise
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
