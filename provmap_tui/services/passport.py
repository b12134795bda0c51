"""Pupil passports: one A4 page per pupil for every adult who works with the child.

No costs appear (passports go to parents). Long text flows onto a second page
rather than being cut. The layout comes from templates/passport.json.
UI-free: the app calls write_one / write_batch with a progress callback.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from provmap_tui.domain.codes import SEN_STATUSES
from provmap_tui.domain.costing import provision_run
from provmap_tui.domain.errors import InvalidInput, NotFound
from provmap_tui.domain.models import Provision, Pupil
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services import pdf_doc
from provmap_tui.services.images import initials
from provmap_tui.store import pupils as pupil_store
from provmap_tui.store import school as school_store

Progress = Callable[[int, int], None]  # (done, total)
DEFAULT_DIR = "passports"
_PASSPORT_FIELDS = ("liked_admired", "important_to_me", "helps", "does_not_help", "strengths")


@dataclass(frozen=True)
class SupportLine:
    what: str
    who: str
    when: str
    how_often: str


@dataclass(frozen=True)
class PassportData:
    """Everything one passport shows, gathered before drawing."""

    school_name: str
    logo: bytes | None
    pupil: Pupil
    photo: bytes | None
    needs: tuple[tuple[str, str], ...]  # (census label, plain English)
    support: tuple[SupportLine, ...]
    printed: date
    targets: tuple[str, ...] = ()
    next_review: date | None = None


def year_text(year_group: int | None) -> str:
    """Words a parent uses: "Reception", "Nursery 1", "Year 5"."""
    if year_group is None:
        return ""
    return {-2: "Nursery 1", -1: "Nursery 2", 0: "Reception"}.get(year_group, f"Year {year_group}")


def _support_line(pm: ProvisionMap, prov: Provision, upn: str, as_of: date,
                  staff_names: Mapping[str, tuple[str, str]]) -> SupportLine | None:
    """The pupil's part of one provision, or None when it is over for them."""
    member = next((m for m in prov.members if m.upn == upn), None)
    if member is None:
        return None
    run_start, run_end = provision_run(prov, pm.calendar)
    first, last = pm.calendar.first_day(), pm.calendar.last_day()
    if first is None or last is None:  # no terms set up: nothing runs
        return None
    start = max(member.start or run_start, run_start, first)
    end = min(member.end or run_end, run_end, last)
    if end < start or end < as_of:
        return None
    if start <= first and end >= last:
        when = "All year"
    else:
        when = f"{pdf_doc.short_date(start)} to {pdf_doc.short_date(end)}"
    who = ", ".join(
        f"{staff_names[s.staff_id][0]} ({staff_names[s.staff_id][1]})" if s.staff_id in staff_names else s.staff_id
        for s in prov.staff
    ) or "To be arranged"
    on = max(as_of, start)  # the group as it is now, or as it will be when the pupil joins
    group = sum(1 for m in prov.members if (m.start or run_start) <= on <= (m.end or run_end))
    times = "once" if prov.sessions_per_week == 1 else f"{prov.sessions_per_week} times"
    how = f"{prov.minutes} minutes, {times} a week, {'1:1' if group == 1 else f'in a group of {group}'}"
    return SupportLine(prov.intervention, who, when, how)


def gather(pm: ProvisionMap, need_types: Mapping[str, tuple[str, str]], upn: str, *,
           photo: bytes | None, logo: bytes | None, as_of: date) -> PassportData:
    """A pupil's passport content from a loaded provision map."""
    pupil = next((p for p in pm.pupils if p.upn == upn), None)
    if pupil is None:
        raise NotFound(f"no pupil with UPN {upn}")
    staff_names = {s.id: (s.name, s.role) for s in pm.staff}
    support = []
    for prov in pm.provisions:
        line = _support_line(pm, prov, upn, as_of, staff_names)
        if line:
            support.append(line)
    needs = tuple(need_types.get(code, (code, code)) for code in pupil.needs)
    return PassportData(pm.school.name, logo, pupil, photo, needs, tuple(support), as_of)


# ---------------------------------------------------------------- drawing


