"""Changes made on the Settings screen, each checked as a whole before it is saved.

Call inside a transaction. Deleting something a provision still uses is refused
with the provisions named, so nothing is left pointing at a missing record.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from provmap_tui.domain.calendar import Closure, SchoolCalendar, Term, validate_calendar
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.store import school, staff, usage


def _listed(ids: list[str]) -> str:
    return ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")


def delete_stream(conn: sqlite3.Connection, code: str) -> None:
    used = usage.provisions_using_stream(conn, code)
    if used:
        raise InvalidInput("funding stream", f"{code} pays for {_listed(used)}; move those provisions to another stream first")
    school.delete_stream(conn, code)


def delete_staff(conn: sqlite3.Connection, staff_id: str) -> None:
    used = usage.provisions_using_staff(conn, staff_id)
    if used:
        raise InvalidInput("staff", f"{staff_id} delivers {_listed(used)}; change those provisions' staff first")
    staff.delete(conn, staff_id)


def with_term(cal: SchoolCalendar, index: int | None, term: Term | None) -> SchoolCalendar:
    """The calendar with term `index` replaced (None adds; term None deletes), validated."""
    terms = list(cal.terms)
    if index is None:
        if term is not None:
            terms.append(term)
    elif term is None:
        del terms[index]
    else:
        terms[index] = term
    new = replace(cal, terms=tuple(sorted(terms, key=lambda t: t.start)))
    validate_calendar(new)
    return new


def with_closure(cal: SchoolCalendar, old_day: object | None, closure: Closure | None) -> SchoolCalendar:
    """The calendar with the closure on `old_day` replaced (None adds; closure None deletes)."""
    closures = [c for c in cal.closures if c.day != old_day]
    if closure is not None:
        if any(c.day == closure.day for c in closures):
            raise InvalidInput("day", f"{closure.day} is already a closure; edit that one instead")
        closures.append(closure)
    new = replace(cal, closures=tuple(sorted(closures, key=lambda c: c.day)))
    validate_calendar(new)
    return new


def save_calendar(conn: sqlite3.Connection, cal: SchoolCalendar) -> None:
    validate_calendar(cal)
    school.replace_calendar(conn, cal)
