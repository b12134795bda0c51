"""Census and school codes: SEN status, areas of need, flags and year groups.

Need-type codes (SPLD, SLCN, ...) are data, kept in the database's `need_type` table
so a new census code needs no code change; this module only knows their shape.
"""

from __future__ import annotations

import re

from provmap_tui.domain.errors import InvalidInput

SEN_STATUSES: dict[str, str] = {
    "N": "No SEN",
    "K": "SEN support",
    "E": "EHC plan",
    "S": "Statement (historic)",
}
REGISTER_STATUSES = frozenset({"K", "E", "S"})

AREAS: dict[str, str] = {
    "CL": "Cognition and learning",
    "CI": "Communication and interaction",
    "SEMH": "Social, emotional and mental health",
    "SP": "Sensory and/or physical",
}

FLAGS: dict[str, str] = {
    "PP": "Pupil Premium",
    "EAL": "English as an additional language",
    "LAC": "Looked after",
    "FSM": "Free school meals",
    "MED": "Medical needs",
}

STAFF_ROLES = ("TA", "HLTA", "Teacher", "SENCo", "Specialist", "Counsellor", "Mentor")

_NEED_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")

# Nursery years come before Reception (0), so they are negative.
_YEAR_NAMES = {-2: "N1", -1: "N2", 0: "R"}
_YEAR_TEXT = re.compile(r"^(?:year\s*|yr\s*|y)?(\d{1,2})$", re.IGNORECASE)


def year_label(year_group: int | None) -> str:
    """-2 -> "N1", 0 -> "R", 5 -> "Y5"; None -> ""."""
    if year_group is None:
        return ""
    return _YEAR_NAMES.get(year_group, f"Y{year_group}")


def parse_year_group(text: str | int, field: str = "year_group") -> int:
    """Accept "Year 5", "Y5", "5", "R", "Reception", "N1", "N2"; return -2..14."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        raw = str(text).strip()
        upper = raw.upper()
        names = {v: k for k, v in _YEAR_NAMES.items()}
        if upper in names:
            return names[upper]
        if upper in {"RECEPTION", "YR", "YEAR R"}:
            return 0
        m = _YEAR_TEXT.match(raw)
        if not m:
            raise InvalidInput(field, f"{text!r} is not a year group; use 1-14, R, N1 or N2 (e.g. 'Year 5')")
        value = int(m.group(1))
    if not -2 <= value <= 14:
        raise InvalidInput(field, f"{text!r} is out of range; use N1, N2, R or 1-14")
    return value


def _check_code(code: str, known: dict[str, str], field: str, what: str) -> str:
    code = (code or "").strip().upper()
    if code not in known:
        raise InvalidInput(field, f"{code!r} is not {what}; use one of {', '.join(known)}")
    return code


def check_sen_status(code: str, field: str = "sen_status") -> str:
    return _check_code(code, SEN_STATUSES, field, "a census SEN provision code")


def check_need_shape(code: str, field: str = "needs") -> str:
    """Normalise a need-type code's spelling; whether it exists is the store's question."""
    code = (code or "").strip().upper()
    if not _NEED_CODE.match(code):
        raise InvalidInput(field, f"{code!r} is not a need-type code like SLCN or SPLD")
    return code


def check_needs_for_status(status: str, needs: list[str], field: str = "needs") -> None:
    """Census rules: K or E needs a need type; NSA only with K."""
    if status in REGISTER_STATUSES and not needs:
        raise InvalidInput(field, f"a pupil with SEN status {status} needs at least one need type (e.g. SLCN)")
    if "NSA" in needs and status != "K":
        raise InvalidInput(field, "NSA (no specialist assessment) is only allowed with SEN status K")
    if len(set(needs)) != len(needs):
        raise InvalidInput(field, "a need type is listed twice; give each once, in rank order")


def check_flag(code: str, field: str = "flags") -> str:
    return _check_code(code, FLAGS, field, "a flag")


def check_area(code: str, field: str = "area") -> str:
    return _check_code(code, AREAS, field, "an area of need")
