"""Every place a pupil's cost is shown gives the same figures: the caseload, the pupil
screen, the budget, `report costs`, the panel evidence sheet and the grid export."""

from __future__ import annotations

from datetime import date

import pytest

from provmap_tui.services import budget, caseload, cost_report, grid, panel_evidence, pupil_summary
from provmap_tui.services.setup import open_school
from provmap_tui.store import pupils, snapshot


@pytest.mark.parametrize("as_of", [date(2026, 9, 1), date(2027, 1, 31), date(2027, 8, 31)])
def test_every_pupils_totals_agree_everywhere(demo_path, as_of):
    conn = open_school(demo_path)
    pm, need_types = snapshot.load(conn), pupils.need_types(conn)
    conn.close()
    report = cost_report.build(pm, as_of)
    rows = {r.upn: r for r in caseload.build_rows(pm, as_of)}
    overview = budget.build(pm, as_of)
    flagged = {t.upn: t for t in (*overview.over, *overview.near)}
    the_grid = grid.build(pm, as_of)
    grid_rows = {r.upn: r for r in the_grid.rows}
    assert len(report.lines) == 45

    for line in report.lines:
        upn, cost = line.pupil.upn, line.cost
        figures = (cost.annual, cost.to_date, cost.counted, line.status, line.margin)

        row = rows[upn]
        assert (row.annual, row.to_date, row.counted, row.status, row.margin) == figures, upn

        summary = pupil_summary.summarise(pm, upn, need_types, as_of)
        assert (summary.annual, summary.to_date, summary.counted, summary.status, summary.margin) == figures, upn
        assert sum(s[2] for s in summary.by_stream) == cost.annual
        assert sum(s[2] for s in summary.by_stream if s[4]) == cost.counted
        assert len(summary.lines) == row.provisions
        assert sum(pl.weekly_minutes for pl in summary.lines) == row.minutes_a_week

        sheet = panel_evidence.build(pm, upn, as_of, need_types)
        assert (sheet.annual, sheet.to_date, sheet.counted, sheet.status, sheet.margin) == figures, upn
        assert sum(s.annual for s in sheet.streams if s.counts) == cost.counted

        g = grid_rows[upn]
        assert g.annual == sum(c.pence for c in g.cells.values()) == cost.annual, upn
        assert g.minutes == row.minutes_a_week, upn

        if line.status in ("over", "near"):
            t = flagged[upn]
            assert (t.annual, t.counted, t.status, t.margin) == (cost.annual, cost.counted, line.status, line.margin)
        else:
            assert upn not in flagged

    annual = sum(pl.cost.annual for pl in report.lines)
    to_date = sum(pl.cost.to_date for pl in report.lines)
    assert overview.annual_total == the_grid.annual == annual
    assert overview.to_date_total == to_date
    assert sum(t.annual for t in overview.by_year) == sum(t.annual for t in overview.by_need) == annual
    assert sum(t.annual for t in overview.by_intervention) == annual


def test_the_same_pupils_are_listed_everywhere_around_a_leaving_date(demo_path):
    """A pupil leaving at Easter is still on roll in January: on the caseload, in the cost
    report and in the grid alike; after Easter, in none of them unless they had provision."""
    from dataclasses import replace

    conn = open_school(demo_path)
    pm = snapshot.load(conn)
    conn.close()
    summary = pm.costs(date(2027, 1, 31))
    idle = next(p for p in pm.pupils if p.on_register and p.upn not in summary.pupils)
    leaver = idle.model_copy(update={"left_on": date(2027, 4, 1)})
    pm = replace(pm, pupils=tuple(leaver if p.upn == idle.upn else p for p in pm.pupils))
    for as_of, listed in ((date(2027, 1, 31), True), (date(2027, 5, 1), False)):
        register = {r.upn for r in caseload.build_rows(pm, as_of) if r.on_register}
        assert (idle.upn in register) is listed
        assert {pl.pupil.upn for pl in cost_report.build(pm, as_of).lines} == register
        assert {r.upn for r in grid.build(pm, as_of).rows} == register
