"""The shipped intervention library (db/seed/interventions.json)."""

from __future__ import annotations

import json
import sqlite3
from functools import cache

from provmap_tui.domain.models import Intervention
from provmap_tui.resources import data_dir
from provmap_tui.store import interventions, school


@cache
def _document() -> dict:
    return json.loads(data_dir("db").joinpath("seed", "interventions.json").read_text(encoding="utf-8"))


def shipped_version() -> int:
    """The library version shipped with this provmap: checked on every open, so it
    validates no entries (that is `shipped()`, needed only when the library changes)."""
    return _document()["library_version"]


@cache
def shipped() -> tuple[int, tuple[Intervention, ...]]:
    """(library_version, entries) as shipped with this version of provmap."""
    doc = _document()
    entries = tuple(Intervention(**entry, source="library") for entry in doc["interventions"])
    return doc["library_version"], entries


def bring_up_to_date(conn: sqlite3.Connection) -> tuple[int, int]:
    """Add new library entries and refresh untouched ones, once per library version.

    Call inside a transaction. Returns (added, refreshed)."""
    if school.library_version(conn) >= shipped_version():
        return 0, 0
    version, entries = shipped()
    result = interventions.apply_library(conn, list(entries))
    school.set_library_version(conn, version)
    return result
