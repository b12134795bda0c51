"""The cost report (exchange-format.md §2) as data, JSON, CSV and a Rich table.

Every figure comes from domain.costing; this module only arranges them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from provmap_tui.domain.codes import SEN_STATUSES, year_label
from provmap_tui.domain.costing import CostSummary, PupilCost, threshold_status
from provmap_tui.domain.models import Pupil
from provmap_tui.domain.money import format_gbp, pence_str
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services.sheet_text import SafeWriter


@dataclass(frozen=True)
class PupilLine:
    pupil: Pupil
    cost: PupilCost
    status: str  # over | near | under
    margin: int  # excess when over, else headroom


@dataclass(frozen=True)
class CostReport:
    pm: ProvisionMap
    summary: CostSummary
    lines: tuple[PupilLine, ...]


def build(pm: ProvisionMap, as_of: date) -> CostReport:
    """Cost the map; one line per current pupil on the register or in any provision."""
    summary = pm.costs(as_of)
    threshold = pm.school.threshold_pence
    lines = []
    for p in pm.pupils:
        cost = summary.pupils.get(p.upn)
        if cost is None and (not p.on_register or p.has_left(as_of)):
            continue  # no provision, and not on the register (or already left) on that date
        cost = cost or PupilCost(p.upn)
        status, margin = threshold_status(cost.counted, threshold)
        lines.append(PupilLine(p, cost, status, margin))
    return CostReport(pm, summary, tuple(lines))


def to_json(report: CostReport) -> dict[str, Any]:
    s = report.summary
    return {
        "academic_year": report.pm.school.academic_year,
        "as_of": s.as_of.isoformat(),
        "threshold": pence_str(s.threshold),
        "pupils": [
            {
                "upn": line.pupil.upn,
                "name": line.pupil.name,
                "annual": pence_str(line.cost.annual),
                "to_date": pence_str(line.cost.to_date),
                "counted": pence_str(line.cost.counted),
                "over_threshold": line.status == "over",
                "by_stream": {code: pence_str(v) for code, v in sorted(line.cost.by_stream.items())},
                "provisions": [
                    {"id": pid, "annual": pence_str(a), "to_date": pence_str(t)} for pid, a, t in line.cost.provisions
                ],
            }
            for line in report.lines
        ],
        "provisions": [
            {"id": pid, "annual": pence_str(pc.annual), "to_date": pence_str(pc.to_date)}
            for pid, pc in s.provisions.items()
        ],
        "streams": [
            {"code": st.code, "budget": pence_str(st.budget), "annual": pence_str(st.annual),
             "to_date": pence_str(st.to_date)}
            for st in s.streams.values()
        ],
    }


CSV_HEADER = ["upn", "name", "year", "sen_status", "primary_need", "annual", "to_date", "counted",
              "threshold_status", "excess_or_headroom"]


def to_csv(report: CostReport) -> str:
    """One row per pupil, money as plain decimals so spreadsheets sum them exactly."""
    out = io.StringIO()
    w = SafeWriter(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for line in report.lines:
        p, c = line.pupil, line.cost
        w.writerow([p.upn, p.name, year_label(p.year_group), p.sen_status, p.needs[0] if p.needs else "",
                    pence_str(c.annual), pence_str(c.to_date), pence_str(c.counted), line.status,
                    pence_str(line.margin)])
    return out.getvalue()


def status_text(line: PupilLine) -> str:
    """Readable without colour: the words carry the meaning."""
    if line.status == "over":
        return f"OVER by {format_gbp(line.margin)}"
    if line.status == "near":
        return f"near: {format_gbp(line.margin)} left"
    return f"{format_gbp(line.margin)} left"


def to_rich(report: CostReport):
    """Rich renderables: the pupils table and the stream totals."""
    from rich.table import Table

    pupils = Table(title=f"{report.pm.school.name}: costs for {report.pm.school.academic_year}"
                         f" (threshold {format_gbp(report.summary.threshold)})")
    for col, justify in (("Pupil", "left"), ("Year", "left"), ("SEN", "left"), ("Need", "left"),
                         ("Annual", "right"), ("Counted", "right"), ("Threshold", "left")):
        pupils.add_column(col, justify=justify)  # type: ignore[arg-type]
    ordered = sorted(report.lines, key=lambda l: (-l.cost.counted, l.pupil.surname, l.pupil.forename))
    for line in ordered:
        p = line.pupil
        style = "bold red" if line.status == "over" else ("yellow" if line.status == "near" else "")
        pupils.add_row(p.name, year_label(p.year_group), SEN_STATUSES.get(p.sen_status, p.sen_status),
                       p.needs[0] if p.needs else "", format_gbp(line.cost.annual), format_gbp(line.cost.counted),
                       status_text(line), style=style)
    streams = Table(title="Funding streams")
    for col in ("Stream", "Budget", "Planned (annual)", "Spent to date"):
        streams.add_column(col, justify="left" if col == "Stream" else "right")
    names = {s.code: s.name for s in report.pm.streams}
    total = [0, 0, 0]
    for st in report.summary.streams.values():
        streams.add_row(f"{st.code} {names.get(st.code, '')}", format_gbp(st.budget), format_gbp(st.annual),
                        format_gbp(st.to_date))
        total = [total[0] + st.budget, total[1] + st.annual, total[2] + st.to_date]
    streams.add_row("Total", *(format_gbp(t) for t in total), style="bold")
    over = sum(1 for l in report.lines if l.status == "over")
    return pupils, streams, f"{len(report.lines)} pupils costed; {over} over the threshold."
