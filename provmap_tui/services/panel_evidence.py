"""The panel evidence sheet: one pupil's costed provision for the year, line by line,
with the calculation shown the way a funding panel checks it.

Every amount comes from domain.costing (ProvisionCost, PupilCost); this module
only arranges and explains them, so the lines add up exactly to the pupil's
totals in the cost report.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from provmap_tui.domain.codes import SEN_STATUSES, year_label
from provmap_tui.domain.costing import RULE_VERSION, PupilCost, threshold_status
from provmap_tui.domain.errors import NotFound
from provmap_tui.domain.models import Pupil
from provmap_tui.domain.money import format_gbp, pence_str, percent_str, round_half_up
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services import pdf_doc
from provmap_tui.services.sheet_text import SafeWriter


@dataclass(frozen=True)
class StaffRate:
    name: str
    role: str
    rate: int  # pence an hour, before on-cost


@dataclass(frozen=True)
class Stretch:
    """Part of the year in which the pupil's group had the same size."""

    start: date
    end: date
    days: int
    group: int
    exact: Fraction  # the pupil's exact share of these days, before the one rounding


@dataclass(frozen=True)
class EvidenceLine:
    provision_id: str
    intervention: str
    stream: str
    staff: tuple[StaffRate, ...]
    oncost_percent: Decimal
    minutes: int
    sessions_per_week: int
    weekly: Fraction  # whole-session cost a week, all staff (from costing)
    daily: Fraction
    stretches: tuple[Stretch, ...]
    resource_cost: int
    resource_split: int  # pupils sharing the one-off resource cost
    per_pupil_cost: int
    exact: Fraction  # the pupil's exact annual share (from costing)
    share: int  # pence, rounded once per provision (from costing)
    to_date: int

    @property
    def pupil_days(self) -> int:
        return sum(s.days for s in self.stretches)

    @property
    def weeks(self) -> Fraction:
        return Fraction(self.pupil_days, 5)


@dataclass(frozen=True)
class StreamTotal:
    code: str
    name: str
    counts: bool
    annual: int


@dataclass(frozen=True)
class PanelSheet:
    school_name: str
    academic_year: str
    as_of: date
    pupil: Pupil
    needs: tuple[str, ...]
    lines: tuple[EvidenceLine, ...]
    streams: tuple[StreamTotal, ...]
    annual: int
    to_date: int
    counted: int
    threshold: int
    status: str  # over | near | under
    margin: int  # excess when over, else headroom


def build(pm: ProvisionMap, upn: str, as_of: date, need_types: Mapping[str, tuple[str, str]] | None = None) -> PanelSheet:
    """The pupil's evidence sheet from the one costing rule."""
    pupil = next((p for p in pm.pupils if p.upn == upn), None)
    if pupil is None:
        raise NotFound(f"no pupil with UPN {upn}")
    summary = pm.costs(as_of)
    cost = summary.pupils.get(upn) or PupilCost(upn)
    staff = {s.id: s for s in pm.staff}
    provs = {p.id: p for p in pm.provisions}
    lines = []
    for pid, share, to_date in cost.provisions:
        prov, pc = provs[pid], summary.provisions[pid]
        rates = tuple(
            StaffRate(staff[a.staff_id].name if a.staff_id in staff else a.staff_id,
                      staff[a.staff_id].role if a.staff_id in staff else "",
                      a.hourly_rate_pence if a.hourly_rate_pence is not None else staff[a.staff_id].hourly_rate_pence)
            for a in prov.staff
        )
        stretches = tuple(  # dated by their first and last pupil days, as a panel reads them
            Stretch(pm.calendar.nth_day_from(seg.start, 1) or seg.start,
                    pm.calendar.nth_day_from(seg.start, seg.pupil_days) or seg.end, seg.pupil_days,
                    len(seg.members), pc.daily * seg.pupil_days / len(seg.members))
            for seg in pc.segments if upn in seg.members
        )
        lines.append(EvidenceLine(
            pid, prov.intervention, prov.funding_stream, rates, pm.school.oncost_percent, prov.minutes,
            prov.sessions_per_week, pc.weekly, pc.daily, _merge(stretches), prov.resource_cost_pence,
            len(pc.exact_annual), prov.per_pupil_cost_pence, pc.exact_annual[upn], share, to_date,
        ))
    names = {s.code: s for s in pm.streams}
    streams = tuple(
        StreamTotal(code, names[code].name if code in names else code,
                    bool(names[code].counts_toward_threshold) if code in names else False, amount)
        for code, amount in sorted(cost.by_stream.items())
    )
    status, margin = threshold_status(cost.counted, summary.threshold)
    needs = tuple((need_types or {}).get(c, (c, ""))[0] for c in pupil.needs)
    return PanelSheet(pm.school.name, pm.school.academic_year, as_of, pupil, needs, tuple(lines), streams,
                      cost.annual, cost.to_date, cost.counted, summary.threshold, status, margin)


