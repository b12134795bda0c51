"""`provmap check`: the file is sound, references hold and every total reconciles."""

from __future__ import annotations

import sqlite3
from datetime import date

from provmap_tui.domain.calendar import validate_calendar
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.store import integrity, snapshot
from provmap_tui.store.connection import connect


def run(conn: sqlite3.Connection, as_of: date) -> list[str]:
    """Every problem found, as readable lines; an empty list means all is well."""
    problems = integrity.problems(conn)
    if problems:
        return problems
    pm = snapshot.load(conn)
    try:
        validate_calendar(pm.calendar)
    except InvalidInput as exc:
        problems.append(f"calendar: {exc}")
    summary = pm.costs(as_of)
    for pid, pc in summary.provisions.items():
        for label, total, shares in (("annual", pc.annual, pc.annual_shares), ("to date", pc.to_date, pc.to_date_shares)):
            if sum(shares.values()) != total:
                problems.append(f"provision {pid}: {label} shares add up to {sum(shares.values())}p, not {total}p")
    for label, attr in (("annual", "annual"), ("to date", "to_date")):
        by_provision = sum(getattr(pc, attr) for pc in summary.provisions.values())
        by_pupil = sum(getattr(p, attr) for p in summary.pupils.values())
        by_stream = sum(getattr(s, attr) for s in summary.streams.values())
        if not by_provision == by_pupil == by_stream:
            problems.append(f"{label} totals disagree: provisions {by_provision}p, pupils {by_pupil}p, streams {by_stream}p")
    return problems


def check_file(path: str, as_of: date) -> list[str]:
    conn = connect(path, create=False)
    try:
        return run(conn, as_of)
    finally:
        conn.close()
