"""Unique pupil numbers: the DfE check letter (see send-facts.md)."""

from __future__ import annotations

import re

from provmap_tui.domain.errors import InvalidInput

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_SHAPE = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")  # ASCII digits only: "٣" is a digit to \d


def check_letter(body: str) -> str:
    """The check letter for characters 2..13 of a UPN (12 characters)."""
    total = 0
    for weight, ch in enumerate(body, start=2):
        if ch.isdigit():
            value = int(ch)
        else:
            value = CHECK_LETTERS.index(ch)
        total += weight * value
    return CHECK_LETTERS[total % 23]


def validate_upn(raw: str, field: str = "upn") -> str:
    """Return the UPN upper-cased, or raise naming what is wrong with it."""
    upn = (raw or "").strip().upper()
    if len(upn) != 13:
        raise InvalidInput(field, f"{raw!r} is not a UPN: it must be 13 characters (it has {len(upn)})")
    if not _SHAPE.match(upn) or (upn[12].isalpha() and upn[12] not in CHECK_LETTERS):
        raise InvalidInput(field, f"{raw!r} is not a UPN: a letter, 11 digits, then a digit or letter")
    expected = check_letter(upn[1:])
    if upn[0] != expected:
        raise InvalidInput(field, f"{raw!r} has check letter {upn[0]} but should have {expected}; check for a typing error")
    return upn


def make_upn(la: int, estab: int, year2: int, serial: int) -> str:
    """Build a valid permanent UPN (used by the demo generator and tests)."""
    body = f"{la:03d}{estab:04d}{year2:02d}{serial:03d}"
    return check_letter(body) + body
