"""The budget overview: every way of slicing the spend adds up to the cost report."""

from __future__ import annotations

from datetime import date

import pytest

from provmap_tui.domain.costing import NEAR_THRESHOLD
from provmap_tui.domain.money import parse_pence
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services import budget, cost_report
from provmap_tui.services.demo import generate
from provmap_tui.store import pupils, snapshot
from provmap_tui.store.connection import connect

AS_OF = date(2027, 1, 15)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProvisionMap, dict[str, str]]:
    conn = connect(tmp_path_factory.mktemp("budget") / "small.db")
    generate(conn, "small", 3, "2026-27")
    pm = snapshot.load(conn)
    labels = {code: label for code, (label, _) in pupils.need_types(conn).items()}
    conn.close()
    return pm, labels


def test_stream_totals_are_the_cost_reports(school) -> None:
    pm, labels = school
    ov = budget.build(pm, AS_OF, labels)
    report = cost_report.to_json(cost_report.build(pm, AS_OF))
    assert [(s.code, s.budget, s.annual, s.to_date) for s in ov.streams] == [
        (s["code"], parse_pence(s["budget"]), parse_pence(s["annual"]), parse_pence(s["to_date"]))
        for s in report["streams"]
    ]
    assert ov.annual_total == sum(parse_pence(p["annual"]) for p in report["provisions"])
    assert ov.to_date_total == sum(parse_pence(p["to_date"]) for p in report["provisions"])
    assert ov.budget_total == sum(s.budget_pence for s in pm.streams)


@pytest.mark.parametrize("slice_name", ["by_year", "by_need", "by_area", "by_intervention"])
def test_every_slice_adds_up_to_the_whole(school, slice_name: str) -> None:
    pm, labels = school
    ov = budget.build(pm, AS_OF, labels)
    totals = getattr(ov, slice_name)
    assert sum(t.annual for t in totals) == ov.annual_total
    assert sum(t.to_date for t in totals) == ov.to_date_total
    assert all(t.pupils > 0 for t in totals)


def test_slices_are_labelled_and_ordered(school) -> None:
    pm, labels = school
    ov = budget.build(pm, AS_OF, labels)
    assert [t.label for t in ov.by_year] == sorted((t.label for t in ov.by_year), key=lambda s: (s != "R", s))
    assert all(t.label in labels.values() or t.label == budget.NO_NEED for t in ov.by_need)
    annuals = [t.annual for t in ov.by_intervention]
    assert annuals == sorted(annuals, reverse=True)
    names = {p.intervention for p in pm.provisions}
    assert {t.key for t in ov.by_intervention} == names


def test_register_counts(school) -> None:
    pm, labels = school
    ov = budget.build(pm, AS_OF, labels)
    on_register = [p for p in pm.pupils if p.on_register and p.left_on is None]
    assert ov.register_total == len(on_register) == 45
    assert sum(c.count for c in ov.register_by_status) == ov.register_total
    assert sum(c.count for c in ov.register_by_need) == ov.register_total
    assert {c.key for c in ov.register_by_status} <= {"K", "E"}
    assert dict((c.key, c.count) for c in ov.register_by_status)["E"] == 6


def test_over_and_near_lists(school) -> None:
    pm, labels = school
    ov = budget.build(pm, AS_OF, labels)
    summary = pm.costs(AS_OF)
    threshold = pm.school.threshold_pence
    over_upns = {u for u, c in summary.pupils.items() if c.counted > threshold}
    assert {line.upn for line in ov.over} == over_upns
    assert len(ov.over) >= 3  # the small demo puts three EHC pupils over
    assert [line.margin for line in ov.over] == sorted((line.margin for line in ov.over), reverse=True)
    for line in ov.over:
        assert line.margin == line.counted - threshold and line.status == "over"
    for line in ov.near:
        assert threshold * NEAR_THRESHOLD <= line.counted <= threshold and line.margin == threshold - line.counted


def test_initials_hide_the_name_but_keep_the_year(school) -> None:
    pm, _ = school
    p = next(p for p in pm.pupils if p.year_group == 3)
    assert budget.initials(p) == f"{p.forename[0]}.{p.surname[0]}. Y3"
    assert p.forename not in budget.initials(p)


def test_a_pupil_within_80_percent_is_near_with_headroom(school) -> None:
    from dataclasses import replace

    pm, labels = school
    top = max(pm.costs(AS_OF).pupils.values(), key=lambda c: c.counted)
    threshold = top.counted * 10 // 9  # top pupil at 90% of this threshold
    raised = replace(pm, school=pm.school.model_copy(update={"threshold_pence": threshold}))
    ov = budget.build(raised, AS_OF, labels)
    near = {line.upn: line for line in ov.near}
    assert top.upn in near and top.upn not in {line.upn for line in ov.over}
    assert near[top.upn].margin == threshold - top.counted
    margins = [line.margin for line in ov.near]
    assert margins == sorted(margins)  # least headroom first
