"""Parsing what people type into form fields: dates, required text, lists of codes.

UI-free so every form (and any import) reads typed text the same way. Each
function raises InvalidInput naming the field and the fix.
"""

from __future__ import annotations

import re
from datetime import date

from provmap_tui.domain.errors import InvalidInput

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str, field: str, *, required: bool = False) -> date | None:
    """"2027-01-15" or "15/01/2027" (day first, as in England); blank is None unless required."""
    raw = (text or "").strip()
    if not raw:
        if required:
            raise InvalidInput(field, "is required; write a date like 2027-01-15 or 15/01/2027")
        return None
    m = _UK_DATE.match(raw)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(field, f"{raw!r} is not a date; write it like 2027-01-15 or 15/01/2027") from None


def required(text: str, field: str) -> str:
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(field, "is required; it cannot be blank")
    return raw


def codes_list(text: str) -> list[str]:
    """"slcn, asd" or "SLCN ASD" -> ["SLCN", "ASD"] (order kept)."""
    return [c.strip().upper() for c in re.split(r"[\s,;]+", text or "") if c.strip()]
