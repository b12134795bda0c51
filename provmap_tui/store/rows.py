"""Small helpers shared by the store modules: dates and versioned updates."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from provmap_tui.domain.errors import ConflictError, NotFound


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def update_versioned(
    conn: sqlite3.Connection, table: str, key: str, key_value: Any, expected_version: int, values: dict[str, Any]
) -> int:
    """UPDATE one row only if nobody saved it since it was read; returns the new version.

    expected_version 0 means "whatever is there" (used by loads and imports)."""
    sets = ", ".join(f"{col} = ?" for col in values)
    params = list(values.values())
    where = f"{key} = ?"
    params.append(key_value)
    if expected_version:
        where += " AND version = ?"
        params.append(expected_version)
    cur = conn.execute(f"UPDATE {table} SET {sets}, version = version + 1 WHERE {where}", params)
    if cur.rowcount == 0:
        exists = conn.execute(f"SELECT version FROM {table} WHERE {key} = ?", (key_value,)).fetchone()
        if exists is None:
            raise NotFound(f"{table} {key_value!r} no longer exists")
        raise ConflictError(
            f"{table} {key_value!r} was changed by someone else while you edited it; reopen it and try again"
        )
    return conn.execute(f"SELECT version FROM {table} WHERE {key} = ?", (key_value,)).fetchone()[0]


def save_versioned(
    conn: sqlite3.Connection, table: str, key: str, key_value: Any, expected_version: int, values: dict[str, Any]
) -> int:
    """Insert the row if its key is new, else update it as update_versioned does."""
    if conn.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", (key_value,)).fetchone() is None:
        columns = ", ".join([key, *values])
        marks = ", ".join("?" * (len(values) + 1))
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", (key_value, *values.values()))
        return 1
    return update_versioned(conn, table, key, key_value, expected_version, values)
