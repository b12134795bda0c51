"""The whole-school provision map grid that LAs and Ofsted expect: one row per
pupil, one column pair per intervention (minutes a week, annual cost), with totals.

Costs are the pupils' shares from domain.costing, so every row total equals the
pupil's annual total in the cost report, and the grand total the school's.
Exported as .xlsx (openpyxl) and .csv.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from provmap_tui.domain.codes import year_label
from provmap_tui.domain.money import pence_str
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services.sheet_text import SafeWriter


@dataclass(frozen=True)
class Cell:
    minutes: int  # a week, while the provision runs
    pence: int  # annual share


@dataclass(frozen=True)
class GridRow:
    upn: str
    name: str
    year: str
    sen_status: str
    cells: dict[str, Cell]
    minutes: int
    annual: int


@dataclass(frozen=True)
class Grid:
    school_name: str
    academic_year: str
    as_of: date
    columns: tuple[str, ...]  # intervention names
    rows: tuple[GridRow, ...]
    column_totals: dict[str, Cell]
    minutes: int
    annual: int


def build(pm: ProvisionMap, as_of: date) -> Grid:
    summary = pm.costs(as_of)
    cells: dict[str, dict[str, list[int]]] = {}
    column_totals: dict[str, list[int]] = {}
    for prov in pm.provisions:
        pc = summary.provisions[prov.id]
        weekly_minutes = prov.minutes * prov.sessions_per_week
        for upn, share in pc.annual_shares.items():
            cell = cells.setdefault(upn, {}).setdefault(prov.intervention, [0, 0])
            cell[0] += weekly_minutes
            cell[1] += share
            total = column_totals.setdefault(prov.intervention, [0, 0])
            total[0] += weekly_minutes
            total[1] += share
    rows = []
    pupils = sorted((p for p in pm.pupils if p.upn in cells or (p.on_register and not p.has_left(as_of))),
                    key=lambda p: (p.year_group if p.year_group is not None else 99, p.surname, p.forename, p.upn))
    for p in pupils:
        mine = {name: Cell(m, c) for name, (m, c) in cells.get(p.upn, {}).items()}
        annual = summary.pupils[p.upn].annual if p.upn in summary.pupils else 0
        rows.append(GridRow(p.upn, p.name, year_label(p.year_group), p.sen_status, mine,
                            sum(c.minutes for c in mine.values()), annual))
    columns = tuple(sorted(column_totals, key=str.casefold))
    totals = {name: Cell(m, c) for name, (m, c) in column_totals.items()}
    return Grid(pm.school.name, pm.school.academic_year, as_of, columns, tuple(rows), totals,
                sum(r.minutes for r in rows), sum(r.annual for r in rows))


FIXED = ["UPN", "Pupil", "Year", "SEN status"]


def to_csv(grid: Grid) -> str:
    """Header, a row per pupil, then a totals row; money as plain decimals."""
    out = io.StringIO()
    w = SafeWriter(out, lineterminator="\n")
    head = list(FIXED)
    for name in grid.columns:
        head += [f"{name} (min/week)", f"{name} (£)"]
    w.writerow(head + ["Total (min/week)", "Total (£)"])
    for r in grid.rows:
        line = [r.upn, r.name, r.year, r.sen_status]
        for name in grid.columns:
            c = r.cells.get(name)
            line += [c.minutes, pence_str(c.pence)] if c else ["", ""]
        w.writerow(line + [r.minutes, pence_str(r.annual)])
    line = ["TOTAL", f"{len(grid.rows)} pupils", "", ""]
    for name in grid.columns:
        c = grid.column_totals[name]
        line += [c.minutes, pence_str(c.pence)]
    w.writerow(line + [grid.minutes, pence_str(grid.annual)])
    return out.getvalue()


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def to_xlsx(grid: Grid) -> bytes:
    """A sheet with a two-row header (intervention over min/week and £), frozen panes and totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Provision map"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE7F2")
    money_fmt = '"£"#,##0.00'
    first = len(FIXED) + 1
    for i, title in enumerate(FIXED, 1):
        ws.cell(row=1, column=i, value=title)
        ws.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
    col = first
    for name in [*grid.columns, "Total"]:
        ws.cell(row=1, column=col, value=name).data_type = "s"  # a name, even one starting with =
        ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + 1)
        ws.cell(row=2, column=col, value="min/week")
        ws.cell(row=2, column=col + 1, value="£ a year")
        col += 2
    for row in ws.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def put(r: int, values: list[object], totals: bool = False) -> None:
        for c, v in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if c >= first and (c - first) % 2 == 1:
                cell.number_format = money_fmt
            if totals:
                cell.font = bold

    r = 3
    for row in grid.rows:
        values: list[object] = [row.upn, row.name, row.year, row.sen_status]
        for name in grid.columns:
            c = row.cells.get(name)
            values += [c.minutes, _pounds(c.pence)] if c else [None, None]
        put(r, values + [row.minutes, _pounds(row.annual)])
        r += 1
    values = ["TOTAL", f"{len(grid.rows)} pupils", None, None]
    for name in grid.columns:
        c = grid.column_totals[name]
        values += [c.minutes, _pounds(c.pence)]
    put(r, values + [grid.minutes, _pounds(grid.annual)], totals=True)

    ws.freeze_panes = ws.cell(row=3, column=first)
    ws.row_dimensions[1].height = 45
    for c, width in enumerate((15, 26, 6, 6), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for c in range(first, col):
        ws.column_dimensions[get_column_letter(c)].width = 11
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = f"{grid.school_name}: provision map {grid.academic_year}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
