"""The governors' SEND report as a PDF, charts drawn with fpdf2's own shapes.

The figures are services.budget's BudgetOverview, the same the budget screen shows
(itself summing domain.costing results); this module only draws them. Layout,
headings and colours: templates/governors.json.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from provmap_tui.domain.money import format_gbp
from provmap_tui.services import pdf_doc
from provmap_tui.services.budget import BudgetOverview, Count, Total, top


def to_pdf(data: BudgetOverview, logo: bytes | None = None, template: Mapping[str, Any] | None = None, *,
           anonymise: bool = False) -> bytes:
    """The report; anonymised, pupils over the threshold are initials and year group, never names."""
    t = template or pdf_doc.load_template("governors")
    h = t.get("headings", {})
    pdf = pdf_doc.new_document(t)
    pdf.set_title(t.get("title", ""))
    pdf.footer_text = t.get("footer", "").format(school=data.school_name, year=data.academic_year,
                                                   date=pdf_doc.long_date(data.as_of))
    pdf.add_page()
    _header(pdf, data, logo, anonymise)
    _key_figures(pdf, data)
    _section(pdf, h.get("streams", ""))
    _streams_chart(pdf, data)
    _section(pdf, h.get("by_year", ""))
    _bars(pdf, data.by_year)
    _section(pdf, h.get("by_need", ""))
    _bars(pdf, data.by_need)
    _section(pdf, h.get("by_intervention", ""))
    _bars(pdf, top(data.by_intervention, int(t.get("chart", {}).get("max_bars", 12))))
    _section(pdf, h.get("register", ""))
    _register(pdf, data)
    _section(pdf, h.get("over", ""))
    _over(pdf, data, anonymise)
    return pdf_doc.output_bytes(pdf)


def _header(pdf, data: BudgetOverview, logo: bytes | None, anonymise: bool) -> None:
    t = pdf.template
    box = t.get("logo", {})
    left = pdf.l_margin
    if logo:
        pdf.image(io.BytesIO(logo), x=float(box.get("x", left)), y=float(box.get("y", 12)),
                  w=float(box.get("w", 26)), h=float(box.get("h", 16)), keep_aspect_ratio=True)
        left = float(box.get("x", left)) + float(box.get("w", 26)) + 4
    pdf.set_xy(left, float(box.get("y", 12)))
    pdf.context = "school name"
    pdf.use(pdf.pt("school"), bold=True, colour_key="muted")
    pdf.cell(0, 5, data.school_name, new_x="LEFT", new_y="NEXT")
    pdf.context = "title"
    pdf.use(pdf.pt("title"), bold=True, colour_key="accent")
    pdf.cell(0, 9, t.get("title", ""), new_x="LEFT", new_y="NEXT")
    pdf.use(pdf.pt("body"), colour_key="muted")
    note = f"Academic year {data.academic_year}. Planned figures for the whole year; spent to date as of " \
           f"{pdf_doc.long_date(data.as_of)}."
    if anonymise:
        note += " " + t.get("anonymised_note", "")
    pdf.multi_cell(0, 4.5, note, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), float(box.get("y", 12)) + float(box.get("h", 16))) + 3)


def _key_figures(pdf, data: BudgetOverview) -> None:
    figures = [
        (str(data.register_total), "pupils on the SEN register"),
        (format_gbp(data.annual_total, whole=True), "planned spend this year"),
        (str(len(data.over)), f"over the {format_gbp(data.threshold, whole=True)} threshold"),
    ]
    gap = 4
    w = (pdf.w - pdf.l_margin - pdf.r_margin - gap * (len(figures) - 1)) / len(figures)
    y = pdf.get_y()
    pdf.set_fill_color(*pdf_doc.colour(pdf.template, "key_figure"))
    for i, (value, label) in enumerate(figures):
        x = pdf.l_margin + i * (w + gap)
        pdf.rect(x, y, w, 17, style="F")
        pdf.set_xy(x, y + 2)
        pdf.context = "key figures"
        pdf.use(pdf.pt("figure"), bold=True, colour_key="accent")
        pdf.cell(w, 7, value, align="C", new_x="LEFT", new_y="NEXT")
        pdf.use(pdf.pt("body"), colour_key="muted")
        pdf.cell(w, 5, label, align="C")
    pdf.set_y(y + 19)


def _section(pdf, text: str) -> None:
    pdf_doc.section_band(pdf, text, keep=24, height=6.5, after=1.5)


def _chart_geometry(pdf) -> tuple[float, float, float, float, float]:
    c = pdf.template.get("chart", {})
    label_w, value_w = float(c.get("label_mm", 58)), float(c.get("value_mm", 44))
    bar_area = pdf.w - pdf.l_margin - pdf.r_margin - label_w - value_w - 4
    return label_w, value_w, bar_area, float(c.get("row_mm", 5.2)), float(c.get("bar_mm", 3.6))


def _row_start(pdf, row_h: float) -> float:
    if pdf.get_y() + row_h > pdf.h - pdf.b_margin:
        pdf.add_page()
    return pdf.get_y()


def _label(pdf, x: float, y: float, w: float, h: float, text: str, align: str = "L", muted: bool = False) -> None:
    pdf.use(pdf.pt("body"), colour_key="muted" if muted else "text")
    while text and pdf.get_string_width(text) > w - 1:  # one line per bar: shorten long names visibly
        text = text[:-2] + "…"
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align=align)


def _bar(pdf, x: float, y: float, length: float, height: float, colour_key: str) -> None:
    if length <= 0:
        return
    pdf.set_fill_color(*pdf_doc.colour(pdf.template, colour_key))
    pdf.rect(x, y, max(length, 0.4), height, style="F")


def _scale(value: int, largest: int, width: float) -> float:
    return float(Fraction(value, largest) * Fraction(width)) if largest > 0 else 0.0


def _bars(pdf, shares: Sequence[Total]) -> None:
    """A horizontal bar per share, longest = the biggest spend."""
    label_w, value_w, area, row_h, bar_h = _chart_geometry(pdf)
    if not shares:
        _label(pdf, pdf.l_margin, pdf.get_y(), 120, row_h, "No provision costed yet.", muted=True)
        pdf.ln(row_h)
        return
    largest = max(s.annual for s in shares)
    pdf.context = "chart"
    for s in shares:
        y = _row_start(pdf, row_h)
        x = pdf.l_margin
        _label(pdf, x, y, label_w, row_h, s.label)
        _bar(pdf, x + label_w, y + (row_h - bar_h) / 2, _scale(s.annual, largest, area), bar_h, "bar")
        pupils = f"{s.pupils} pupil{'s' if s.pupils != 1 else ''}"
        _label(pdf, x + label_w + area + 4, y, value_w, row_h, f"{format_gbp(s.annual, whole=True)}  ·  {pupils}",
               align="R")
        pdf.set_y(y + row_h)


def _streams_chart(pdf, data: BudgetOverview) -> None:
    """Budget as a pale bar, planned spend over it (red when it exceeds the budget)."""
    label_w, value_w, area, row_h, bar_h = _chart_geometry(pdf)
    largest = max([max(s.budget, s.annual) for s in data.streams] or [0])
    pdf.context = "funding streams"
    for s in data.streams:
        y = _row_start(pdf, row_h * 1.3)
        x = pdf.l_margin
        _label(pdf, x, y, label_w, row_h * 1.3, s.name)
        top = y + (row_h * 1.3 - bar_h * 1.4) / 2
        _bar(pdf, x + label_w, top, _scale(s.budget, largest, area), bar_h * 1.4, "budget")
        _bar(pdf, x + label_w, top + bar_h * 0.3, _scale(s.annual, largest, area), bar_h * 0.8,
             "over_budget" if s.annual > s.budget else "bar")
        text = f"{format_gbp(s.annual, whole=True)} of {format_gbp(s.budget, whole=True)}"
        _label(pdf, x + label_w + area + 4, y, value_w, row_h * 1.3, text, align="R")
        pdf.set_y(y + row_h * 1.3)
    pdf.ln(1)
    _table(pdf, ("Stream", "Budget", "Planned", "Spent to date", "Left after plan"), (64, 28, 28, 30, 30),
           [(s.name, format_gbp(s.budget), format_gbp(s.annual), format_gbp(s.to_date), format_gbp(s.remaining))
            for s in data.streams],
           ("Total", format_gbp(data.budget_total), format_gbp(data.annual_total), format_gbp(data.to_date_total),
            format_gbp(data.budget_total - data.annual_total)))


def _table(pdf, head: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]],
           total: Sequence[str] | None = None) -> None:
    from fpdf.fonts import FontFace

    t = pdf.template
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*pdf_doc.colour(t, "rule"))
    pdf.set_line_width(0.2)
    pdf.use(pdf.pt("body"))
    aligns = ("LEFT", *("RIGHT",) * (len(head) - 1))
    with pdf.table(col_widths=tuple(widths), width=sum(widths), align="LEFT", line_height=4.4, text_align=aligns,
                   borders_layout="HORIZONTAL_LINES", cell_fill_mode="NONE", padding=0.8,
                   headings_style=FontFace(emphasis="BOLD", color=pdf_doc.colour(t, "text"),
                                           fill_color=pdf_doc.colour(t, "table_head"))) as table:
        table.row(list(head))
        for r in rows:
            table.row(list(r))
        if total:
            row = table.row()
            for cell in total:
                row.cell(cell, style=FontFace(emphasis="BOLD", color=pdf_doc.colour(t, "text")))


def _register(pdf, data: BudgetOverview) -> None:
    pdf.context = "register"
    rows: list[tuple[str, str]] = [(c.label, str(c.count)) for c in data.register_by_status]
    _table(pdf, ("SEN status", "Pupils"), (64, 28), rows, ("On the register", str(data.register_total)))
    pdf.ln(2)
    pdf.use(pdf.pt("body"), bold=True)
    pdf.cell(0, 5, "By primary need", new_x="LMARGIN", new_y="NEXT")
    _count_bars(pdf, data.register_by_need)


def _count_bars(pdf, counts: Sequence[Count]) -> None:
    label_w, value_w, area, row_h, bar_h = _chart_geometry(pdf)
    largest = max([c.count for c in counts] or [0])
    for c in counts:
        y = _row_start(pdf, row_h)
        _label(pdf, pdf.l_margin, y, label_w, row_h, c.label)
        _bar(pdf, pdf.l_margin + label_w, y + (row_h - bar_h) / 2, _scale(c.count, largest, area), bar_h, "bar")
        _label(pdf, pdf.l_margin + label_w + area + 4, y, value_w, row_h,
               f"{c.count} pupil{'s' if c.count != 1 else ''}", align="R")
        pdf.set_y(y + row_h)


def _over(pdf, data: BudgetOverview, anonymise: bool) -> None:
    pdf.context = "pupils over the threshold"
    if not data.over:
        pdf.use(pdf.pt("body"), colour_key="muted")
        pdf.cell(0, 6, "No pupil is over the threshold.", new_x="LMARGIN", new_y="NEXT")
        return
    _table(pdf, ("Pupil", "Year", "Counted toward threshold", "Over by"), (70, 20, 46, 34),
           [(o.initials if anonymise else o.name, o.year, format_gbp(o.counted), format_gbp(o.margin))
            for o in data.over],
           ("Total", "", format_gbp(sum(o.counted for o in data.over)), format_gbp(sum(o.margin for o in data.over))))
