"""Staff who deliver provision, with their hourly rates."""

from __future__ import annotations

import sqlite3

from provmap_tui.domain.models import Staff
from provmap_tui.store.rows import save_versioned


def list_all(conn: sqlite3.Connection) -> list[Staff]:
    return [
        Staff.model_construct(id=r[0], name=r[1], role=r[2], hourly_rate_pence=r[3], username=r[4], version=r[5])
        for r in conn.execute("SELECT id, name, role, hourly_rate_pence, username, version FROM staff ORDER BY id")
    ]


def save(conn: sqlite3.Connection, s: Staff) -> int:
    values = {"name": s.name, "role": s.role, "hourly_rate_pence": s.hourly_rate_pence, "username": s.username}
    return save_versioned(conn, "staff", "id", s.id, s.version, values)


def delete(conn: sqlite3.Connection, staff_id: str) -> None:
    conn.execute("DELETE FROM staff WHERE id = ?", (staff_id,))
