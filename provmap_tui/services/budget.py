"""The school's SEND spend at a glance: streams against budget, totals by year
group, need and intervention, the register by status and need, and the pupils
over (or near) the notional threshold.

Plain dataclasses of integer pence, for the budget screen and the governors'
report alike. Every figure comes from domain.costing via cost_report, so the
totals here reconcile with the cost report to the penny.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from provmap_tui.domain.codes import AREAS, SEN_STATUSES, year_label
from provmap_tui.domain.models import Pupil
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services import cost_report

NO_YEAR = "No year group"
NO_NEED = "No need recorded"


@dataclass(frozen=True)
class StreamLine:
    code: str
    name: str
    budget: int
    annual: int  # planned spend for the year
    to_date: int
    counts_toward_threshold: bool

    @property
    def remaining(self) -> int:
        """Budget left after the planned spend (negative when over budget)."""
        return self.budget - self.annual

    @property
    def over_budget(self) -> bool:
        return self.annual > self.budget


@dataclass(frozen=True)
class Total:
    """Spend for one year group, need or intervention."""

    key: str
    label: str
    annual: int
    to_date: int
    pupils: int  # distinct pupils with a share in it
    upns: frozenset[str] = field(default=frozenset(), repr=False)  # who: merged totals count each pupil once


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ThresholdLine:
    upn: str
    name: str
    initials: str  # instead of the name in the anonymised governors' report: "A.B. Y5"
    year: str
    primary_need: str
    counted: int
    annual: int
    status: str  # over | near
    margin: int  # excess when over, headroom when near
    provisions: int


@dataclass(frozen=True)
class BudgetOverview:
    school_name: str
    academic_year: str
    as_of: date
    threshold: int
    streams: tuple[StreamLine, ...]
    budget_total: int
    annual_total: int
    to_date_total: int
    by_year: tuple[Total, ...]
    by_need: tuple[Total, ...]
    by_area: tuple[Total, ...]
    by_intervention: tuple[Total, ...]
    register_by_status: tuple[Count, ...]
    register_by_need: tuple[Count, ...]
    register_total: int
    over: tuple[ThresholdLine, ...]  # the panel evidence list: highest excess first
    near: tuple[ThresholdLine, ...]  # 80% of the threshold or more; least headroom first


def initials(p: Pupil) -> str:
    """ "Amelia Brown", Year 5 -> "A.B. Y5": enough for governors, not a name."""
    first = (p.preferred_forename or p.forename)[:1].upper()
    last = (p.preferred_surname or p.surname)[:1].upper()
    year = year_label(p.year_group)
    return f"{first}.{last}." + (f" {year}" if year else "")


class _Acc:
    """Running annual and to-date totals, and which pupils had a share."""

    def __init__(self) -> None:
        self.annual = 0
        self.to_date = 0
        self.pupils: set[str] = set()

    def add(self, annual: int, to_date: int, upns: Iterable[str]) -> None:
        self.annual += annual
        self.to_date += to_date
        self.pupils.update(upns)

    def total(self, key: str, label: str) -> Total:
        return Total(key, label, self.annual, self.to_date, len(self.pupils), frozenset(self.pupils))


def top(totals: Sequence[Total], n: int, what: str = "interventions") -> tuple[Total, ...]:
    """The n biggest (totals come biggest first); the rest folded into one "Other" total,
    so a chart stays readable and still adds up to the whole."""
    if len(totals) <= n:
        return tuple(totals)
    rest = totals[n - 1:]
    acc = _Acc()
    for t in rest:
        acc.add(t.annual, t.to_date, t.upns)
    return (*totals[:n - 1], acc.total("", f"Other ({len(rest)} {what})"))


def build(pm: ProvisionMap, as_of: date, need_labels: Mapping[str, str] | None = None) -> BudgetOverview:
    """Cost the map once and arrange it every way the budget screen and report need."""
    report = cost_report.build(pm, as_of)
    summary = report.summary
    labels = dict(need_labels or {})
    by_upn = {p.upn: p for p in pm.pupils}
    areas = {i.name: i.area for i in pm.interventions}

    names = {s.code: s.name for s in pm.streams}
    counts = {s.code: s.counts_toward_threshold for s in pm.streams}
    streams = tuple(
        StreamLine(st.code, names.get(st.code, st.code), st.budget, st.annual, st.to_date, counts.get(st.code, False))
        for st in summary.streams.values()
    )

    years: dict[str, _Acc] = {}
    needs: dict[str, _Acc] = {}
    for upn, cost in summary.pupils.items():
        p = by_upn.get(upn)
        year = p.year_group if p is not None else None
        years.setdefault(str(year) if year is not None else "", _Acc()).add(cost.annual, cost.to_date, (upn,))
        needs.setdefault(p.needs[0] if p is not None and p.needs else "", _Acc()).add(cost.annual, cost.to_date, (upn,))

    interventions: dict[str, _Acc] = {}
    area_totals: dict[str, _Acc] = {}
    prov_by_id = {p.id: p for p in pm.provisions}
    for pid, pc in summary.provisions.items():
        name = prov_by_id[pid].intervention
        interventions.setdefault(name, _Acc()).add(pc.annual, pc.to_date, pc.annual_shares)
        area_totals.setdefault(areas.get(name, ""), _Acc()).add(pc.annual, pc.to_date, pc.annual_shares)

    def biggest_first(acc: dict[str, _Acc]) -> list[str]:
        return sorted(acc, key=lambda k: (-acc[k].annual, k))

    by_year = tuple(
        years[k].total(k, year_label(int(k)) if k else NO_YEAR)
        for k in sorted(years, key=lambda k: (1, 0) if k == "" else (0, int(k)))
    )
    by_need = tuple(needs[k].total(k, labels.get(k, k) if k else NO_NEED) for k in biggest_first(needs))
    by_area = tuple(area_totals[k].total(k, AREAS.get(k, k or "Other")) for k in biggest_first(area_totals))
    by_intervention = tuple(interventions[k].total(k, k) for k in biggest_first(interventions))

    register = [p for p in pm.pupils if p.on_register and not p.has_left(as_of)]
    status_counts: dict[str, int] = {}
    need_counts: dict[str, int] = {}
    for p in register:
        status_counts[p.sen_status] = status_counts.get(p.sen_status, 0) + 1
        key = p.needs[0] if p.needs else ""
        need_counts[key] = need_counts.get(key, 0) + 1
    register_by_status = tuple(
        Count(code, SEN_STATUSES[code], status_counts[code]) for code in SEN_STATUSES if code in status_counts
    )
    register_by_need = tuple(
        Count(k, labels.get(k, k) if k else NO_NEED, v) for k, v in sorted(need_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )

    def line(pl: cost_report.PupilLine) -> ThresholdLine:
        p = pl.pupil
        return ThresholdLine(p.upn, p.name, initials(p), year_label(p.year_group), p.needs[0] if p.needs else "",
                             pl.cost.counted, pl.cost.annual, pl.status, pl.margin, len(pl.cost.provisions))

    over = tuple(line(pl) for pl in sorted(
        (pl for pl in report.lines if pl.status == "over"), key=lambda pl: (-pl.margin, pl.pupil.surname, pl.pupil.upn)))
    near = tuple(line(pl) for pl in sorted(
        (pl for pl in report.lines if pl.status == "near"), key=lambda pl: (pl.margin, pl.pupil.surname, pl.pupil.upn)))

    return BudgetOverview(
        school_name=pm.school.name,
        academic_year=pm.school.academic_year,
        as_of=as_of,
        threshold=pm.school.threshold_pence,
        streams=streams,
        budget_total=sum(s.budget for s in streams),
        annual_total=sum(s.annual for s in streams),
        to_date_total=sum(s.to_date for s in streams),
        by_year=by_year,
        by_need=by_need,
        by_area=by_area,
        by_intervention=by_intervention,
        register_by_status=register_by_status,
        register_by_need=register_by_need,
        register_total=len(register),
        over=over,
        near=near,
    )
