"""Read a whole provision map in a handful of queries, in one read transaction."""

from __future__ import annotations

import sqlite3

from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.store import interventions, provisions, pupils, school, staff


def load(conn: sqlite3.Connection) -> ProvisionMap:
    """A consistent snapshot (WAL readers see one point in time inside BEGIN)."""
    conn.execute("BEGIN")
    try:
        settings = school.get(conn)
        return ProvisionMap(
            school=settings,
            calendar=school.calendar(conn, settings.academic_year),
            streams=tuple(school.streams(conn)),
            staff=tuple(staff.list_all(conn)),
            pupils=tuple(pupils.list_all(conn)),
            interventions=tuple(interventions.list_all(conn)),
            provisions=tuple(provisions.list_all(conn)),
        )
    finally:
        conn.execute("COMMIT")


def load_for_pupil(conn: sqlite3.Connection, upn: str) -> ProvisionMap:
    """Just what one pupil's passport needs (this pupil, staff, provisions, calendar), in
    one read transaction: much quicker than loading every pupil of a large school."""
    conn.execute("BEGIN")
    try:
        settings = school.get(conn)
        return ProvisionMap(
            school=settings, calendar=school.calendar(conn, settings.academic_year), streams=(),
            staff=tuple(staff.list_all(conn)), pupils=(pupils.get(conn, upn.strip().upper()),),
            interventions=(), provisions=tuple(provisions.list_all(conn)),
        )
    finally:
        conn.execute("COMMIT")
