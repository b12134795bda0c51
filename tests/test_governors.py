"""The governors' report: breakdowns that reconcile, charts, and names only when wanted.

Its figures are the budget screen's (services.budget), so both say the same."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from provmap_tui.services import budget, cost_report, governors, governors_file
from provmap_tui.services.setup import open_school
from provmap_tui.store import pupils, school, snapshot
from tests.pdf_fixtures import AS_OF, demo_copy, demo_db, pdf_reader, pdf_text  # noqa: F401


@pytest.fixture(scope="module")
def demo_map(demo_db):
    conn = open_school(demo_db)
    yield snapshot.load(conn), {code: label for code, (label, _) in pupils.need_types(conn).items()}
    conn.close()


def test_every_breakdown_adds_up_to_the_school_total(demo_map):
    pm, labels = demo_map
    data = budget.build(pm, AS_OF, labels)
    total = sum(l.cost.annual for l in cost_report.build(pm, AS_OF).lines)
    assert data.annual_total == total > 0
    for shares in (data.by_year, data.by_need, data.by_intervention, budget.top(data.by_intervention, 12)):
        assert sum(s.annual for s in shares) == total
    assert data.register_total == 45 == sum(c.count for c in data.register_by_need)
    assert [c.label for c in data.register_by_status] == ["SEN support", "EHC plan"]
    assert len(data.over) == 3 and all(o.margin > 0 for o in data.over)


def test_the_folded_intervention_bar_counts_each_pupil_once(demo_map):
    pm, labels = demo_map
    shares = budget.build(pm, AS_OF, labels).by_intervention
    folded = budget.top(shares, 5)
    assert len(folded) == 5 and folded[-1].label == f"Other ({len(shares) - 4} interventions)"
    assert folded[-1].pupils == len(frozenset().union(*(s.upns for s in shares[4:])))
    assert folded[-1].pupils <= sum(s.pupils for s in shares[4:])


def test_report_pdf_names_pupils_over_the_threshold(demo_map):
    pm, labels = demo_map
    data = budget.build(pm, AS_OF, labels)
    pdf = governors.to_pdf(data)
    text = pdf_text(pdf)
    for heading in ("SEND report for governors", "Funding streams against budget", "Planned spend by year group",
                    "Planned spend by primary need", "Planned spend by intervention", "Pupils on the SEN register",
                    "Pupils over the notional SEN threshold"):
        assert heading in text
    for o in data.over:
        assert o.name in text
    assert 1 <= len(pdf_reader(pdf).pages) <= 3


def test_anonymised_report_has_no_names(demo_map):
    pm, labels = demo_map
    data = budget.build(pm, AS_OF, labels)
    text = " ".join(pdf_text(governors.to_pdf(data, anonymise=True)).split())
    for p in pm.pupils:
        assert p.name not in text and p.legal_name not in text
    for o in data.over:
        assert o.initials in text
        assert len(o.initials) <= 12 and o.initials.endswith(f" {o.year}")
    assert "Names are replaced by initials and year group." in text


def test_written_to_the_school_folder_else_reports(demo_copy, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    conn = open_school(demo_copy)
    try:
        path = governors_file.write(conn, date(2027, 1, 15), anonymise=True)
        assert path == Path("reports", "governors-send-report-2026-27-2027-01-15-anonymised.pdf")
        assert "Names are replaced by initials" in pdf_text(path.read_bytes())
        settings = school.get(conn)
        school.save(conn, settings.model_copy(update={"passport_dir": str(tmp_path / "out")}))
        path = governors_file.write(conn, date(2027, 1, 15))
        assert path == tmp_path / "out" / "governors-send-report-2026-27-2027-01-15.pdf" and path.is_file()
    finally:
        conn.close()
