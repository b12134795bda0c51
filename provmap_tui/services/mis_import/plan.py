"""The pure diff: what importing some records would do to the database as it is.

No I/O here: the caller passes the database state (store.mis_fields.load_state), so
the same code gives the dry-run preview and, inside the write transaction, the
changes actually written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from provmap_tui.domain import codes
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.services.mis_import.checks import Incoming, check_record
from provmap_tui.services.mis_import.records import Problem, ReadResult
from provmap_tui.store.mis_fields import MIS_FLAGS, MisState

Progress = Callable[[int, int], None]

# How each changed field is named in a report.
LABELS = {
    "forename": "forename", "surname": "surname", "preferred_forename": "preferred forename",
    "preferred_surname": "preferred surname", "dob": "DOB", "sex": "sex", "year_group": "year",
    "reg_group": "reg group", "sen_status": "SEN status", "needs": "needs", "left_on": "left",
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.old or '-'} → {self.new or '-'}"


@dataclass(frozen=True)
class Update:
    pupil: Incoming
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Absent:
    upn: str
    name: str


@dataclass
class ImportPlan:
    """Created / updated (with the fields) / unchanged / skipped / absent, for one file."""

    source: str
    kind: str
    full_roll: bool
    created: list[Incoming] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    unchanged: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    absent: list[Absent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    marked_left: bool = False
    read: ReadResult | None = field(default=None, repr=False)

    @property
    def skipped_rows(self) -> int:
        """Rows not imported (a row with two problems counts once)."""
        return len({(p.line, p.upn) for p in self.problems})

    @property
    def writes(self) -> int:
        return len(self.created) + len(self.updated)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
            "skipped": self.skipped_rows, "absent": len(self.absent),
        }


def _show(field: str, value: object) -> str:
    if value is None:
        return ""
    if field == "year_group":
        return codes.year_label(value)  # type: ignore[arg-type]
    return str(value)


def build_plan(
    read: ReadResult,
    source: str,
    state: dict[str, MisState],
    need_labels: dict[str, str],
    names: dict[str, str],
    today: date,
    progress: Progress | None = None,
) -> ImportPlan:
    """Compare every record with the database state; never raises for bad data."""
    plan = ImportPlan(source=source, kind=read.kind, full_roll=read.full_roll,
                      problems=list(read.problems), notes=list(read.notes), read=read)
    seen: dict[str, int | None] = {}
    mentioned = {p.upn.strip().upper() for p in read.problems}
    total = len(read.records)
    for i, rec in enumerate(read.records, 1):
        if progress and (i % 250 == 0 or i == total):
            progress(i, total)
        mentioned.add(rec.fields.get("upn", "").strip().upper())
        incoming, problems = check_record(rec, need_labels, today)
        if incoming is None:
            plan.problems.extend(problems)
            continue
        if incoming.upn in seen:
            first = seen[incoming.upn]
            plan.problems.append(Problem(rec.line, incoming.upn, "UPN", f"is also on line {first}; each pupil once"))
            continue
        seen[incoming.upn] = rec.line
        current = state.get(incoming.upn)
        try:
            _census(incoming, current)
        except InvalidInput as exc:
            plan.problems.append(Problem(rec.line, incoming.upn, exc.field, exc.reason))
            continue
        if current is None:
            if "forename" not in incoming.values or "surname" not in incoming.values:
                plan.problems.append(Problem(rec.line, incoming.upn, "name", "a new pupil needs a legal forename and surname"))
                continue
            plan.created.append(incoming)
            continue
        changes = diff(incoming, current)
        if changes:
            plan.updated.append(Update(incoming, changes))
        else:
            plan.unchanged.append(incoming)
    if read.full_roll:
        plan.absent = sorted(
            (Absent(upn, names.get(upn, "")) for upn, st in state.items() if st.left_on is None and upn not in mentioned),
            key=lambda a: (a.name.split()[-1:] if a.name else [], a.name, a.upn),
        )
    return plan


def _census(incoming: Incoming, current: MisState | None) -> None:
    """Census rules on what the pupil would hold after the import (file, else database)."""
    status = incoming.values.get("sen_status") or (current.values["sen_status"] if current else "N")
    needs = incoming.needs if incoming.needs is not None else (current.needs if current else ())
    try:
        codes.check_needs_for_status(str(status), list(needs), "needs")
    except InvalidInput as exc:
        raise InvalidInput("needs", f"{exc.reason} (SEN status {status}, needs: {', '.join(needs) or 'none'})") from None


def diff(incoming: Incoming, current: MisState) -> tuple[Change, ...]:
    """The MIS fields the file would change for a pupil already in the database."""
    changes = []
    for col, new in incoming.values.items():
        old = current.values.get(col)
        if (old if old is not None else "") != (new if new is not None else ""):
            changes.append(Change(LABELS[col], _show(col, old), _show(col, new)))
    if incoming.needs is not None and tuple(incoming.needs) != current.needs:
        changes.append(Change("needs", ", ".join(current.needs), ", ".join(incoming.needs)))
    for flag in MIS_FLAGS:
        if flag in incoming.flags and incoming.flags[flag] != (flag in current.flags):
            changes.append(Change(flag, "yes" if flag in current.flags else "no", "yes" if incoming.flags[flag] else "no"))
    if current.left_on is not None:
        changes.append(Change("left", current.left_on, ""))
    return tuple(changes)
