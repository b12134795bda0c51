"""School settings, the year's calendar and funding streams."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from provmap_tui.domain.calendar import Closure, SchoolCalendar, Term
from provmap_tui.domain.errors import NotFound
from provmap_tui.domain.models import FundingStream, SchoolSettings
from provmap_tui.domain.money import percent_str
from provmap_tui.store.connection import NO_SCHOOL
from provmap_tui.store.rows import day, iso, save_versioned


def get(conn: sqlite3.Connection) -> SchoolSettings:
    row = conn.execute(
        "SELECT name, urn, academic_year, threshold_pence, oncost_percent, passport_dir, version FROM school WHERE id = 1"
    ).fetchone()
    if row is None:
        raise NotFound(NO_SCHOOL)
    return SchoolSettings.model_construct(
        name=row[0], urn=row[1], academic_year=row[2], threshold_pence=row[3],
        oncost_percent=Decimal(row[4]), passport_dir=row[5], version=row[6],
    )


def save(conn: sqlite3.Connection, s: SchoolSettings) -> int:
    """Insert the school row or update it (checking its version)."""
    values = {
        "name": s.name, "urn": s.urn, "academic_year": s.academic_year,
        "threshold_pence": s.threshold_pence, "oncost_percent": percent_str(s.oncost_percent),
        "passport_dir": s.passport_dir,
    }
    return save_versioned(conn, "school", "id", 1, s.version, values)


def get_logo(conn: sqlite3.Connection) -> bytes | None:
    row = conn.execute("SELECT logo FROM school WHERE id = 1").fetchone()
    return row[0] if row else None


def set_logo(conn: sqlite3.Connection, data: bytes | None) -> None:
    conn.execute("UPDATE school SET logo = ?, version = version + 1 WHERE id = 1", (data,))


def library_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT library_version FROM school WHERE id = 1").fetchone()
    return row[0] if row else 0


def set_library_version(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("UPDATE school SET library_version = ? WHERE id = 1", (version,))


def calendar(conn: sqlite3.Connection, academic_year: str) -> SchoolCalendar:
    terms = tuple(
        Term(name, day(start), day(end))  # type: ignore[arg-type]
        for name, start, end in conn.execute("SELECT name, start, end FROM term ORDER BY start")
    )
    closures = tuple(
        Closure(day(d), reason)  # type: ignore[arg-type]
        for d, reason in conn.execute("SELECT day, reason FROM closure ORDER BY day")
    )
    return SchoolCalendar(academic_year, terms, closures)


def replace_calendar(conn: sqlite3.Connection, cal: SchoolCalendar) -> None:
    """Replace every term and closure (the calendar is edited as a whole)."""
    conn.execute("DELETE FROM term")
    conn.execute("DELETE FROM closure")
    conn.executemany(
        "INSERT INTO term (name, start, end) VALUES (?, ?, ?)",
        [(t.name, iso(t.start), iso(t.end)) for t in cal.terms],
    )
    conn.executemany(
        "INSERT INTO closure (day, reason) VALUES (?, ?)", [(iso(c.day), c.reason) for c in cal.closures]
    )


def streams(conn: sqlite3.Connection) -> list[FundingStream]:
    return [
        FundingStream.model_construct(
            code=r[0], name=r[1], budget_pence=r[2], counts_toward_threshold=bool(r[3]), version=r[4]
        )
        for r in conn.execute(
            "SELECT code, name, budget_pence, counts_toward_threshold, version FROM funding_stream ORDER BY rowid"
        )
    ]


def save_stream(conn: sqlite3.Connection, s: FundingStream) -> int:
    """Create the stream, or update it checking its version (0 = unconditional)."""
    values = {"name": s.name, "budget_pence": s.budget_pence, "counts_toward_threshold": int(s.counts_toward_threshold)}
    return save_versioned(conn, "funding_stream", "code", s.code, s.version, values)


def delete_stream(conn: sqlite3.Connection, code: str) -> None:
    conn.execute("DELETE FROM funding_stream WHERE code = ?", (code,))
