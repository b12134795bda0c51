"""Checking one raw record: UPN, names, dates, year group, census codes and flags.

Pure functions over text; each problem names the field and how to fix it. The census
rule that needs the database (a K pupil must keep a need) is checked in `plan`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from provmap_tui.domain import codes
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.upn import validate_upn
from provmap_tui.services.mis_import.records import Problem, SourceRecord

MAX_NAME = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0", ""}
_SEX = {"m": "M", "male": "M", "f": "F", "female": "F", "u": "U", "unknown": "U"}
# Words MIS exports use for census SEN provision, besides the codes themselves.
_STATUS_WORDS = {
    "": "N", "no sen": "N", "none": "N", "not sen": "N", "n - no special educational need": "N",
    "sen support": "K", "k - sen support": "K", "school support": "K",
    "ehc plan": "E", "ehcp": "E", "education, health and care plan": "E", "e - education, health and care plan": "E",
    "statement": "S", "statement of sen": "S",
}
ENGLISH = {"ENG", "ENB", "ENGLISH"}
_UNKNOWN_LANGUAGE = {"NOT", "REF", ""}


@dataclass(frozen=True)
class Incoming:
    """A checked pupil from the file: DB-ready values for the fields the file supplies."""

    line: int | None
    upn: str
    values: dict[str, object]
    needs: tuple[str, ...] | None
    flags: dict[str, bool]

    @property
    def name(self) -> str:
        v = self.values
        return f"{v.get('preferred_forename') or v.get('forename', '')} {v.get('preferred_surname') or v.get('surname', '')}".strip()


def check_record(rec: SourceRecord, need_labels: dict[str, str], today: date) -> tuple[Incoming | None, list[Problem]]:
    """(Incoming, []) when the record is good, else (None, every problem found in it).

    need_labels maps each census need code the database knows to its label, so a
    file may give "SLCN" or "Speech, language and communication needs"."""
    f = rec.fields
    raw_upn = f.get("upn", "")
    problems: list[Problem] = []

    def attempt(field: str, fn, *args):  # type: ignore[no-untyped-def]
        try:
            return fn(*args)
        except InvalidInput as exc:
            problems.append(Problem(rec.line, raw_upn, field, exc.reason))
            return None

    upn = attempt("UPN", _upn, raw_upn)
    values: dict[str, object] = {}
    for field, label, required in (
        ("forename", "legal forename", True), ("surname", "legal surname", True),
        ("preferred_forename", "preferred forename", False), ("preferred_surname", "preferred surname", False),
        ("reg_group", "reg group", False),
    ):
        if field in f:
            values[field] = attempt(label, _name, f[field], label, required)
    if "dob" in f:
        values["dob"] = attempt("date of birth", _dob, f["dob"], today)
    if "sex" in f:
        values["sex"] = attempt("sex", _sex, f["sex"])
    if "year_group" in f:
        values["year_group"] = attempt("year group", _year, f["year_group"])
    if "sen_status" in f:
        values["sen_status"] = attempt("SEN status", _status, f["sen_status"])
    needs = None
    if rec.needs is not None:
        needs = attempt("needs", _needs, rec.needs, need_labels)
    flags: dict[str, bool] = {}
    for field, flag in (("fsm", "FSM"), ("lac", "LAC"), ("eal", "EAL"), ("med", "MED")):
        if field in f:
            flags[flag] = attempt(flag, _yes_no, f[field], flag)
    if "first_language" in f and "eal" not in f:
        eal = _eal_from_language(f["first_language"])
        if eal is not None:
            flags["EAL"] = eal
    if problems or upn is None:
        return None, problems
    return Incoming(rec.line, upn, values, tuple(needs) if needs is not None else None, flags), []


def _upn(raw: str) -> str:
    if not raw.strip():
        raise InvalidInput("UPN", "is empty; every pupil needs a UPN (13 characters, e.g. A123456789012)")
    return validate_upn(raw, "UPN")


def _name(text: str, label: str, required: bool) -> str:
    text = " ".join(text.split())
    if required and not text:
        raise InvalidInput(label, "is empty; every pupil needs a legal forename and surname")
    if len(text) > MAX_NAME:
        raise InvalidInput(label, f"is {len(text)} characters long; at most {MAX_NAME}")
    if _CONTROL.search(text):
        raise InvalidInput(label, "contains control characters; retype it")
    return text


def _dob(text: str, today: date) -> str | None:
    text = text.strip()
    if not text:
        return None
    m = _DMY.match(text)
    try:
        if m:
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        else:
            d = date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else None
    except ValueError:
        d = None
    if d is None:
        raise InvalidInput("date of birth", f"{text!r} is not a date; write it as dd/mm/yyyy or yyyy-mm-dd")
    if d > today:
        raise InvalidInput("date of birth", f"{text} is in the future")
    if d.year < 1900:
        raise InvalidInput("date of birth", f"{text} is too long ago; check the year")
    return d.isoformat()


def _sex(text: str) -> str:
    key = text.strip().lower()
    if key == "":
        return ""
    if key not in _SEX:
        raise InvalidInput("sex", f"{text!r} is not a sex code; use M, F or U")
    return _SEX[key]


def _year(text: str) -> int | None:
    text = text.strip()
    if text == "" or text.upper() == "X":  # X: outside the National Curriculum
        return None
    return codes.parse_year_group(text, "year group")


def _status(text: str) -> str:
    key = " ".join(text.lower().split())
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    try:
        return codes.check_sen_status(text, "SEN status")
    except InvalidInput:
        raise InvalidInput("SEN status", f"{text!r} is not a census SEN provision; use N, K or E "
                                         "(or No SEN, SEN Support, EHC Plan)") from None


def _needs(raw: list[str], need_labels: dict[str, str]) -> list[str]:
    by_label = {label.lower(): code for code, label in need_labels.items()}
    out = []
    for text in raw:
        key = text.strip()
        code = key.upper() if key.upper() in need_labels else by_label.get(" ".join(key.lower().split()))
        if code is None:
            raise InvalidInput("needs", f"{text!r} is not a census need type; use one of {', '.join(need_labels)}")
        out.append(code)
    if len(set(out)) != len(out):
        raise InvalidInput("needs", "the same need type is given twice; give each once, in rank order")
    return out


def _yes_no(text: str, flag: str) -> bool:
    key = text.strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise InvalidInput(flag, f"{text!r} is not yes or no")


def _eal_from_language(text: str) -> bool | None:
    """EAL when the first language is not English; unknown when it was not obtained."""
    code = text.strip().upper()
    if code in _UNKNOWN_LANGUAGE:
        return None
    return code not in ENGLISH
