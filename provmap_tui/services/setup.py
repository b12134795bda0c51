"""Creating a school and opening its database: the one way every front end starts."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from provmap_tui.domain.calendar import current_academic_year, default_calendar
from provmap_tui.domain.errors import InvalidInput, describe_validation
from provmap_tui.domain.models import FundingStream, SchoolSettings
from provmap_tui.services import library
from provmap_tui.store import school
from provmap_tui.store.connection import connect, has_school, transaction

DEFAULT_DB = "provmap.db"

DEFAULT_STREAMS = (
    FundingStream(code="SEN", name="Notional SEN budget", counts_toward_threshold=True),
    FundingStream(code="PP", name="Pupil Premium"),
    FundingStream(code="EAL", name="EAL"),
    FundingStream(code="CATCHUP", name="Catch-up / tutoring"),
    FundingStream(code="TOPUP", name="LA top-up (element 3)"),
)


def resolve_db_path(arg: str | None) -> Path:
    """--db PATH, else $PROVMAP_DB, else ./provmap.db."""
    return Path(arg or os.environ.get("PROVMAP_DB") or DEFAULT_DB)


def open_school(path: str | Path) -> sqlite3.Connection:
    """Open an existing school's database (migrated, library brought up to date)."""
    conn = connect(path, create=False)
    if has_school(conn) and school.library_version(conn) < library.shipped_version():
        with transaction(conn, path):
            library.bring_up_to_date(conn)
    return conn


def create_school(conn: sqlite3.Connection, name: str, academic_year: str | None = None, urn: str = "") -> SchoolSettings:
    """A new school: settings, the default calendar, the default streams and the library."""
    if has_school(conn):
        raise InvalidInput("--school", "this database already has a school; use a new --db file")
    try:
        settings = SchoolSettings(
            name=name.strip(), urn=urn, academic_year=academic_year or current_academic_year(date.today())
        )
    except ValidationError as exc:
        raise InvalidInput("", describe_validation(exc, "school")) from None
    with transaction(conn):
        school.save(conn, settings)
        school.replace_calendar(conn, default_calendar(settings.academic_year))
        for stream in DEFAULT_STREAMS:
            school.save_stream(conn, stream)
        library.bring_up_to_date(conn)
    return school.get(conn)

