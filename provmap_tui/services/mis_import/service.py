"""Importing a roll file: read it, preview the plan, and apply it in one transaction.

`preview` writes nothing (the dry run and the Import screen's table); `apply` re-plans
inside the write transaction, so what it writes is exactly the diff against the
database at that moment, all of it or none of it.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from provmap_tui.services.mis_import import csv_reader, ctf_reader, files
from provmap_tui.services.mis_import.plan import ImportPlan, Progress, build_plan
from provmap_tui.services.mis_import.records import ImportRefused, ReadResult
from provmap_tui.store import mis_fields, pupils
from provmap_tui.store.connection import has_school, transaction

FORMATS = ("ctf", "csv")


def read_source(path: Path, fmt: str | None, mapping: list[str] | None, today: date) -> ReadResult:
    """The file's records; ImportRefused if it is missing, too big, binary or unreadable."""
    if fmt is not None and fmt not in FORMATS:
        raise ImportRefused(f"--format {fmt!r}: use ctf or csv")
    parsed_map = csv_reader.parse_mapping(mapping)
    data = files.read_bounded(path, files.ROLL_FILE_LIMIT, "CTF or CSV")
    files.refuse_binary(path, data)
    kind = fmt or files.detect_format(path, data)
    if kind == "ctf":
        if mapping:
            raise ImportRefused("--map is for CSV files; a CTF's elements are always known")
        return ctf_reader.read_ctf(data, str(path), today)
    return csv_reader.read_csv(data, str(path), parsed_map)


def _need_labels(conn: sqlite3.Connection) -> dict[str, str]:
    return {code: label for code, (label, _plain) in pupils.need_types(conn).items()}


def _require_school(conn: sqlite3.Connection) -> None:
    if not has_school(conn):
        raise ImportRefused("this database has no school yet; create it with `provmap --db FILE init --school NAME`")


def preview(
    conn: sqlite3.Connection,
    path: Path,
    *,
    fmt: str | None = None,
    mapping: list[str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """What importing the file would do; reads the database, writes nothing."""
    today = today or date.today()
    _require_school(conn)
    read = read_source(path, fmt, mapping, today)
    return build_plan(read, str(path), mis_fields.load_state(conn), _need_labels(conn), mis_fields.names(conn),
                      today, progress)


def apply(
    conn: sqlite3.Connection,
    plan: ImportPlan,
    *,
    skip_invalid: bool = False,
    mark_left: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Write a previewed import in one transaction; returns the plan as written.

    All or nothing: with problems and no skip_invalid, nothing is written."""
    today = today or date.today()
    if plan.read is None:
        raise ImportRefused("this import plan has no file behind it; preview the file again")
    if mark_left and not plan.full_roll:
        raise ImportRefused(f"{plan.source}: is a partial file, so it cannot say who has left; drop --mark-left")
    _require_school(conn)
    with transaction(conn):
        fresh = build_plan(plan.read, plan.source, mis_fields.load_state(conn), _need_labels(conn),
                           mis_fields.names(conn), today)
        if fresh.problems and not skip_invalid:
            raise ImportRefused(
                f"{plan.source}: {fresh.skipped_rows} row(s) have problems, so nothing was written; fix them, "
                "or import the other rows with --skip-invalid"
            )
        if mark_left and fresh.absent and not (fresh.created or fresh.updated or fresh.unchanged):
            raise ImportRefused(
                f"{plan.source}: has no pupil that could be imported, so --mark-left would mark all "
                f"{len(fresh.absent)} pupils as left; refused"
            )
        _write(conn, fresh, progress)
        if mark_left and fresh.absent:
            mis_fields.mark_left(conn, [a.upn for a in fresh.absent], today)
            fresh.marked_left = True
    return fresh


def _write(conn: sqlite3.Connection, plan: ImportPlan, progress: Progress | None) -> None:
    mis_fields.insert_pupils(conn, [
        (p.upn, p.values, list(p.needs or ()), sorted(f for f, on in p.flags.items() if on)) for p in plan.created
    ])
    total = len(plan.updated)
    for i, update in enumerate(plan.updated, 1):
        p = update.pupil
        state_changes = {c.field for c in update.changes}
        mis_fields.update_pupil(
            conn, p.upn, p.values, list(p.needs) if p.needs is not None else None, p.flags,
            clear_left="left" in state_changes,
        )
        if progress and (i % 250 == 0 or i == total):
            progress(i, total)


def run(
    conn: sqlite3.Connection,
    path: Path,
    *,
    fmt: str | None = None,
    mapping: list[str] | None = None,
    skip_invalid: bool = False,
    mark_left: bool = False,
    today: date | None = None,
) -> ImportPlan:
    """Preview then apply: the one call for scripts and tests."""
    plan = preview(conn, path, fmt=fmt, mapping=mapping, today=today)
    return apply(conn, plan, skip_invalid=skip_invalid, mark_left=mark_left, today=today)
