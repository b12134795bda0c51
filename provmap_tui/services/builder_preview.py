"""The group-session builder's arithmetic, free of any UI.

The builder costs the whole map once (a Baseline), then on every keystroke costs
only the provision being edited and adjusts each member's total:
new total = old total - old share + new share. All figures come from
domain.costing, so what the builder previews is what the reports will say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Mapping

from provmap_tui.domain.calendar import SchoolCalendar
from provmap_tui.domain.costing import ProvisionCost, cost_provision, threshold_status
from provmap_tui.domain.models import Provision, Pupil
from provmap_tui.domain.money import format_gbp, round_half_up
from provmap_tui.domain.provision_map import ProvisionMap


@dataclass(frozen=True)
class Baseline:
    """Everything a preview needs, computed once when the builder opens."""

    as_of: date
    threshold: int
    calendar: SchoolCalendar
    staff_rates: Mapping[str, int]
    oncost_percent: Decimal
    counted_streams: frozenset[str]
    pupils: Mapping[str, Pupil]
    counted_totals: Mapping[str, int]  # upn -> counted annual total across the whole map
    original: Provision | None
    original_cost: ProvisionCost | None


def make_baseline(pm: ProvisionMap, as_of: date, provision_id: str | None = None) -> Baseline:
    """Cost the whole map once; remember the provision being edited (if any) and its cost."""
    summary = pm.costs(as_of)
    original = next((p for p in pm.provisions if p.id == provision_id), None) if provision_id else None
    return Baseline(
        as_of=as_of,
        threshold=pm.school.threshold_pence,
        calendar=pm.calendar,
        staff_rates=pm.staff_rates,
        oncost_percent=pm.school.oncost_percent,
        counted_streams=frozenset(s.code for s in pm.streams if s.counts_toward_threshold),
        pupils={p.upn: p for p in pm.pupils},
        counted_totals={upn: c.counted for upn, c in summary.pupils.items()},
        original=original,
        original_cost=summary.provisions.get(original.id) if original else None,
    )


@dataclass(frozen=True)
class MemberPreview:
    upn: str
    name: str
    share: int  # this provision's annual share for the pupil, after the edit
    old_share: int  # ... before the edit (0 for a new member)
    old_total: int  # the pupil's counted annual total before the edit
    new_total: int  # ... after it
    status: str  # over | near | under, for new_total
    margin: int  # excess when over, else headroom
    removed: bool = False

    def _verdict(self, over: str) -> str:
        if self.status == "over":
            return f"{over} {format_gbp(self.margin)}"
        if self.status == "near":
            return f"near, {format_gbp(self.margin)} left"
        return f"{format_gbp(self.margin)} left"

    @property
    def change_text(self) -> str:
        """ "£5,840.00 -> £6,120.00, over by £120.00" (readable without colour)."""
        verdict = self._verdict("over by")
        if self.new_total == self.old_total:
            return f"{format_gbp(self.new_total)} (no change), {verdict}"
        return f"{format_gbp(self.old_total)} -> {format_gbp(self.new_total)}, {verdict}"

    @property
    def short_text(self) -> str:
        """The same in about 35 characters, for 80-column terminals."""
        verdict = self._verdict("over")
        if self.new_total == self.old_total:
            return f"{format_gbp(self.new_total)} same, {verdict}"
        return f"{format_gbp(self.old_total)} -> {format_gbp(self.new_total)}, {verdict}"


@dataclass(frozen=True)
class Preview:
    weekly: int  # pence a week, all staff
    annual: int
    to_date: int
    old_annual: int  # the saved provision's annual cost (0 when new)
    first_day: date | None  # first and last pupil days of the run
    last_day: date | None
    weeks: Fraction  # pupil days in the run / 5
    counts_toward_threshold: bool
    members: tuple[MemberPreview, ...]
    removed: tuple[MemberPreview, ...]  # members of the saved provision no longer in it
    outside_run: tuple[MemberPreview, ...] = ()  # members whose join/leave dates miss every day of the run

    @property
    def over(self) -> int:
        return sum(1 for m in self.members if m.status == "over")


def preview(base: Baseline, draft: Provision) -> Preview:
    """Cost one draft provision and each member's new counted total."""
    cost = cost_provision(draft, base.calendar, base.staff_rates, base.oncost_percent, base.as_of)
    old = base.original_cost
    old_counts = base.original is not None and base.original.funding_stream in base.counted_streams
    new_counts = draft.funding_stream in base.counted_streams
    old_shares = dict(old.annual_shares) if old else {}

    def member(upn: str, share: int, removed: bool = False) -> MemberPreview:
        before = base.counted_totals.get(upn, 0)
        old_share = old_shares.get(upn, 0)
        after = before - (old_share if old_counts else 0) + (share if new_counts else 0)
        status, margin = threshold_status(after, base.threshold)
        pupil = base.pupils.get(upn)
        return MemberPreview(upn, pupil.name if pupil else upn, share, old_share, before, after, status, margin,
                             removed)

    members = tuple(member(m.upn, cost.annual_shares.get(m.upn, 0)) for m in draft.members)
    in_draft = {m.upn for m in draft.members}
    removed = tuple(member(upn, 0, removed=True) for upn in old_shares if upn not in in_draft)
    return Preview(
        weekly=round_half_up(cost.weekly),
        annual=cost.annual,
        to_date=cost.to_date,
        old_annual=old.annual if old else 0,
        first_day=base.calendar.nth_day_from(cost.run_start, 1) if cost.run_days and cost.run_start else None,
        last_day=base.calendar.nth_day_from(cost.run_start, cost.run_days) if cost.run_days and cost.run_start else None,
        weeks=Fraction(cost.run_days, 5),
        counts_toward_threshold=new_counts,
        members=members,
        removed=removed,
        outside_run=tuple(m for m in members if m.upn not in cost.exact_annual),
    )
