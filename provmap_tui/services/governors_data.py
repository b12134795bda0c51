"""What the governors' SEND report shows, as plain data (no drawing here).

Totals by funding stream against budget; spend by year group, by primary need and
by intervention; the register by status and need; pupils over the threshold.
Every amount is a sum of figures from domain.costing, so each breakdown adds up
to the same whole-school total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from provmap_tui.domain.codes import SEN_STATUSES, year_label
from provmap_tui.domain.costing import threshold_status
from provmap_tui.domain.models import Pupil
from provmap_tui.domain.provision_map import ProvisionMap


@dataclass(frozen=True)
class StreamBudget:
    code: str
    name: str
    budget: int
    annual: int
    to_date: int

    @property
    def remaining(self) -> int:
        return self.budget - self.annual


@dataclass(frozen=True)
class Share:
    """One bar of a breakdown: a label, its annual spend and how many pupils it covers."""

    label: str
    annual: int
    pupils: int
    upns: frozenset[str] = frozenset()  # who they are, so merged bars count each pupil once


@dataclass(frozen=True)
class Count:
    label: str
    pupils: int


@dataclass(frozen=True)
class OverThreshold:
    name: str  # full name, or initials and year when anonymised
    year: str
    counted: int
    excess: int


@dataclass(frozen=True)
class GovernorsData:
    school_name: str
    academic_year: str
    as_of: date
    threshold: int
    anonymised: bool
    streams: tuple[StreamBudget, ...]
    total_annual: int
    by_year: tuple[Share, ...]
    by_need: tuple[Share, ...]
    by_intervention: tuple[Share, ...]
    register_by_status: tuple[Count, ...]
    register_by_need: tuple[Count, ...]
    over: tuple[OverThreshold, ...]

    @property
    def on_register(self) -> int:
        return sum(c.pupils for c in self.register_by_status)


def anonymous_name(p: Pupil) -> str:
    """Initials and year, e.g. "Ł.W. (Y5)": enough for governors, not enough to identify."""
    return f"{p.forename[:1]}.{p.surname[:1]}. ({year_label(p.year_group) or 'no year'})"


def build(pm: ProvisionMap, need_types: Mapping[str, tuple[str, str]], as_of: date, *,
          anonymise: bool = False) -> GovernorsData:
    summary = pm.costs(as_of)
    names = {s.code: s.name for s in pm.streams}
    streams = tuple(StreamBudget(st.code, names.get(st.code, st.code), st.budget, st.annual, st.to_date)
                    for st in summary.streams.values())
    by_upn = {p.upn: p for p in pm.pupils}

    years: dict[int | None, list[int]] = {}
    needs: dict[str, list[int]] = {}
    for upn, cost in summary.pupils.items():
        p = by_upn.get(upn)
        year = p.year_group if p else None
        years.setdefault(year, [0, 0])
        years[year][0] += cost.annual
        years[year][1] += 1
        need = p.needs[0] if p and p.needs else ""
        needs.setdefault(need, [0, 0])
        needs[need][0] += cost.annual
        needs[need][1] += 1
    by_year = tuple(Share(year_label(y) or "No year group", a, n)
                    for y, (a, n) in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
    need_order = list(need_types)
    by_need = tuple(
        Share(need_types[code][0] if code in need_types else (code or "No SEN need recorded"), a, n)
        for code, (a, n) in sorted(needs.items(), key=lambda kv: -kv[1][0])
    )

    interventions: dict[str, list] = {}
    for prov in pm.provisions:
        pc = summary.provisions[prov.id]
        row = interventions.setdefault(prov.intervention, [0, set()])
        row[0] += pc.annual
        row[1].update(pc.annual_shares)
    by_intervention = tuple(Share(name, a, len(members), frozenset(members))
                            for name, (a, members) in sorted(interventions.items(), key=lambda kv: -kv[1][0]))

    current = [p for p in pm.pupils if p.on_register and p.left_on is None]
    register_by_status = tuple(Count(SEN_STATUSES[s], n) for s in ("K", "E", "S")
                               if (n := sum(1 for p in current if p.sen_status == s)))
    need_counts: dict[str, int] = {}
    for p in current:
        if p.needs:
            need_counts[p.needs[0]] = need_counts.get(p.needs[0], 0) + 1
    register_by_need = tuple(
        Count(need_types[c][0] if c in need_types else c, need_counts[c])
        for c in sorted(need_counts, key=lambda c: (-need_counts[c], need_order.index(c) if c in need_order else 99))
    )

    over = []
    for upn, cost in summary.pupils.items():
        status, excess = threshold_status(cost.counted, summary.threshold)
        if status == "over" and upn in by_upn:
            p = by_upn[upn]
            over.append(OverThreshold(anonymous_name(p) if anonymise else p.name, year_label(p.year_group),
                                      cost.counted, excess))
    over.sort(key=lambda o: -o.counted)
    return GovernorsData(pm.school.name, pm.school.academic_year, as_of, summary.threshold, anonymise, streams,
                         sum(s.annual for s in streams), by_year, by_need, by_intervention, register_by_status,
                         register_by_need, tuple(over))