def _merge(stretches: tuple[Stretch, ...]) -> tuple[Stretch, ...]:
    """Join neighbouring stretches with the same group size (costing cuts at the as-of date too)."""
    out: list[Stretch] = []
    for s in stretches:
        if out and out[-1].group == s.group:
            last = out[-1]
            out[-1] = Stretch(last.start, s.end, last.days + s.days, s.group, last.exact + s.exact)
        else:
            out.append(s)
    return tuple(out)


# ---------------------------------------------------------------- wording


def money(value: Fraction | int) -> str:
    """£ to the penny; exact fractions are rounded half-up for display only."""
    return format_gbp(value if isinstance(value, int) else round_half_up(value))


def day_rate(value: Fraction) -> str:
    """A daily cost to the penny when it is whole pence, else to four places (£1.5933),
    so days × rate ÷ group can be checked on a calculator."""
    if value.denominator == 1:
        return money(value)
    pounds = (Decimal(value.numerator) / Decimal(value.denominator) / 100).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return f"£{pounds:,}"


def number(value: Fraction) -> str:
    """15, 14.8, 14.25: weeks as a panel reads them."""
    if value.denominator == 1:
        return str(value.numerator)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f").rstrip("0").rstrip(".")


def staff_text(line: EvidenceLine) -> str:
    parts = [f"{s.name} ({s.role}) {money(s.rate)}/h" if s.role else f"{s.name} {money(s.rate)}/h" for s in line.staff]
    if line.oncost_percent:
        parts.append(f"+ {percent_str(line.oncost_percent)}% on-cost")
    return "\n".join(parts) or "no staff"


def group_text(line: EvidenceLine) -> str:
    if len({s.group for s in line.stretches}) <= 1:
        return str(line.stretches[0].group) if line.stretches else "-"
    return "\n".join(f"{s.group} for {s.days} days" for s in line.stretches)


def calculation_text(line: EvidenceLine) -> str:
    """"40 days × £5.16 ÷ 2 = £103.20" per stretch, one-off costs, then the share."""
    rows = [f"{s.days} days × {day_rate(line.daily)} a day ÷ {s.group} = {money(s.exact)}"
            f" ({pdf_doc.short_date(s.start)} to {pdf_doc.short_date(s.end)})" for s in line.stretches]
    if line.resource_cost:
        rows.append(f"resources {money(line.resource_cost)} ÷ {line.resource_split} pupils"
                    f" = {money(Fraction(line.resource_cost, line.resource_split))}")
    if line.per_pupil_cost:
        rows.append(f"per-pupil cost {money(line.per_pupil_cost)}")
    if round_half_up(line.exact) != line.share:
        # The provision is rounded once and its pennies go to the largest remainders.
        rows.append(f"{format_gbp(line.share)} after the pennies are shared out in the group")
    return "\n".join(rows)


def status_text(sheet: PanelSheet) -> str:
    if sheet.status == "over":
        return f"Over the threshold by {format_gbp(sheet.margin)}"
    return f"Headroom below the threshold: {format_gbp(sheet.margin)}"


# ---------------------------------------------------------------- CSV

CSV_HEADER = ["upn", "pupil", "provision", "intervention", "stream", "staff_and_rates", "oncost_percent", "minutes",
              "sessions_per_week", "weekly_cost", "pupil_days", "weeks", "group_size", "one_off", "annual_share",
              "to_date_share"]


