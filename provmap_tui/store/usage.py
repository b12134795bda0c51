"""Which provisions use a funding stream or a member of staff (checked before deleting)."""

from __future__ import annotations

import sqlite3


def provisions_using_stream(conn: sqlite3.Connection, code: str) -> list[str]:
    return [r for (r,) in conn.execute("SELECT id FROM provision WHERE funding_stream = ? ORDER BY id", (code,))]


def provisions_using_staff(conn: sqlite3.Connection, staff_id: str) -> list[str]:
    return [
        r for (r,) in conn.execute(
            "SELECT DISTINCT provision_id FROM provision_staff WHERE staff_id = ? ORDER BY provision_id", (staff_id,)
        )
    ]
