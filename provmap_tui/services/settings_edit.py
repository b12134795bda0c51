"""Changes made on the Settings screen, each checked as a whole before it is saved.

Call inside a transaction. Deleting something a provision still uses is refused
with the provisions named, so nothing is left pointing at a missing record.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from provmap_tui.domain.calendar import Closure, SchoolCalendar, Term, validate_calendar
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.models import SchoolSettings
from provmap_tui.services import images
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


@dataclass(frozen=True)
class SchoolChange:
    """The school's details, and a new logo to store when a file was given."""

    settings: SchoolSettings
    logo_file: Path | None = None


def check_folder(text: str) -> str:
    """The passport and report folder as typed, ~ expanded ('' = the defaults); refuses a
    file. A folder that does not exist yet is fine: it is made when something is first written."""
    folder = str(Path(text.strip()).expanduser()) if text.strip() else ""
    if folder and Path(folder).exists() and not Path(folder).is_dir():
        raise InvalidInput("folder", f"{folder} is a file; give a folder (it is created if missing)")
    return folder


def check_logo_file(text: str) -> Path | None:
    """A quick look at a logo file as it is typed (size and first bytes, no decoding);
    None when blank (keep the current logo). Saving checks the whole picture."""
    if not text.strip():
        return None
    path = Path(text.strip()).expanduser()
    if not path.exists():
        raise InvalidInput("logo", "no such file; check the name and folder")
    if path.is_dir():
        raise InvalidInput("logo", "is a folder; give a .png or .jpg file")
    size = path.stat().st_size
    if size > images.MAX_INPUT_BYTES:
        raise InvalidInput("logo", f"is {size / 1024 / 1024:.1f} MB; the limit is "
                                   f"{images.MAX_INPUT_BYTES // 1024 // 1024} MB; save a smaller copy")
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InvalidInput("logo", f"cannot read it ({exc.strerror})") from None
    if images.image_kind(head) is None:
        raise InvalidInput("logo", "is not a PNG or JPEG picture; save it as .png or .jpg")
    return path


def save_school(conn: sqlite3.Connection, change: SchoolChange) -> None:
    """Save the details and, when a file was given, the logo (checked in full, scaled
    down); either both are saved or, if the picture is refused, neither."""
    school.save(conn, change.settings)
    if change.logo_file is not None:
        path = change.logo_file
        school.set_logo(conn, images.prepare(images.read_picture(path), str(path), keep_transparency=True))
