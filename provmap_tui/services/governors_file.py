"""The governors' SEND report from the database to a PDF file: the budget screen's keys.

The file goes into the school's output folder (Settings: the passport and report
folder), else ./reports; it is written atomically, so a reader never sees half of one.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from provmap_tui.domain.models import SchoolSettings
from provmap_tui.services import budget, governors
from provmap_tui.services.output import ensure_folder, write_atomically
from provmap_tui.store import pupils, school, snapshot

DEFAULT_DIR = "reports"


def output_folder(settings: SchoolSettings, out: Path | None = None) -> Path:
    """out, else the school's passport and report folder, else ./reports."""
    if out is not None:
        return out
    return Path(settings.passport_dir) if settings.passport_dir else Path(DEFAULT_DIR)


def file_name(academic_year: str, as_of: date, anonymise: bool) -> str:
    """governors-send-report-2026-27-2026-12-04[-anonymised].pdf: dated, so reports never overwrite
    one printed on another day."""
    return f"governors-send-report-{academic_year}-{as_of.isoformat()}{'-anonymised' if anonymise else ''}.pdf"


def write(conn: sqlite3.Connection, as_of: date, *, anonymise: bool = False, out: Path | None = None) -> Path:
    """Build the report from the whole map and write it; returns the file's path."""
    pm = snapshot.load(conn)
    labels = {code: label for code, (label, _plain) in pupils.need_types(conn).items()}
    logo = school.get_logo(conn)
    overview = budget.build(pm, as_of, labels)
    folder = ensure_folder(output_folder(pm.school, out))
    data = governors.to_pdf(overview, logo, anonymise=anonymise)
    return write_atomically(folder / file_name(pm.school.academic_year, as_of, anonymise), data)
