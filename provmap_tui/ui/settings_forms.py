"""The forms of the Settings screen: school, term, closure, funding stream, staff."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from provmap_tui.domain import codes
from provmap_tui.domain.calendar import Closure, SchoolCalendar, Term
from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.models import FundingStream, SchoolSettings, Staff
from provmap_tui.domain.money import format_gbp, parse_pence, parse_percent, pence_str, percent_str
from provmap_tui.services.fields import parse_day, required
from provmap_tui.services.settings_edit import SchoolChange, check_folder, check_logo_file, with_closure, with_term
from provmap_tui.ui.forms import Field

Build = Callable[[dict[str, str]], object]


def _money(field: str) -> Callable[[str], int]:
    return lambda text: parse_pence(text, field)


def _gbp(field: str) -> Callable[[str], str]:
    def describe(text: str) -> str:
        return format_gbp(parse_pence(text, field))
    return describe


def _yes_no(text: str, field: str = "counts toward threshold") -> bool:
    value = text.strip().lower()
    if value in {"y", "yes"}:
        return True
    if value in {"n", "no", ""}:
        return False
    raise InvalidInput(field, f"{text!r}: answer y or n")


_CODE = re.compile(r"^[A-Z0-9_-]{1,12}$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


def _urn(text: str) -> str:
    urn = text.strip()
    if urn and not (urn.isdigit() and 6 <= len(urn) <= 7):
        raise InvalidInput("urn", "a URN is 6 or 7 digits, e.g. 123456; or leave it blank")
    return urn


def school_form(s: SchoolSettings) -> tuple[list[Field], Build]:
    fields = [
        Field("name", "School name", s.name, lambda t: required(t, "name")),
        Field("urn", "URN", s.urn, _urn, placeholder="6 or 7 digits"),
        Field("academic_year", "Academic year", s.academic_year, read_only=True),
        Field("threshold", "Threshold £", pence_str(s.threshold_pence), _money("threshold"), _gbp("threshold"),
              placeholder="6000.00"),
        Field("oncost", "On-cost %", percent_str(s.oncost_percent), lambda t: parse_percent(t, "on-cost"),
              lambda t: f"staff cost x {100 + parse_percent(t, 'on-cost')}%", placeholder="e.g. 28.5"),
        Field("folder", "Output folder", s.passport_dir, check_folder, _describe_folder,
              placeholder="blank = the default"),
        Field("logo", "Logo file", "", check_logo_file, _describe_logo, placeholder=".png or .jpg file"),
    ]

    def build(v: dict[str, str]) -> SchoolChange:
        return SchoolChange(SchoolSettings(
            name=required(v["name"], "name"), urn=v["urn"].strip(), academic_year=s.academic_year,
            threshold_pence=parse_pence(v["threshold"], "threshold"),
            oncost_percent=parse_percent(v["oncost"], "on-cost"), passport_dir=check_folder(v["folder"]),
            version=s.version,
        ), check_logo_file(v["logo"]))
    return fields, build


def _describe_folder(text: str) -> str:
    folder = check_folder(text)
    if not folder:
        return "./passports and ./reports"
    return "passports and reports go here" if Path(folder).is_dir() else "made when first used"


def _describe_logo(text: str) -> str:
    path = check_logo_file(text)
    if path is None:
        return "blank keeps the current logo"
    return f"{path.stat().st_size // 1024 + 1} KB; stored when you save"


def stream_form(existing: FundingStream | None, taken: set[str]) -> tuple[list[Field], Build]:
    s = existing or FundingStream.model_construct(code="", name="", budget_pence=0, counts_toward_threshold=False, version=0)

    def code_check(text: str) -> str:
        code = required(text, "code").upper()
        if existing is None and code in taken:
            raise InvalidInput("code", f"{code} already exists; choose another code or edit that stream")
        if not _CODE.match(code):
            raise InvalidInput("code", f"{code!r}: use up to 12 capital letters, digits, - or _")
        return code

    fields = [
        Field("code", "Code", s.code, code_check, read_only=existing is not None, placeholder="e.g. SEN, PP"),
        Field("name", "Name", s.name, lambda t: required(t, "name")),
        Field("budget", "Budget £", pence_str(s.budget_pence), _money("budget"), _gbp("budget")),
        Field("counts", "Counted", "y" if s.counts_toward_threshold else "n", _yes_no,
              lambda t: "yes: adds to each pupil's cost against the threshold" if _yes_no(t) else "no: not against the threshold", placeholder="y or n"),
    ]

    def build(v: dict[str, str]) -> FundingStream:
        return FundingStream(
            code=code_check(v["code"]), name=required(v["name"], "name"), budget_pence=parse_pence(v["budget"], "budget"),
            counts_toward_threshold=_yes_no(v["counts"]), version=s.version,
        )
    return fields, build


def staff_form(existing: Staff | None, taken: set[str]) -> tuple[list[Field], Build]:
    s = existing or Staff.model_construct(id="", name="", role="TA", hourly_rate_pence=0, username=None, version=0)

    def id_check(text: str) -> str:
        sid = required(text, "id")
        if existing is None and sid in taken:
            raise InvalidInput("id", f"{sid} is already someone's id; choose another")
        if not _ID.match(sid):
            raise InvalidInput("id", f"{sid!r}: use up to 16 letters, digits, - or _ (no spaces)")
        return sid

    def role_check(text: str) -> str:
        role = required(text, "role")
        if role not in codes.STAFF_ROLES:
            raise InvalidInput("role", f"{role!r} is not a role; use one of {', '.join(codes.STAFF_ROLES)}")
        return role

    fields = [
        Field("id", "Id", s.id, id_check, read_only=existing is not None, placeholder="e.g. TA07"),
        Field("name", "Name", s.name, lambda t: required(t, "name")),
        Field("role", "Role", s.role, role_check, placeholder=", ".join(codes.STAFF_ROLES[:3])),
        Field("rate", "Hourly rate £", pence_str(s.hourly_rate_pence), _money("hourly rate"), _gbp("hourly rate"),
              placeholder="e.g. 14.50"),
        Field("username", "Login name", s.username or "", placeholder="optional"),
    ]

    def build(v: dict[str, str]) -> Staff:
        return Staff(
            id=id_check(v["id"]), name=required(v["name"], "name"), role=role_check(v["role"]),
            hourly_rate_pence=parse_pence(v["rate"], "hourly rate"), username=v["username"].strip() or None,
            version=s.version,
        )
    return fields, build


def term_form(cal: SchoolCalendar, index: int | None) -> tuple[list[Field], Build]:
    t = cal.terms[index] if index is not None else None
    lo, hi = cal.bounds

    def in_year(text: str, field: str) -> date | None:
        d = parse_day(text, field, required=True)
        if d is not None and not lo <= d <= hi:
            raise InvalidInput(field, f"must fall inside the academic year {lo:%d/%m/%Y} to {hi:%d/%m/%Y}")
        return d

    fields = [
        Field("name", "Term name", t.name if t else "", lambda x: required(x, "name"), placeholder="e.g. Autumn 1"),
        Field("start", "First day", t.start.isoformat() if t else "", lambda x: in_year(x, "start"),
              lambda x: f"{in_year(x, 'start'):%A %d %B %Y}"),
        Field("end", "Last day", t.end.isoformat() if t else "", lambda x: in_year(x, "end"),
              lambda x: f"{in_year(x, 'end'):%A %d %B %Y}"),
    ]

    def build(v: dict[str, str]) -> SchoolCalendar:
        start, end = in_year(v["start"], "start"), in_year(v["end"], "end")
        return with_term(cal, index, Term(required(v["name"], "name"), start, end))  # type: ignore[arg-type]
    return fields, build


def closure_form(cal: SchoolCalendar, old: Closure | None) -> tuple[list[Field], Build]:
    lo, hi = cal.bounds

    def day_check(text: str) -> date:
        d = parse_day(text, "day", required=True)
        assert d is not None
        if not lo <= d <= hi:
            raise InvalidInput("day", f"must fall inside the academic year {lo:%d/%m/%Y} to {hi:%d/%m/%Y}")
        if d.weekday() >= 5:
            raise InvalidInput("day", f"{d:%A %d %B} is a weekend; closures are school days")
        return d

    fields = [
        Field("day", "Day", old.day.isoformat() if old else "", day_check, lambda x: f"{day_check(x):%A %d %B %Y}"),
        Field("reason", "Reason", old.reason if old else "", placeholder="e.g. INSET day"),
    ]

    def build(v: dict[str, str]) -> SchoolCalendar:
        return with_closure(cal, old.day if old else None, Closure(day_check(v["day"]), v["reason"].strip()))
    return fields, build
