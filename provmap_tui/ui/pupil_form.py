"""The fields of the pupil details form and how they become a Pupil."""

from __future__ import annotations

import sqlite3

from provmap_tui.domain import codes
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.models import PassportFields, Pupil
from provmap_tui.services.fields import codes_list, parse_day, required
from provmap_tui.ui.forms import Field

PASSPORT = (
    ("liked_admired", "Liked, admired"),
    ("important_to_me", "Important to me"),
    ("helps", "What helps"),
    ("does_not_help", "Doesn't help"),
    ("strengths", "Strengths"),
)


def _sex(text: str) -> str:
    value = text.strip().upper()
    if value not in {"", "M", "F"}:
        raise InvalidInput("sex", f"{text!r} is not a census sex code; use M or F, or leave it blank")
    return value


def _year(text: str) -> int | None:
    return codes.parse_year_group(text) if text.strip() else None


def _flags(text: str) -> list[str]:
    return [codes.check_flag(c) for c in codes_list(text)]


def pupil_fields(p: Pupil, need_types: dict[str, tuple[str, str]]) -> list[Field]:
    def needs(text: str) -> list[str]:
        found = codes_list(text)
        for code in found:
            if code not in need_types:
                raise InvalidInput("needs", f"{code!r} is not a census need type; use e.g. {', '.join(list(need_types)[:6])}")
        if len(set(found)) != len(found):
            raise InvalidInput("needs", "a need type is listed twice; give each once, in rank order")
        return found

    def describe_needs(text: str) -> str:
        return "; ".join(f"{c}: {need_types[c][0]}" for c in codes_list(text) if c in need_types) or "ranked codes, e.g. SLCN ASD"

    def describe_status(text: str) -> str:
        return codes.SEN_STATUSES.get(text.strip().upper(), "")

    def describe_flags(text: str) -> str:
        return ", ".join(codes.FLAGS[c] for c in codes_list(text) if c in codes.FLAGS) or "PP EAL LAC FSM MED"

    year = codes.year_label(p.year_group).removeprefix("Y")
    return [
        Field("upn", "UPN", p.upn, read_only=True),
        Field("forename", "Forename", p.forename, lambda t: required(t, "forename")),
        Field("surname", "Surname", p.surname, lambda t: required(t, "surname")),
        Field("preferred_forename", "Preferred first", p.preferred_forename),
        Field("preferred_surname", "Preferred last", p.preferred_surname),
        Field("dob", "Date of birth", p.dob.isoformat() if p.dob else "", lambda t: parse_day(t, "dob"),
              placeholder="2016-03-21"),
        Field("sex", "Sex", p.sex, _sex, placeholder="M or F"),
        Field("year_group", "Year group", year, _year, describe=lambda t: codes.year_label(_year(t)),
              placeholder="R, 1-14, N1, N2"),
        Field("reg_group", "Class", p.reg_group),
        Field("sen_status", "SEN status", p.sen_status, codes.check_sen_status, describe_status,
              placeholder="N, K or E"),
        Field("needs", "Needs (ranked)", " ".join(p.needs), needs, describe_needs),
        Field("flags", "Flags", " ".join(p.flags), _flags, describe_flags),
        Field("left_on", "Left on", p.left_on.isoformat() if p.left_on else "", lambda t: parse_day(t, "left_on")),
        *(Field(key, label, getattr(p.passport, key)) for key, label in PASSPORT),
        Field("notes", "Notes", p.notes),
    ]


def build_pupil(values: dict[str, str], version: int) -> Pupil:
    """A validated Pupil from the form (raises InvalidInput / ValidationError)."""
    status = codes.check_sen_status(values["sen_status"])
    needs = codes_list(values["needs"])
    codes.check_needs_for_status(status, needs)
    return Pupil(
        upn=values["upn"],
        forename=required(values["forename"], "forename"),
        surname=required(values["surname"], "surname"),
        preferred_forename=values["preferred_forename"].strip(),
        preferred_surname=values["preferred_surname"].strip(),
        dob=parse_day(values["dob"], "dob"),
        sex=_sex(values["sex"]),
        year_group=_year(values["year_group"]),
        reg_group=values["reg_group"].strip(),
        sen_status=status,
        needs=needs,
        flags=_flags(values["flags"]),
        left_on=parse_day(values["left_on"], "left_on"),
        passport=PassportFields(**{key: values[key].strip() for key, _ in PASSPORT}),
        notes=values["notes"].strip(),
        version=version,
    )


def save_pupil(conn: sqlite3.Connection, p: Pupil) -> None:
    from provmap_tui.store import pupils

    pupils.save(conn, p)