def _heading(pdf, text: str) -> None:
    t = pdf.template
    if pdf.get_y() + 20 > pdf.h - pdf.b_margin:  # keep a heading with its first lines
        pdf.add_page()
    pdf.ln(2.5)
    pdf.set_fill_color(*pdf_doc.colour(t, "accent"))
    pdf.use(pdf.pt("heading"), bold=True, colour_key="heading_text")
    pdf.context = f"heading {text!r}"
    pdf.cell(0, 6.5, f" {text}", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _body(pdf, text: str, context: str) -> None:
    t = pdf.template
    pdf.context = context
    if text.strip():
        pdf.use(pdf.pt("body"))
        pdf.multi_cell(0, 5, text.strip(), new_x="LMARGIN", new_y="NEXT", padding=(0, 1.5))
    else:
        pdf.use(pdf.pt("body"), colour_key="muted")
        pdf.multi_cell(0, 5, t.get("empty_text", ""), new_x="LMARGIN", new_y="NEXT", padding=(0, 1.5))


def _photo(pdf, data: PassportData) -> float:
    """The photo, or the initials in a circle; returns the bottom edge."""
    t = pdf.template
    box = t.get("photo", {})
    x, y, w, h = (float(box.get(k, d)) for k, d in (("x", 160), ("y", 12), ("w", 36), ("h", 44)))
    if data.photo:
        pdf.image(io.BytesIO(data.photo), x=x, y=y, w=w, h=h, keep_aspect_ratio=True)
        return y + h
    d = min(w, h)
    cx, cy = x + (w - d) / 2, y + (h - d) / 2
    pdf.set_fill_color(*pdf_doc.colour(t, "initials_fill"))
    pdf.set_draw_color(*pdf_doc.colour(t, "accent"))
    pdf.set_line_width(0.6)
    pdf.circle(x=cx + d / 2, y=cy + d / 2, radius=d / 2, style="FD")
    pdf.use(pdf.pt("initials"), bold=True, colour_key="initials_text")
    pdf.context = "initials"
    pdf.set_xy(cx, cy + d / 2 - 6)
    pdf.cell(d, 12, initials(data.pupil.preferred_forename or data.pupil.forename,
                             data.pupil.preferred_surname or data.pupil.surname), align="C")
    return y + h


def _header(pdf, data: PassportData) -> None:
    t = pdf.template
    p = data.pupil
    left = pdf.l_margin
    logo = t.get("logo", {})
    if data.logo:
        lw, lh = float(logo.get("w", 28)), float(logo.get("h", 18))
        pdf.image(io.BytesIO(data.logo), x=float(logo.get("x", left)), y=float(logo.get("y", 12)), w=lw, h=lh,
                  keep_aspect_ratio=True)
        left = float(logo.get("x", left)) + lw + 4
    photo_box = t.get("photo", {})
    text_w = float(photo_box.get("x", 160)) - left - 4
    bottom = _photo(pdf, data)

    pdf.set_xy(left, float(logo.get("y", 12)))
    pdf.context = "school name"
    pdf.use(pdf.pt("school"), bold=True, colour_key="muted")
    pdf.multi_cell(text_w, 5, data.school_name, new_x="LEFT", new_y="NEXT")
    pdf.context = "title"
    pdf.use(pdf.pt("small"), bold=True, colour_key="confidential")
    pdf.cell(text_w, 4, t.get("confidential", ""), new_x="LEFT", new_y="NEXT")
    pdf.use(pdf.pt("title"), bold=True, colour_key="accent")
    pdf.cell(text_w, 10, t.get("title", ""), new_x="LEFT", new_y="NEXT")

    pdf.set_x(pdf.l_margin)
    name_w = float(photo_box.get("x", 160)) - pdf.l_margin - 4
    pdf.ln(2)
    pdf.context = "pupil name"
    pdf.use(pdf.pt("name"), bold=True)
    pdf.multi_cell(name_w, 8, p.name, new_x="LMARGIN", new_y="NEXT")
    pdf.use(pdf.pt("details"), colour_key="muted")
    if p.legal_name != p.name:
        pdf.context = "legal name"
        pdf.multi_cell(name_w, 5, f"{t.get('legal_name', '')}: {p.legal_name}", new_x="LMARGIN", new_y="NEXT")
    facts = []
    if p.year_group is not None:
        facts.append(year_text(p.year_group))
    if p.reg_group:
        facts.append(f"{t.get('class', '')} {p.reg_group}")
    if p.dob:
        facts.append(f"{t.get('born', '')} {pdf_doc.long_date(p.dob)}")
    pdf.context = "year, class and date of birth"
    pdf.multi_cell(name_w, 5, "   ·   ".join(facts), new_x="LMARGIN", new_y="NEXT")
    if p.sen_status in SEN_STATUSES and p.sen_status != "N":
        pdf.multi_cell(name_w, 5, f"{t.get('status', '')}: {SEN_STATUSES[p.sen_status]}", new_x="LMARGIN",
                       new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), bottom) + 2)
    pdf.set_draw_color(*pdf_doc.colour(t, "accent"))
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1)


def _needs(pdf, data: PassportData) -> None:
    if not data.needs:
        _body(pdf, "", "needs")
        return
    for label, plain in data.needs:
        pdf.context = "needs"
        pdf.use(pdf.pt("body"), bold=True)
        pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT", padding=(0, 1.5))
        pdf.use(pdf.pt("body"))
        pdf.multi_cell(0, 5, plain, new_x="LMARGIN", new_y="NEXT", padding=(0, 1.5))
        pdf.ln(0.8)


