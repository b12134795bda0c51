"""The shapes every step of an import shares: raw records, problems, refusals."""

from __future__ import annotations

from dataclasses import dataclass, field

from provmap_tui.domain.errors import ProvmapError

# The fields an import understands, with the words a user sees (also for --map).
FIELDS: dict[str, str] = {
    "upn": "UPN",
    "surname": "legal surname",
    "forename": "legal forename",
    "preferred_forename": "preferred forename",
    "preferred_surname": "preferred surname",
    "dob": "date of birth",
    "sex": "sex",
    "year_group": "year group",
    "reg_group": "registration group",
    "sen_status": "SEN status (N, K, E)",
    "need1": "primary need",
    "need2": "secondary need",
    "need3": "third need",
    "fsm": "FSM eligible (yes/no)",
    "lac": "looked after (yes/no)",
    "eal": "EAL (yes/no)",
    "first_language": "first language (ENG = English)",
    "med": "medical flag (yes/no)",
}
NEED_FIELDS = ("need1", "need2", "need3")


class ImportRefused(ProvmapError):
    """The file, or the import as asked for, cannot be used; nothing was written."""


@dataclass(frozen=True)
class Problem:
    """Why one row cannot be imported, in words that say where and how to fix it."""

    line: int | None
    upn: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        who = f" ({self.upn})" if self.upn else ""
        what = f"{self.field}: " if self.field else ""
        return f"{where}{who}: {what}{self.reason}"


@dataclass
class SourceRecord:
    """One pupil as the file gives it: raw text for each field the file supplies.

    A field missing from `fields` is one the file does not carry (a CSV without an EAL
    column); the import then leaves that field alone. needs is None likewise."""

    line: int | None
    fields: dict[str, str]
    needs: list[str] | None = None


@dataclass
class ReadResult:
    """What a reader made of a file: its records and any rows it could not read."""

    kind: str
    records: list[SourceRecord]
    problems: list[Problem] = field(default_factory=list)
    full_roll: bool = True
    notes: list[str] = field(default_factory=list)
