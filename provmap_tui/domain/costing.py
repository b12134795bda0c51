"""The costing rule (costing.md, rule v1): the one place money is computed.

Pure and free of I/O. Every screen, report, PDF and export calls this module.
Exact values are Fractions of a penny; results are integer pence, rounded once
per provision so that its pupils' shares add up to its total exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import TYPE_CHECKING

from provmap_tui.domain.calendar import SchoolCalendar
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.money import round_half_up

if TYPE_CHECKING:  # only annotations here: the caseload's first paint costs without loading pydantic
    from provmap_tui.domain.models import FundingStream, Provision

RULE_VERSION = 1
NEAR_THRESHOLD = Fraction(8, 10)  # "near" = 80% of the threshold or more


@dataclass(frozen=True)
class Segment:
    """A stretch of the run in which the same members are active."""

    start: date
    end: date
    pupil_days: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class ProvisionCost:
    provision_id: str
    weekly: Fraction  # pence a week for the whole session, all staff
    daily: Fraction
    run_start: date | None
    run_end: date | None
    run_days: int
    segments: tuple[Segment, ...]
    exact_annual: Mapping[str, Fraction]
    annual_shares: Mapping[str, int]
    to_date_shares: Mapping[str, int]
    annual: int
    to_date: int


@dataclass
class PupilCost:
    upn: str
    annual: int = 0
    to_date: int = 0
    counted: int = 0
    by_stream: dict[str, int] = field(default_factory=dict)
    provisions: list[tuple[str, int, int]] = field(default_factory=list)  # (id, annual, to_date)


@dataclass
class StreamCost:
    code: str
    budget: int
    annual: int = 0
    to_date: int = 0


@dataclass(frozen=True)
class CostSummary:
    as_of: date
    threshold: int
    provisions: dict[str, ProvisionCost]
    pupils: dict[str, PupilCost]
    streams: dict[str, StreamCost]


def weekly_cost(
    prov: Provision, staff_rates: Mapping[str, int], oncost_percent: Decimal
) -> Fraction:
    """Σ rate × (1 + oncost) × minutes/60 × sessions a week, in exact pence."""
    loading = 1 + Fraction(oncost_percent) / 100
    total = Fraction(0)
    for i, s in enumerate(prov.staff):
        rate = s.hourly_rate_pence
        if rate is None:
            if s.staff_id not in staff_rates:
                raise InvalidInput(f"provisions[{prov.id}].staff[{i}]", f"no staff member {s.staff_id!r}")
            rate = staff_rates[s.staff_id]
        total += rate
    return total * loading * Fraction(prov.minutes, 60) * prov.sessions_per_week


def provision_run(prov: Provision, cal: SchoolCalendar) -> tuple[date, date]:
    """First and last date of a provision's run (costing.md, "Which days it runs")."""
    lo, hi = cal.bounds
    start = prov.start or lo
    if prov.weeks is not None:
        end = cal.nth_day_from(start, 5 * prov.weeks) or hi
    else:
        end = prov.end or hi
    return max(start, lo), min(end, hi)


def allocate(exact: Mapping[str, Fraction]) -> tuple[int, dict[str, int]]:
    """Round once: total half-up; shares down, leftover pence to the largest
    remainders (ties by UPN, ascending). Shares always sum to the total."""
    if not exact:
        return 0, {}
    total = round_half_up(sum(exact.values(), Fraction(0)))
    floors = {k: v.numerator // v.denominator for k, v in exact.items()}
    leftover = total - sum(floors.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))
    for k in order[:leftover]:
        floors[k] += 1
    return total, floors


