"""A whole school's provision map in memory: what the costing rule needs at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from provmap_tui.domain.calendar import SchoolCalendar
from provmap_tui.domain.costing import CostSummary, cost_all

if TYPE_CHECKING:  # only annotations here: see costing.py
    from provmap_tui.domain.models import FundingStream, Intervention, Provision, Pupil, SchoolSettings, Staff


@dataclass(frozen=True)
class ProvisionMap:
    school: SchoolSettings
    calendar: SchoolCalendar
    streams: tuple[FundingStream, ...]
    staff: tuple[Staff, ...]
    pupils: tuple[Pupil, ...]
    interventions: tuple[Intervention, ...]
    provisions: tuple[Provision, ...]

    @property
    def staff_rates(self) -> dict[str, int]:
        return {s.id: s.hourly_rate_pence for s in self.staff}

    def costs(self, as_of: date) -> CostSummary:
        """Every provision, pupil and stream costed by the one rule."""
        return cost_all(
            self.provisions,
            self.streams,
            self.calendar,
            self.staff_rates,
            self.school.oncost_percent,
            self.school.threshold_pence,
            as_of,
        )
