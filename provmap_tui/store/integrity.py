"""SQLite's own checks of the file: page integrity and foreign keys."""

from __future__ import annotations

import sqlite3


def problems(conn: sqlite3.Connection) -> list[str]:
    """Readable lines for every damaged page or dangling reference; empty when sound."""
    found: list[str] = []
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        found += [f"integrity: {line}" for line in integrity]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        found.append(f"foreign key: {table} row {rowid} points at a missing {parent}")
    return found
