"""Money as integer pence. Parsing and display; never floats.

Exchange strings look like "1234.56"; screens show "£1,234.56".
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from provmap_tui.domain.errors import InvalidInput

_MONEY = re.compile(r"^\s*£?\s*(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$")


def parse_pence(text: str | int, field: str = "amount", *, allow_negative: bool = False) -> int:
    """Parse "17.20", "£1,234.5" or "6000" into pence; reject anything else."""
    if isinstance(text, bool):
        raise InvalidInput(field, f"expected an amount like 17.20, got {text!r}")
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str):
        raise InvalidInput(field, f"expected an amount like \"17.20\" (a string), got {text!r}")
    m = _MONEY.match(text)
    if not m:
        raise InvalidInput(field, f"{text!r} is not an amount; write pounds and pence like 17.20")
    sign, pounds, pence = m.groups()
    value = int(pounds.replace(",", "")) * 100 + int((pence or "0").ljust(2, "0"))
    if sign:
        value = -value
    if value < 0 and not allow_negative:
        raise InvalidInput(field, f"{text!r} is negative; enter 0 or more")
    return value


def pence_str(pence: int) -> str:
    """Exchange form: 123456 -> "1234.56"."""
    sign = "-" if pence < 0 else ""
    p = abs(pence)
    return f"{sign}{p // 100}.{p % 100:02d}"


def format_gbp(pence: int, *, whole: bool = False) -> str:
    """Display form: 123456 -> "£1,234.56" (or "£1,235" with whole=True)."""
    sign = "-" if pence < 0 else ""
    p = abs(pence)
    if whole:
        return f"{sign}£{round_half_up(Fraction(p, 100)):,}"
    return f"{sign}£{p // 100:,}.{p % 100:02d}"


def round_half_up(value: Fraction) -> int:
    """Round an exact value to the nearest integer, halves away from zero."""
    if value >= 0:
        return int((value * 2 + 1) // 2)
    return -round_half_up(-value)


def parse_percent(text: str | int, field: str = "oncost_percent") -> Decimal:
    """Parse a percentage like "0", "25.5" or "28.3%" into an exact Decimal."""
    raw = str(text).strip().rstrip("%").strip()
    try:
        value = Decimal(raw)
    except Exception:
        raise InvalidInput(field, f"{text!r} is not a percentage; write a number like 25.5") from None
    if not value.is_finite() or value < 0 or value > 200:
        raise InvalidInput(field, f"{text!r} is out of range; enter a percentage from 0 to 200")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_str(value: Decimal) -> str:
    """Shortest exact text for a percentage: Decimal("25.50") -> "25.5"."""
    text = format(value.normalize(), "f")
    return text
