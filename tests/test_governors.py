"""The governors' report: breakdowns that reconcile, charts, and names only when wanted."""

from __future__ import annotations

import pytest

from provmap_tui.services import cost_report, governors, governors_data
from provmap_tui.services.setup import open_school
from provmap_tui.store import pupils, snapshot
from tests.pdf_fixtures import AS_OF, demo_db, pdf_reader, pdf_text  # noqa: F401


@pytest.fixture(scope="module")
def demo_map(demo_db):
    conn = open_school(demo_db)
    yield snapshot.load(conn), pupils.need_types(conn)
    conn.close()


def test_every_breakdown_adds_up_to_the_school_total(demo_map):
    pm, need_types = demo_map
    data = governors_data.build(pm, need_types, AS_OF)
    total = sum(l.cost.annual for l in cost_report.build(pm, AS_OF).lines)
    assert data.total_annual == total > 0
    for shares in (data.by_year, data.by_need, data.by_intervention):
        assert sum(s.annual for s in shares) == total
    assert data.on_register == 45 == sum(c.pupils for c in data.register_by_need)
    assert [c.label for c in data.register_by_status] == ["SEN support", "EHC plan"]
    assert len(data.over) == 3 and all(o.excess > 0 for o in data.over)


def test_report_pdf_names_pupils_over_the_threshold(demo_map):
    pm, need_types = demo_map
    data = governors_data.build(pm, need_types, AS_OF)
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
    pm, need_types = demo_map
    data = governors_data.build(pm, need_types, AS_OF, anonymise=True)
    text = " ".join(pdf_text(governors.to_pdf(data)).split())
    for p in pm.pupils:
        assert p.name not in text and p.legal_name not in text
    for o in data.over:
        assert o.name in text
        assert len(o.name) <= 12 and o.name.endswith(f"({o.year})")
    assert "Names are replaced by initials and year group." in text
