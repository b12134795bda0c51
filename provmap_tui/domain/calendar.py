"""The school year: terms, closures and the pupil days the costing rule counts.

A pupil day is a weekday inside a term (ends inclusive) that is not a closure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from provmap_tui.domain.errors import InvalidInput

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_PUPIL_DAYS = 190


def parse_academic_year(text: str, field_name: str = "academic_year") -> int:
    """"2026-27" -> 2026 (the calendar year in which it starts)."""
    m = _YEAR.match((text or "").strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise InvalidInput(field_name, f"{text!r} is not an academic year; write it like 2026-27")
    return int(m.group(1))


def academic_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_bounds(academic_year: str) -> tuple[date, date]:
    """1 September to 31 August."""
    y = parse_academic_year(academic_year)
    return date(y, 9, 1), date(y + 1, 8, 31)


def current_academic_year(today: date) -> str:
    return academic_year_label(today.year if today.month >= 9 else today.year - 1)


@dataclass(frozen=True)
class Term:
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class Closure:
    day: date
    reason: str = ""


@dataclass(frozen=True)
class SchoolCalendar:
    """Terms and closures of one academic year, with fast pupil-day counting."""

    academic_year: str
    terms: tuple[Term, ...]
    closures: tuple[Closure, ...] = ()
    _days: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        closed = {c.day for c in self.closures}
        days: set[int] = set()
        for term in self.terms:
            d = term.start
            while d <= term.end:
                if d.weekday() < 5 and d not in closed:
                    days.add(d.toordinal())
                d += timedelta(days=1)
        object.__setattr__(self, "_days", tuple(sorted(days)))

    @property
    def bounds(self) -> tuple[date, date]:
        return year_bounds(self.academic_year)

    @property
    def pupil_day_count(self) -> int:
        return len(self._days)

    @property
    def day_ordinals(self) -> tuple[int, ...]:
        """Sorted ordinals of every pupil day (for the costing engine)."""
        return self._days

    def is_pupil_day(self, d: date) -> bool:
        i = bisect_left(self._days, d.toordinal())
        return i < len(self._days) and self._days[i] == d.toordinal()

    def count_days(self, start: date, end: date) -> int:
        """Pupil days from start to end, both inclusive."""
        if end < start:
            return 0
        return bisect_right(self._days, end.toordinal()) - bisect_left(self._days, start.toordinal())

    def nth_day_from(self, start: date, n: int) -> date | None:
        """The date of the n-th pupil day on or after start (n >= 1), or None past the year."""
        i = bisect_left(self._days, start.toordinal()) + n - 1
        if n < 1 or i >= len(self._days):
            return None
        return date.fromordinal(self._days[i])

    def first_day(self) -> date | None:
        return date.fromordinal(self._days[0]) if self._days else None

    def last_day(self) -> date | None:
        return date.fromordinal(self._days[-1]) if self._days else None


def validate_calendar(cal: SchoolCalendar) -> None:
    """Terms inside the year, ends after starts, no overlaps, closures inside the year."""
    lo, hi = cal.bounds
    ordered = sorted(cal.terms, key=lambda t: t.start)
    for i, term in enumerate(ordered):
        where = f"terms[{term.name or i}]"
        if term.end < term.start:
            raise InvalidInput(where, f"ends {term.end} before it starts {term.start}; swap the dates")
        if term.start < lo or term.end > hi:
            raise InvalidInput(where, f"must fall inside the academic year {lo} to {hi}")
        if i and term.start <= ordered[i - 1].end:
            raise InvalidInput(where, f"overlaps {ordered[i - 1].name}; terms must not overlap")
    for c in cal.closures:
        if not lo <= c.day <= hi:
            raise InvalidInput("closures", f"{c.day} is outside the academic year {lo} to {hi}")


def _monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def default_calendar(academic_year: str) -> SchoolCalendar:
    """Six half-terms of 7, 7, 6, 6, 6 and 7 weeks with INSET days and the early May
    bank holiday closed, giving exactly 190 pupil days; schools then edit it."""
    y = parse_academic_year(academic_year)
    plan = [  # (name, weeks in term, weeks of holiday after it)
        ("Autumn 1", 7, 1), ("Autumn 2", 7, 2), ("Spring 1", 6, 1),
        ("Spring 2", 6, 2), ("Summer 1", 6, 1), ("Summer 2", 7, 0),
    ]
    start = _monday_on_or_after(date(y, 9, 2))
    terms: list[Term] = []
    for name, weeks, gap in plan:
        end = start + timedelta(weeks=weeks, days=-3)  # the Friday of the last week
        terms.append(Term(name, start, end))
        start = start + timedelta(weeks=weeks + gap)
    may_day = _monday_on_or_after(date(y + 1, 5, 1))
    closures = [Closure(may_day, "Early May bank holiday")]
    inset = [terms[0].start, terms[2].start, terms[5].start, terms[3].end, terms[1].end,
             terms[4].end, terms[0].end]
    draft = SchoolCalendar(academic_year, tuple(terms), tuple(closures))
    for day in inset:
        if draft.pupil_day_count <= DEFAULT_PUPIL_DAYS:
            break
        closures.append(Closure(day, "INSET day"))
        draft = SchoolCalendar(academic_year, tuple(terms), tuple(closures))
    return draft