def _support(pdf, data: PassportData) -> None:
    t = pdf.template
    if not data.support:
        _body(pdf, t.get("no_provision", ""), "provision")
        return
    cols = t.get("provision_columns", {})
    pdf.context = "provision"
    pdf.use(pdf.pt("body") - 0.5)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*pdf_doc.colour(t, "table_head"))
    pdf.set_line_width(0.2)
    with pdf.table(col_widths=tuple(t.get("provision_widths", (34, 24, 24, 18))), line_height=4.6,
                   headings_style=_heading_style(pdf), borders_layout="HORIZONTAL_LINES",
                   text_align="LEFT", cell_fill_mode="NONE", padding=1.2) as table:
        table.row([cols.get(k, k) for k in ("what", "who", "when", "how_often")])
        for line in data.support:
            table.row([line.what, line.who, line.when, line.how_often])


def _heading_style(pdf):
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=pdf_doc.colour(pdf.template, "text"),
                    fill_color=pdf_doc.colour(pdf.template, "table_head"))


def _targets(pdf, data: PassportData) -> bool:
    if not data.targets and data.next_review is None:
        return False
    t = pdf.template
    _heading(pdf, t["headings"].get("targets", "targets"))
    for n, target in enumerate(data.targets, 1):
        _body(pdf, f"{n}. {target}", "targets")
    if data.next_review:
        pdf.context = "next review"
        pdf.use(pdf.pt("body"), bold=True)
        pdf.multi_cell(0, 5, f"{t['headings'].get('next_review', '')}: {pdf_doc.long_date(data.next_review)}",
                       new_x="LMARGIN", new_y="NEXT", padding=(0, 1.5))
    return True


def draw(pdf, data: PassportData) -> None:
    """Add one pupil's passport (one page, more if the text needs it) to `pdf`."""
    t = pdf.template
    headings = t.get("headings", {})
    pdf.footer_text = pdf.header_text = ""
    pdf.subject = f"passport of {data.pupil.name} ({data.pupil.upn})"
    pdf.add_page()
    pdf.page_base = pdf.page_no() - 1
    pdf.footer_text = t.get("footer", "").format(name=data.pupil.name, date=pdf_doc.long_date(data.printed))
    pdf.header_text = t.get("continued", "").format(name=data.pupil.name)
    _header(pdf, data)
    for section in t.get("sections", []):
        if section == "needs":
            _heading(pdf, headings.get("needs", section))
            _needs(pdf, data)
        elif section in _PASSPORT_FIELDS:
            _heading(pdf, headings.get(section, section))
            _body(pdf, getattr(data.pupil.passport, section), headings.get(section, section))
        elif section == "provision":
            _heading(pdf, headings.get("provision", section))
            _support(pdf, data)
        elif section == "targets":
            _targets(pdf, data)
        else:
            raise pdf_doc.TemplateError(
                f"passport template sections: {section!r} is not a section; use any of needs, "
                f"{', '.join(_PASSPORT_FIELDS)}, provision, targets"
            )
    pdf.context = ""


def render(datas: Iterable[PassportData], template: Mapping[str, Any] | None = None) -> bytes:
    """One PDF holding each pupil's passport, each starting on a new page."""
    template = template or pdf_doc.load_template("passport")
    pdf = pdf_doc.new_document(template)
    pdf.set_title("Pupil passports")
    count = 0
    for data in datas:
        draw(pdf, data)
        count += 1
    if not count:
        raise InvalidInput("pupils", "no pupils chosen; give UPNs or --all")
    return pdf_doc.output_bytes(pdf)


# ---------------------------------------------------------------- files


def file_name(pupil: Pupil) -> str:
    """Surname-Forename-UPN.pdf, keeping letters such as Ł and ș but no path characters."""
    def clean(text: str) -> str:
        return "".join(ch for ch in text.replace(" ", "-") if ch.isalnum() or ch in "-'").replace("'", "")

    return f"{clean(pupil.surname)}-{clean(pupil.preferred_forename or pupil.forename)}-{pupil.upn}.pdf"


def output_folder(conn: sqlite3.Connection, out: Path | None = None) -> Path:
    """--out, else the school's passport folder setting, else ./passports."""
    if out is not None:
        return out
    setting = school_store.get(conn).passport_dir
    return Path(setting) if setting else Path(DEFAULT_DIR)


def register_upns(pm: ProvisionMap) -> list[str]:
    """Every pupil currently on the SEN register, in name order."""
    today = date.today()
    return [p.upn for p in pm.pupils if p.on_register and not p.has_left(today)]


def passport_for(conn: sqlite3.Connection, pm: ProvisionMap, upn: str, as_of: date) -> PassportData:
    return gather(pm, pupil_store.need_types(conn), upn, photo=pupil_store.get_photo(conn, upn),
                  logo=school_store.get_logo(conn), as_of=as_of)


def check_upns(pm: ProvisionMap, upns: Sequence[str]) -> list[str]:
    """The UPNs, upper-cased and de-duplicated, refusing any the school does not have."""
    known = {p.upn for p in pm.pupils}
    out: list[str] = []
    for raw in upns:
        upn = raw.strip().upper()
        if upn not in known:
            raise NotFound(f"no pupil with UPN {upn}; check it on the caseload screen")
        if upn not in out:
            out.append(upn)
    return out