def cost_provision(
    prov: Provision,
    cal: SchoolCalendar,
    staff_rates: Mapping[str, int],
    oncost_percent: Decimal,
    as_of: date,
) -> ProvisionCost:
    """Each member's annual and to-date share of one provision."""
    weekly = weekly_cost(prov, staff_rates, oncost_percent)
    daily = weekly / 5
    run_start, run_end = provision_run(prov, cal)
    one_day = timedelta(days=1)

    # Each member's active interval, clipped to the run.
    active: dict[str, tuple[date, date]] = {}
    for m in prov.members:
        s = max(m.start or run_start, run_start)
        e = min(m.end or run_end, run_end)
        if s <= e:
            active[m.upn] = (s, e)

    cuts = {run_start, run_end + one_day}
    if run_start <= as_of < run_end:
        cuts.add(as_of + one_day)
    for s, e in active.values():
        cuts.add(s)
        cuts.add(e + one_day)
    bounds = sorted(cuts)

    segments: list[Segment] = []
    for a, b in zip(bounds, bounds[1:]):
        end = b - one_day
        if a < run_start or end > run_end:
            continue
        days = cal.count_days(a, end)
        members = tuple(sorted(u for u, (s, e) in active.items() if s <= a and e >= end))
        if days and members:
            segments.append(Segment(a, end, days, members))

    # Sum days/n per member over a common denominator: integers, then one Fraction each.
    denom = lcm(*(len(seg.members) for seg in segments)) if segments else 1
    units_year = dict.fromkeys(active, 0)
    units_to_date = dict.fromkeys(active, 0)
    for seg in segments:
        w = seg.pupil_days * (denom // len(seg.members))
        past = seg.end <= as_of
        for u in seg.members:
            units_year[u] += w
            if past:
                units_to_date[u] += w

    one_off = (Fraction(prov.resource_cost_pence, len(active)) if active else Fraction(0))
    one_off += prov.per_pupil_cost_pence
    day_unit = daily / denom
    exact_year = {u: day_unit * units_year[u] + one_off for u in active}
    exact_to_date = {
        u: day_unit * units_to_date[u] + (one_off if active[u][0] <= as_of else 0) for u in active
    }
    annual, annual_shares = allocate(exact_year)
    to_date, to_date_shares = allocate(exact_to_date)
    return ProvisionCost(
        provision_id=prov.id,
        weekly=weekly,
        daily=daily,
        run_start=run_start,
        run_end=run_end,
        run_days=cal.count_days(run_start, run_end),
        segments=tuple(segments),
        exact_annual=exact_year,
        annual_shares=annual_shares,
        to_date_shares=to_date_shares,
        annual=annual,
        to_date=to_date,
    )


def cost_all(
    provisions: Iterable[Provision],
    streams: Iterable[FundingStream],
    cal: SchoolCalendar,
    staff_rates: Mapping[str, int],
    oncost_percent: Decimal,
    threshold: int,
    as_of: date,
) -> CostSummary:
    """Cost every provision and total them by pupil and by stream."""
    stream_map = {s.code: StreamCost(s.code, s.budget_pence) for s in streams}
    counts = {s.code for s in streams if s.counts_toward_threshold}
    prov_costs: dict[str, ProvisionCost] = {}
    pupils: dict[str, PupilCost] = {}
    for prov in provisions:
        pc = cost_provision(prov, cal, staff_rates, oncost_percent, as_of)
        prov_costs[prov.id] = pc
        stream = stream_map.setdefault(prov.funding_stream, StreamCost(prov.funding_stream, 0))
        stream.annual += pc.annual
        stream.to_date += pc.to_date
        for upn, share in pc.annual_shares.items():
            row = pupils.get(upn)
            if row is None:
                row = pupils[upn] = PupilCost(upn)
            td = pc.to_date_shares[upn]
            row.annual += share
            row.to_date += td
            row.by_stream[prov.funding_stream] = row.by_stream.get(prov.funding_stream, 0) + share
            if prov.funding_stream in counts:
                row.counted += share
            row.provisions.append((prov.id, share, td))
    return CostSummary(as_of, threshold, prov_costs, pupils, stream_map)


def threshold_status(counted: int, threshold: int) -> tuple[str, int]:
    """("over", excess) | ("near", headroom) at 80%+ | ("under", headroom)."""
    if counted > threshold:
        return "over", counted - threshold
    if threshold and Fraction(counted, threshold) >= NEAR_THRESHOLD:
        return "near", threshold - counted
    return "under", threshold - counted