def to_csv(sheet: PanelSheet) -> str:
    """The sheet's lines, then stream totals and the threshold, money as plain decimals."""
    out = io.StringIO()
    w = SafeWriter(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    p = sheet.pupil
    for line in sheet.lines:
        one_off = ""
        if line.resource_cost or line.per_pupil_cost:
            one_off = pence_str(round_half_up(Fraction(line.resource_cost, line.resource_split) + line.per_pupil_cost))
        w.writerow([p.upn, p.name, line.provision_id, line.intervention, line.stream,
                    staff_text(line).replace("\n", "; "), percent_str(line.oncost_percent), line.minutes,
                    line.sessions_per_week, pence_str(round_half_up(line.weekly)), line.pupil_days,
                    number(line.weeks), group_text(line).replace("\n", "; "), one_off, pence_str(line.share),
                    pence_str(line.to_date)])
    def summary(label: str, what: str, code: str, value: int) -> list[str]:
        return [p.upn, p.name, label, what, code, *[""] * 9, pence_str(value), ""]

    for st in sheet.streams:
        w.writerow(summary(f"total {st.code}", st.name, st.code, st.annual))
    w.writerow(summary("total", "all streams", "", sheet.annual))
    w.writerow(summary("counted", "counted toward the threshold", "", sheet.counted))
    w.writerow(summary("threshold", "notional SEN threshold", "", sheet.threshold))
    w.writerow(summary(sheet.status, "excess" if sheet.status == "over" else "headroom", "", sheet.margin))
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def to_pdf(sheet: PanelSheet, logo: bytes | None = None, template: Mapping[str, Any] | None = None) -> bytes:
    t = template or pdf_doc.load_template("panel")
    pdf = pdf_doc.new_document(t)
    pdf.set_title(f"Panel evidence: {sheet.pupil.name}")
    pdf.footer_text = t.get("footer", "").format(school=sheet.school_name, name=sheet.pupil.name,
                                                   date=pdf_doc.long_date(sheet.as_of))
    pdf.header_text = t.get("continued", "").format(name=sheet.pupil.name)
    pdf.subject = f"panel evidence for {sheet.pupil.name} ({sheet.pupil.upn})"
    pdf.add_page()
    _header(pdf, sheet, logo)
    _section(pdf, t["headings"].get("lines", ""))
    _lines_table(pdf, sheet)
    pdf.context = "note"
    pdf.use(pdf.pt("small"), colour_key="muted")
    pdf.multi_cell(0, 4, t.get("note", "").format(rule=RULE_VERSION), new_x="LMARGIN", new_y="NEXT")
    _section(pdf, t["headings"].get("streams", ""))
    _streams_table(pdf, sheet)
    _section(pdf, t["headings"].get("threshold", ""))
    _threshold(pdf, sheet)
    return pdf_doc.output_bytes(pdf)


def _header(pdf, sheet: PanelSheet, logo: bytes | None) -> None:
    t = pdf.template
    left = pdf.l_margin
    box = t.get("logo", {})
    if logo:
        pdf.image(io.BytesIO(logo), x=float(box.get("x", left)), y=float(box.get("y", 10)),
                  w=float(box.get("w", 24)), h=float(box.get("h", 14)), keep_aspect_ratio=True)
        left = float(box.get("x", left)) + float(box.get("w", 24)) + 4
    p = sheet.pupil
    pdf.set_xy(left, float(box.get("y", 10)))
    pdf.context = "school name"
    pdf.use(pdf.pt("school"), bold=True, colour_key="muted")
    pdf.cell(0, 5, f"{sheet.school_name}   ·   academic year {sheet.academic_year}", new_x="LEFT", new_y="NEXT")
    pdf.context = "title"
    pdf.use(pdf.pt("title"), bold=True, colour_key="accent")
    pdf.cell(0, 8, t.get("title", ""), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), float(box.get("y", 10)) + float(box.get("h", 14))) + 2)
    pdf.context = "pupil"
    pdf.use(pdf.pt("name"), bold=True)
    pdf.cell(0, 6, f"{p.name}   ({p.legal_name}, UPN {p.upn})" if p.name != p.legal_name else f"{p.name}   (UPN {p.upn})",
             new_x="LMARGIN", new_y="NEXT")
    pdf.use(pdf.pt("body"), colour_key="muted")
    facts = [year_label(p.year_group), f"class {p.reg_group}" if p.reg_group else "",
             SEN_STATUSES.get(p.sen_status, p.sen_status), ", ".join(sheet.needs),
             f"figures as of {pdf_doc.long_date(sheet.as_of)}"]
    pdf.multi_cell(0, 4.5, "   ·   ".join(f for f in facts if f), new_x="LMARGIN", new_y="NEXT")


