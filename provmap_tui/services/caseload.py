"""The caseload: one row per pupil with their provision and cost against the threshold.

UI-free so the app, reports and benchmarks share it. Built from one costed
ProvisionMap; filtering and sorting work on the rows without touching the DB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from provmap_tui.domain.codes import FLAGS, SEN_STATUSES, year_label
from provmap_tui.domain.costing import threshold_status
from provmap_tui.domain.fold import fold
from provmap_tui.domain.money import round_half_up
from provmap_tui.domain.provision_map import ProvisionMap


@dataclass(frozen=True)
class CaseloadRow:
    upn: str
    name: str
    sort_name: str  # surname then forename, lower case
    year_group: int | None
    year: str
    reg_group: str
    sen_status: str
    primary_need: str
    needs: tuple[str, ...]
    flags: tuple[str, ...]
    provisions: int
    minutes_a_week: int
    annual: int
    to_date: int
    counted: int
    threshold: int
    status: str  # over | near | under
    margin: int  # excess when over, else headroom
    on_register: bool
    search_text: str  # folded names, UPN and class: the filter finds any part of these
    codes: frozenset[str]  # lower-case year, status, needs, flags and over/near/under: matched whole

    @property
    def percent(self) -> int:
        """Counted cost as a whole percentage of the threshold (rounded down)."""
        if not self.threshold:
            return 100 if self.counted else 0
        return int(Fraction(self.counted * 100, self.threshold))


def build_rows(pm: ProvisionMap, as_of: date) -> list[CaseloadRow]:
    """Every current pupil, in register order (surname, forename).

    A pupil with a leaving date is left (the MIS import marks pupils absent from a
    full roll that way): kept in the database, never on the caseload."""
    summary = pm.costs(as_of)
    threshold = pm.school.threshold_pence
    minutes: dict[str, int] = {}
    counts: dict[str, int] = {}
    for prov in pm.provisions:
        weekly = prov.minutes * prov.sessions_per_week
        for m in prov.members:
            minutes[m.upn] = minutes.get(m.upn, 0) + weekly
            counts[m.upn] = counts.get(m.upn, 0) + 1
    rows = []
    for p in pm.pupils:
        if p.has_left(as_of):
            continue
        cost = summary.pupils.get(p.upn)
        annual, to_date, counted = (cost.annual, cost.to_date, cost.counted) if cost else (0, 0, 0)
        status, margin = threshold_status(counted, threshold)
        year = year_label(p.year_group)
        words = [p.name, p.legal_name, p.upn, p.reg_group]
        codes = {year, p.sen_status, *p.needs, *p.flags, status}
        rows.append(CaseloadRow(
            upn=p.upn,
            name=p.name,
            sort_name=f"{p.preferred_surname or p.surname} {p.preferred_forename or p.forename}".lower(),
            year_group=p.year_group,
            year=year,
            reg_group=p.reg_group,
            sen_status=p.sen_status,
            primary_need=p.needs[0] if p.needs else "",
            needs=tuple(p.needs),
            flags=tuple(p.flags),
            provisions=counts.get(p.upn, 0),
            minutes_a_week=minutes.get(p.upn, 0),
            annual=annual,
            to_date=to_date,
            counted=counted,
            threshold=threshold,
            status=status,
            margin=margin,
            on_register=p.on_register,
            search_text=fold(" ".join(w for w in words if w)),
            codes=frozenset(c.lower() for c in codes if c),
        ))
    return rows


# Words that are codes: typed alone they select by code, never by a part of a name,
# so "k" finds SEN support rather than every Katie, and "y1" Year 1 rather than Year 11.
BASE_CODES = frozenset(
    {c.lower() for c in SEN_STATUSES} | {f.lower() for f in FLAGS} | {"over", "near", "under"}
    | {year_label(y).lower() for y in range(-2, 15)}
)


def filter_rows(rows: list[CaseloadRow], text: str, whole_school: bool) -> list[CaseloadRow]:
    """Rows on the register (or all, for the whole school) matching every typed word:
    a code word (year, status, need, flag, over/near) exactly, any other word anywhere
    in the name, UPN or class."""
    words = text.lower().split()
    codes = BASE_CODES.union(*(r.codes for r in rows)) if words else BASE_CODES
    code_words = [w for w in words if w in codes]
    text_words = [fold(w) for w in words if w not in codes]
    return [
        r for r in rows
        if (whole_school or r.on_register)
        and all(w in r.codes for w in code_words)
        and all(w in r.search_text for w in text_words)
    ]


_STATUS_ORDER = {"E": 0, "S": 1, "K": 2, "N": 3}

# Column key -> (heading, sort key). Headings are what the table shows.
SORTS: dict[str, tuple[str, Callable[[CaseloadRow], object]]] = {
    "name": ("Name", lambda r: (r.sort_name, r.upn)),
    "year": ("Yr", lambda r: (r.year_group if r.year_group is not None else 99, r.sort_name)),
    "class": ("Class", lambda r: (r.reg_group, r.sort_name)),
    "sen": ("SEN", lambda r: (_STATUS_ORDER.get(r.sen_status, 9), r.sort_name)),
    "need": ("Need", lambda r: (r.primary_need or "~", r.sort_name)),
    "flags": ("Flags", lambda r: (-len(r.flags), " ".join(r.flags), r.sort_name)),
    "provisions": ("Prov", lambda r: (r.provisions, r.sort_name)),
    "hours": ("Hrs/wk", lambda r: (r.minutes_a_week, r.sort_name)),
    "annual": ("Annual", lambda r: (r.annual, r.sort_name)),
    "threshold": ("Vs threshold", lambda r: (r.counted, r.sort_name)),
}
SORT_ORDER = tuple(SORTS)


def sort_rows(rows: list[CaseloadRow], column: str, reverse: bool = False) -> list[CaseloadRow]:
    return sorted(rows, key=SORTS[column][1], reverse=reverse)


def hours_text(minutes: int) -> str:
    """Minutes a week as hours: 90 -> "1.5", 0 -> "-"."""
    if not minutes:
        return "-"
    tenths = round_half_up(Fraction(minutes, 6))
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def totals(rows: Iterable[CaseloadRow]) -> tuple[int, int, int]:
    """(pupils, over the threshold, annual cost) of the rows shown."""
    n = over = annual = 0
    for r in rows:
        n += 1
        over += r.status == "over"
        annual += r.annual
    return n, over, annual
