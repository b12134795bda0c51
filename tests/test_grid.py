"""The provision map grid read back as a spreadsheet: rows, columns and totals reconcile."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from provmap_tui.services import cost_report, grid
from provmap_tui.services.setup import open_school
from provmap_tui.store import snapshot
from tests.pdf_fixtures import AS_OF, demo_db, tiny_conn, tiny_db, upn  # noqa: F401


def _demo(demo_db):
    conn = open_school(demo_db)
    try:
        return snapshot.load(conn)
    finally:
        conn.close()


def test_xlsx_rows_columns_and_totals(demo_db):
    pm = _demo(demo_db)
    built = grid.build(pm, AS_OF)
    annual = {l.pupil.upn: l.cost.annual for l in cost_report.build(pm, AS_OF).lines}
    ws = load_workbook(io.BytesIO(grid.to_xlsx(built))).active
    rows = list(ws.iter_rows(values_only=True))
    head, sub, body, total = rows[0], rows[1], rows[2:-1], rows[-1]
    assert head[:4] == ("UPN", "Pupil", "Year", "SEN status")
    assert head[4] == built.columns[0] and sub[4:6] == ("min/week", "£ a year")
    assert head[-2] == "Total"
    assert len(body) == len(built.rows) == 45
    for row in body:
        money = [Decimal(str(v)) for v in row[5:-2:2] if v is not None]
        assert Decimal(str(row[-1])) == sum(money) == Decimal(annual[row[0]]) / 100
        assert row[-2] == sum(v for v in row[4:-2:2] if v is not None)
    assert total[0] == "TOTAL"
    assert Decimal(str(total[-1])) == Decimal(sum(annual.values())) / 100
    assert ws.freeze_panes == "E3"


def test_csv_cells_for_the_worked_example(tiny_conn):
    built = grid.build(snapshot.load(tiny_conn), AS_OF)
    rows = list(csv.reader(io.StringIO(grid.to_csv(built))))
    assert rows[0] == ["UPN", "Pupil", "Year", "SEN status", "Talk Boost KS1 (min/week)", "Talk Boost KS1 (£)",
                       "Total (min/week)", "Total (£)"]
    by_upn = {r[0]: r for r in rows[1:]}
    assert by_upn[upn(1)][4:] == ["90", "163.40", "90", "163.40"]
    assert by_upn[upn(3)][4:] == ["90", "60.20", "90", "60.20"]
    assert by_upn[upn(4)][4:] == ["", "", "0", "0.00"]  # on the register, no provision yet
    assert by_upn["TOTAL"][4:] == ["270", "387.00", "270", "387.00"]  # costing.md: term total £387.00


def _hostile_grid() -> grid.Grid:
    """A school's own intervention and an imported name that a spreadsheet would run."""
    evil = '=HYPERLINK("http://example.invalid","Click")'
    row = grid.GridRow("A938200127005", "+Sam Smith", "Y3", "K", {evil: grid.Cell(30, 1234)}, 30, 1234)
    return grid.Grid("Hillside", "2026-27", AS_OF, (evil,), (row,), {evil: grid.Cell(30, 1234)}, 30, 1234)


def test_xlsx_never_turns_text_into_a_formula():
    ws = load_workbook(io.BytesIO(grid.to_xlsx(_hostile_grid()))).active
    texts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert texts and all(c.data_type == "s" for c in texts)


def test_csv_text_that_a_spreadsheet_would_run_is_quoted_as_text():
    rows = list(csv.reader(io.StringIO(grid.to_csv(_hostile_grid()))))
    cells = [c for r in rows for c in r]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert "'+Sam Smith" in cells and rows[1][-1] == "12.34"