def _section(pdf, text: str) -> None:
    pdf_doc.section_band(pdf, text, keep=22, height=6, after=1)


def _table(pdf, widths, aligns):
    from fpdf.fonts import FontFace

    t = pdf.template
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*pdf_doc.colour(t, "rule"))
    pdf.set_line_width(0.2)
    pdf.use(pdf.pt("body"))
    return pdf.table(col_widths=widths, line_height=3.9, text_align=aligns, borders_layout="HORIZONTAL_LINES",
                     cell_fill_mode="NONE", padding=1.0, repeat_headings=1,
                     headings_style=FontFace(emphasis="BOLD", color=pdf_doc.colour(t, "text"),
                                             fill_color=pdf_doc.colour(t, "table_head")))


def _lines_table(pdf, sheet: PanelSheet) -> None:
    t = pdf.template
    cols = t.get("columns", {})
    keys = ("provision", "staff", "session", "weekly", "days", "group", "calculation", "share")
    pdf.context = "provision lines"
    aligns = ("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT")
    with _table(pdf, tuple(t.get("widths", (36, 38, 22, 19, 22, 24, 82, 26))), aligns) as table:
        table.row([cols.get(k, k) for k in keys])
        for line in sheet.lines:
            table.row([
                f"{line.intervention}\n{line.provision_id} · {line.stream}",
                staff_text(line),
                f"{line.minutes} min × {line.sessions_per_week}",
                money(line.weekly),
                f"{line.pupil_days} ({number(line.weeks)} weeks)",
                group_text(line),
                calculation_text(line),
                format_gbp(line.share),
            ])
        if not sheet.lines:
            table.row(["No provision this year.", "", "", "", "", "", "", format_gbp(0)])
        bold = _bold(pdf)
        row = table.row()
        row.cell("Total for the year", colspan=7, style=bold)
        row.cell(format_gbp(sheet.annual), style=bold)


def _bold(pdf):
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=pdf_doc.colour(pdf.template, "text"))


def _streams_table(pdf, sheet: PanelSheet) -> None:
    pdf.context = "funding streams"
    with _table(pdf, (90, 60, 40), ("LEFT", "LEFT", "RIGHT")) as table:
        table.row(["Funding stream", "Counts toward the threshold", "Annual"])
        for st in sheet.streams:
            table.row([f"{st.name} ({st.code})", "yes" if st.counts else "no", format_gbp(st.annual)])
        bold = _bold(pdf)
        row = table.row()
        row.cell("All streams", colspan=2, style=bold)
        row.cell(format_gbp(sheet.annual), style=bold)


def _threshold(pdf, sheet: PanelSheet) -> None:
    pdf.context = "threshold"
    with _table(pdf, (150, 40), ("LEFT", "RIGHT")) as table:
        table.row(["", "Annual"])
        table.row(["Counted toward the threshold (streams marked yes)", format_gbp(sheet.counted)])
        table.row(["Notional SEN threshold", format_gbp(sheet.threshold)])
    pdf.ln(1)
    pdf.use(pdf.pt("name"), bold=True, colour_key="over" if sheet.status == "over" else "under")
    pdf.cell(0, 7, status_text(sheet), new_x="LMARGIN", new_y="NEXT")
    pdf.use(pdf.pt("body"), colour_key="muted")
    pdf.cell(0, 5, f"Spent to date ({pdf_doc.long_date(sheet.as_of)}): {format_gbp(sheet.to_date)}",
             new_x="LMARGIN", new_y="NEXT")
