"""Provisions (a group or 1:1 session that runs regularly), their staff and members.

A provision is saved as a whole: its row, staff and members in one transaction,
guarded by the provision row's version.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from provmap_tui.domain.errors import InvalidInput, NotFound
from provmap_tui.domain.models import Membership, Provision, StaffAssignment
from provmap_tui.store.rows import day, iso, save_versioned

_COLUMNS = (
    "id, intervention, minutes, sessions_per_week, start, end, weeks, funding_stream,"
    " resource_cost_pence, per_pupil_cost_pence, notes, version"
)


def _build(r: tuple, staff: list[StaffAssignment], members: list[Membership]) -> Provision:
    return Provision.model_construct(
        id=r[0], intervention=r[1], minutes=r[2], sessions_per_week=r[3], start=day(r[4]), end=day(r[5]),
        weeks=r[6], funding_stream=r[7], resource_cost_pence=r[8], per_pupil_cost_pence=r[9], notes=r[10],
        version=r[11], staff=staff, members=members,
    )


def list_all(conn: sqlite3.Connection) -> list[Provision]:
    staff: dict[str, list[StaffAssignment]] = defaultdict(list)
    for pid, sid, rate in conn.execute(
        "SELECT provision_id, staff_id, hourly_rate_pence FROM provision_staff ORDER BY provision_id, position"
    ):
        staff[pid].append(StaffAssignment.model_construct(staff_id=sid, hourly_rate_pence=rate))
    members: dict[str, list[Membership]] = defaultdict(list)
    for pid, upn, start, end in conn.execute(
        "SELECT provision_id, upn, start, end FROM membership ORDER BY provision_id, upn"
    ):
        members[pid].append(Membership.model_construct(upn=upn, start=day(start), end=day(end)))
    return [
        _build(r, staff.get(r[0], []), members.get(r[0], []))
        for r in conn.execute(f"SELECT {_COLUMNS} FROM provision ORDER BY id")
    ]


def get(conn: sqlite3.Connection, provision_id: str) -> Provision:
    row = conn.execute(f"SELECT {_COLUMNS} FROM provision WHERE id = ?", (provision_id,)).fetchone()
    if row is None:
        raise NotFound(f"no provision {provision_id}")
    staff = [
        StaffAssignment.model_construct(staff_id=s, hourly_rate_pence=r)
        for s, r in conn.execute(
            "SELECT staff_id, hourly_rate_pence FROM provision_staff WHERE provision_id = ? ORDER BY position",
            (provision_id,),
        )
    ]
    members = [
        Membership.model_construct(upn=u, start=day(s), end=day(e))
        for u, s, e in conn.execute(
            "SELECT upn, start, end FROM membership WHERE provision_id = ? ORDER BY upn", (provision_id,)
        )
    ]
    return _build(row, staff, members)


def next_id(conn: sqlite3.Connection) -> str:
    """The next free id of the form P001, P002, ..."""
    taken = {r for (r,) in conn.execute("SELECT id FROM provision")}
    n = len(taken) + 1
    while f"P{n:03d}" in taken:
        n += 1
    return f"P{n:03d}"


def _check_references(conn: sqlite3.Connection, p: Provision, where: str) -> None:
    if conn.execute("SELECT 1 FROM intervention WHERE name = ?", (p.intervention,)).fetchone() is None:
        raise InvalidInput(f"{where}.intervention", f"no intervention called {p.intervention!r} in the library; add it first")
    if conn.execute("SELECT 1 FROM funding_stream WHERE code = ?", (p.funding_stream,)).fetchone() is None:
        raise InvalidInput(f"{where}.funding_stream", f"no funding stream {p.funding_stream!r}; add it in Settings")
    for i, s in enumerate(p.staff):
        if conn.execute("SELECT 1 FROM staff WHERE id = ?", (s.staff_id,)).fetchone() is None:
            raise InvalidInput(f"{where}.staff[{i}]", f"no member of staff with id {s.staff_id!r}")
    for i, m in enumerate(p.members):
        if conn.execute("SELECT 1 FROM pupil WHERE upn = ?", (m.upn,)).fetchone() is None:
            raise InvalidInput(f"{where}.members[{i}].upn", f"no pupil with UPN {m.upn}")


def save(conn: sqlite3.Connection, p: Provision, where: str = "provision") -> int:
    """Insert or update the provision with its staff and members; returns its version."""
    _check_references(conn, p, where)
    values = {
        "intervention": p.intervention, "minutes": p.minutes, "sessions_per_week": p.sessions_per_week,
        "start": iso(p.start), "end": iso(p.end), "weeks": p.weeks, "funding_stream": p.funding_stream,
        "resource_cost_pence": p.resource_cost_pence, "per_pupil_cost_pence": p.per_pupil_cost_pence,
        "notes": p.notes,
    }
    version = save_versioned(conn, "provision", "id", p.id, p.version, values)
    conn.execute("DELETE FROM provision_staff WHERE provision_id = ?", (p.id,))
    conn.executemany(
        "INSERT INTO provision_staff (provision_id, position, staff_id, hourly_rate_pence) VALUES (?, ?, ?, ?)",
        [(p.id, i, s.staff_id, s.hourly_rate_pence) for i, s in enumerate(p.staff)],
    )
    conn.execute("DELETE FROM membership WHERE provision_id = ?", (p.id,))
    conn.executemany(
        "INSERT INTO membership (provision_id, upn, start, end) VALUES (?, ?, ?, ?)",
        [(p.id, m.upn, iso(m.start), iso(m.end)) for m in p.members],
    )
    return version


def delete(conn: sqlite3.Connection, provision_id: str, expected_version: int = 0) -> None:
    params: tuple = (provision_id,)
    sql = "DELETE FROM provision WHERE id = ?"
    if expected_version:
        sql += " AND version = ?"
        params += (expected_version,)
    if conn.execute(sql, params).rowcount == 0:
        raise NotFound(f"provision {provision_id} was already deleted or changed by someone else")
