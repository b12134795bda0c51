"""The caseload rows behind the home screen: filtering words, sorting, totals."""

from __future__ import annotations

import unicodedata

import pytest
from ui_helpers import AS_OF, open_db

from provmap_tui.services import caseload, cost_report
from provmap_tui.store import snapshot


@pytest.fixture
def pm(small_db):
    conn = open_db(small_db)
    try:
        return snapshot.load(conn)
    finally:
        conn.close()


def test_rows_reconcile_with_the_cost_report(pm):
    rows = caseload.build_rows(pm, AS_OF)
    report = cost_report.build(pm, AS_OF)
    by_upn = {r.upn: r for r in rows}
    for line in report.lines:
        row = by_upn[line.pupil.upn]
        assert (row.annual, row.to_date, row.counted, row.status) == (
            line.cost.annual, line.cost.to_date, line.cost.counted, line.status)
    assert sum(r.annual for r in rows) == sum(p.annual for p in pm.costs(AS_OF).provisions.values())


def test_code_words_select_by_code_not_by_part_of_a_name(pm):
    rows = caseload.build_rows(pm, AS_OF)
    k = caseload.filter_rows(rows, "k", whole_school=True)
    assert k and all(r.sen_status == "K" for r in k)
    assert len(k) == sum(r.sen_status == "K" for r in rows)
    y1 = caseload.filter_rows(rows, "Y1", whole_school=True)
    assert y1 and {r.year for r in y1} == {"Y1"}
    pp_over = caseload.filter_rows(rows, "pp over", whole_school=True)
    assert all("PP" in r.flags and r.status == "over" for r in pp_over)


def test_other_words_find_any_part_of_a_name_upn_or_class(pm):
    rows = caseload.build_rows(pm, AS_OF)
    target = next(r for r in rows if r.on_register and len(r.name) > 8)
    part = target.name.split()[-1][1:5].lower()
    found = caseload.filter_rows(rows, part, whole_school=False)
    assert target in found and all(part in r.search_text for r in found)
    assert caseload.filter_rows(rows, target.upn[-6:], whole_school=True) == [target]


def test_names_are_found_without_typing_their_accents(pm):
    """A UK keyboard has no ř or é: typing "jiri" must still find Jiří."""
    rows = caseload.build_rows(pm, AS_OF)

    def unaccented(word: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii())

    accented = next(r for r in rows for w in r.name.split()
                    if not w.isascii() and len(unaccented(w)) == len(w))
    word = next(w for w in accented.name.split() if not w.isascii())
    found = caseload.filter_rows(rows, unaccented(word).lower(), whole_school=True)
    assert accented in found


def test_register_only_unless_whole_school(pm):
    rows = caseload.build_rows(pm, AS_OF)
    assert all(r.on_register for r in caseload.filter_rows(rows, "", whole_school=False))
    assert len(caseload.filter_rows(rows, "", whole_school=True)) == len(rows)


def test_hours_a_week_in_tenths():
    assert caseload.hours_text(0) == "-"
    assert caseload.hours_text(90) == "1.5"
    assert caseload.hours_text(120) == "2"
    assert caseload.hours_text(50) == "0.8"  # 0.8333 rounds half up to tenths
