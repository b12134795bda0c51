"""The intervention library: shipped entries plus the school's own.

A library update adds new entries and refreshes untouched ones, but never
overwrites an entry the school has edited (edited = 1) or written itself.
"""

from __future__ import annotations

import sqlite3

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.models import Intervention
from provmap_tui.store.rows import save_versioned, update_versioned

_COLUMNS = (
    "name, area, description, default_minutes, default_sessions_per_week, default_group_size,"
    " default_role, phase, source, version"
)
_FIELDS = ("area", "description", "default_minutes", "default_sessions_per_week", "default_group_size",
           "default_role", "phase")


def list_all(conn: sqlite3.Connection) -> list[Intervention]:
    return [
        Intervention.model_construct(**dict(zip([c.strip() for c in _COLUMNS.split(",")], r)))
        for r in conn.execute(f"SELECT {_COLUMNS} FROM intervention ORDER BY name COLLATE NOCASE")
    ]


def names(conn: sqlite3.Connection) -> set[str]:
    return {n for (n,) in conn.execute("SELECT name FROM intervention")}


def save(conn: sqlite3.Connection, i: Intervention) -> int:
    """Create the school's own intervention, or edit one (marking library rows as edited)."""
    values = {f: getattr(i, f) for f in _FIELDS}
    current = conn.execute(f"SELECT {', '.join(_FIELDS)}, version FROM intervention WHERE name = ?", (i.name,)).fetchone()
    if current is None:
        return save_versioned(conn, "intervention", "name", i.name, 0, {**values, "source": "school"})
    if tuple(values.values()) == tuple(current[:-1]):
        return current[-1]
    return update_versioned(conn, "intervention", "name", i.name, i.version, {**values, "edited": 1})


def rename(conn: sqlite3.Connection, old: str, new: str) -> None:
    if conn.execute("SELECT 1 FROM intervention WHERE name = ?", (new,)).fetchone():
        raise InvalidInput("name", f"an intervention called {new!r} already exists; choose another name")
    conn.execute("UPDATE intervention SET name = ?, edited = 1, version = version + 1 WHERE name = ?", (new, old))


def delete(conn: sqlite3.Connection, name: str) -> None:
    if conn.execute("SELECT 1 FROM provision WHERE intervention = ?", (name,)).fetchone():
        raise InvalidInput("intervention", f"{name!r} is used by a provision; delete or change that provision first")
    conn.execute("DELETE FROM intervention WHERE name = ?", (name,))


def apply_library(conn: sqlite3.Connection, entries: list[Intervention]) -> tuple[int, int]:
    """Seed or update the shipped library; returns (added, refreshed)."""
    added = refreshed = 0
    for entry in entries:
        row = conn.execute("SELECT source, edited FROM intervention WHERE name = ?", (entry.name,)).fetchone()
        values = tuple(getattr(entry, f) for f in _FIELDS)
        if row is None:
            conn.execute(
                f"INSERT INTO intervention (name, {', '.join(_FIELDS)}, source) VALUES (?{', ?' * len(_FIELDS)}, 'library')",
                (entry.name, *values),
            )
            added += 1
        elif row == ("library", 0):
            cur = conn.execute(
                f"UPDATE intervention SET {', '.join(f'{f} = ?' for f in _FIELDS)}, version = version + 1"
                f" WHERE name = ? AND ({' OR '.join(f'{f} IS NOT ?' for f in _FIELDS)})",
                (*values, entry.name, *values),
            )
            refreshed += cur.rowcount
    return added, refreshed
