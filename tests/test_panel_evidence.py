"""The panel evidence sheet shows the costing rule's own figures, and they add up."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

from provmap_tui.services import cost_report, panel_evidence
from provmap_tui.services.setup import open_school
from provmap_tui.store import pupils, snapshot
from tests.pdf_fixtures import AS_OF, demo_db, pdf_reader, pdf_text, tiny_conn, tiny_db, upn  # noqa: F401


def test_every_pupils_lines_add_up_to_the_cost_report(demo_db):
    conn = open_school(demo_db)
    pm, need_types = snapshot.load(conn), pupils.need_types(conn)
    conn.close()
    report = cost_report.build(pm, AS_OF)
    assert len(report.lines) == 45
    for line in report.lines:
        sheet = panel_evidence.build(pm, line.pupil.upn, AS_OF, need_types)
        assert sum(l.share for l in sheet.lines) == sheet.annual == line.cost.annual
        assert sum(l.to_date for l in sheet.lines) == line.cost.to_date
        assert sum(s.annual for s in sheet.streams) == line.cost.annual
        assert sheet.counted == line.cost.counted
        assert (sheet.status, sheet.margin) == (line.status, line.margin)
        for l in sheet.lines:
            assert sum(s.days for s in l.stretches) == l.pupil_days
            shown = sum((s.exact for s in l.stretches), Fraction(0))
            assert shown + Fraction(l.resource_cost, l.resource_split) + l.per_pupil_cost == l.exact


def test_worked_example_shows_the_group_change(tiny_conn):
    pm = snapshot.load(tiny_conn)
    a = panel_evidence.build(pm, upn(1), AS_OF)
    c = panel_evidence.build(pm, upn(3), AS_OF)
    [la], [lc] = a.lines, c.lines
    assert (la.share, lc.share) == (16340, 6020)  # £163.40 and £60.20, costing.md's worked example
    assert panel_evidence.group_text(la) == "2 for 40 days\n3 for 35 days"
    assert panel_evidence.calculation_text(la).splitlines() == [
        "40 days × £5.16 a day ÷ 2 = £103.20 (7 Sep 2026 to 30 Oct 2026)",
        "35 days × £5.16 a day ÷ 3 = £60.20 (2 Nov 2026 to 18 Dec 2026)",
    ]
    assert (la.pupil_days, la.weeks, lc.pupil_days, lc.weeks) == (75, 15, 35, 7)
    assert panel_evidence.money(la.weekly) == "£25.80"


def test_pdf_shows_lines_totals_and_headroom(tiny_conn):
    pm = snapshot.load(tiny_conn)
    sheet = panel_evidence.build(pm, upn(1), AS_OF, pupils.need_types(tiny_conn))
    data = panel_evidence.to_pdf(sheet)
    text = " ".join(pdf_text(data).split())
    for expected in ("Łukasz Wiśniewski", "Talk Boost KS1", "Zoë Ådland (TA) £17.20/h", "30 min × 3", "£25.80",
                     "75 (15 weeks)", "2 for 40 days", "£163.40", "Total for the year", "Notional SEN budget (SEN)",
                     "Headroom below the threshold: £5,836.60", "£6,000.00"):
        assert expected in text, expected
    assert len(pdf_reader(data).pages) == 1


def test_over_threshold_is_shown_as_the_excess(demo_db):
    conn = open_school(demo_db)
    pm = snapshot.load(conn)
    conn.close()
    over = [l for l in cost_report.build(pm, AS_OF).lines if l.status == "over"][0]
    sheet = panel_evidence.build(pm, over.pupil.upn, AS_OF)
    text = " ".join(pdf_text(panel_evidence.to_pdf(sheet)).split())
    assert f"Over the threshold by £{over.margin // 100:,}.{over.margin % 100:02d}" in text


def test_csv_lines_and_totals(tiny_conn):
    pm = snapshot.load(tiny_conn)
    rows = list(csv.DictReader(io.StringIO(panel_evidence.to_csv(panel_evidence.build(pm, upn(3), AS_OF)))))
    line = rows[0]
    assert (line["provision"], line["weekly_cost"], line["pupil_days"], line["weeks"], line["group_size"],
            line["annual_share"]) == ("P001", "25.80", "35", "7", "3", "60.20")
    summary = {r["provision"]: r["annual_share"] for r in rows[1:]}
    assert summary == {"total SEN": "60.20", "total": "60.20", "counted": "60.20", "threshold": "6000.00",
                       "under": "5939.80"}


def test_pupil_with_no_provision_gets_an_empty_sheet(tiny_conn):
    sheet = panel_evidence.build(snapshot.load(tiny_conn), upn(4), date(2026, 10, 1))
    assert sheet.lines == () and sheet.annual == 0
    assert "No provision this year." in pdf_text(panel_evidence.to_pdf(sheet))


def _line(daily: Fraction, days: int, group: int, share: int) -> panel_evidence.EvidenceLine:
    exact = daily * days / group
    stretch = panel_evidence.Stretch(date(2026, 9, 8), date(2027, 7, 23), days, group, exact)
    return panel_evidence.EvidenceLine(
        "P001", "Toe by Toe", "SEN", (), Decimal(0), 20, 1, daily * 5, daily, (stretch,), 0, group, 0, exact, share, 0)


def test_the_calculation_can_be_checked_on_a_calculator():
    """£23.90 an hour for 20 minutes once a week is £1.5933... a day: '£1.59' times 190 days
    gives £302.10, not the £302.73 charged, and a panel would query it."""
    text = panel_evidence.calculation_text(_line(Fraction(2390 * 20, 60 * 5), 190, 1, 30273))
    assert "190 days × £1.5933 a day ÷ 1 = £302.73" in text


def test_a_penny_moved_by_the_one_rounding_is_explained():
    """Four equal shares of £766.50 are £191.625 each: two get £191.63 and two £191.62."""
    text = panel_evidence.calculation_text(_line(Fraction(438), 175, 4, 19162))
    assert "= £191.63" in text and "£191.62 after the pennies are shared out" in text
    assert "pennies" not in panel_evidence.calculation_text(_line(Fraction(438), 175, 4, 19163))
