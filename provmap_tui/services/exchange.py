"""The exchange document (exchange-format.md v1): `load` and `dump`.

Load is all or nothing and names the place of every error; loading the same
document twice changes nothing; dump -> load -> dump gives the same document.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from provmap_tui.domain.calendar import Closure, SchoolCalendar, Term, validate_calendar
from provmap_tui.domain.errors import InvalidInput, describe_validation
from provmap_tui.domain.models import (
    FundingStream,
    Intervention,
    Membership,
    PassportFields,
    Provision,
    Pupil,
    SchoolSettings,
    Staff,
    StaffAssignment,
)
from provmap_tui.domain.money import parse_pence, parse_percent, pence_str, percent_str
from provmap_tui.services import library
from provmap_tui.services.setup import DEFAULT_STREAMS
from provmap_tui.store import interventions, provisions, pupils, school, snapshot, staff
from provmap_tui.store.connection import has_school, transaction

FORMAT = "provmap-exchange"
VERSION = 1


def _money(value: Any) -> int:
    if isinstance(value, float):
        raise ValueError(f"write money as a string with two decimals, like \"{value:.2f}\"")
    return parse_pence(value, "amount")


Money = Annotated[int, BeforeValidator(_money)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DocTerm(_Doc):
    name: str
    start: date
    end: date


class DocClosure(_Doc):
    date: date
    reason: str = ""


class DocSchool(_Doc):
    name: str
    urn: str = ""
    academic_year: str
    notional_threshold: Money = 600_000
    oncost_percent: str = "0"
    passport_dir: str = ""
    terms: list[DocTerm] | None = None
    closures: list[date | DocClosure] | None = None


class DocStream(_Doc):
    code: str
    name: str
    budget: Money = 0
    counts_toward_threshold: bool = False


class DocStaff(_Doc):
    id: str
    name: str
    role: str = "TA"
    hourly_rate: Money
    username: str | None = None


class DocPupil(_Doc):
    upn: str
    forename: str
    surname: str
    preferred_forename: str | None = None
    preferred_surname: str | None = None
    dob: date | None = None
    sex: str | None = None
    year_group: int | str | None = None
    reg_group: str | None = None
    sen_status: str = "N"
    needs: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    left_on: date | None = None
    passport: PassportFields | None = None
    notes: str | None = None


class DocIntervention(_Doc):
    name: str
    area: str
    description: str = ""
    default_minutes: int = 30
    default_sessions_per_week: int = 1
    default_group_size: int = 1
    default_role: str = "TA"
    phase: str = "all"


class DocStaffRef(_Doc):
    id: str
    hourly_rate: Money | None = None


class DocMember(_Doc):
    upn: str
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None


class DocProvision(_Doc):
    id: str
    intervention: str
    staff: list[str | DocStaffRef] = Field(default_factory=list)
    minutes: int
    sessions_per_week: int
    start: date | None = None
    end: date | None = None
    weeks: int | None = None
    funding_stream: str = "SEN"
    resource_cost: Money = 0
    per_pupil_cost: Money = 0
    notes: str | None = None
    members: list[DocMember] = Field(default_factory=list)


class Document(_Doc):
    format: Literal["provmap-exchange"]
    version: Literal[1]
    school: DocSchool | None = None
    funding_streams: list[DocStream] = Field(default_factory=list)
    staff: list[DocStaff] = Field(default_factory=list)
    pupils: list[DocPupil] = Field(default_factory=list)
    interventions: list[DocIntervention] = Field(default_factory=list)
    provisions: list[DocProvision] = Field(default_factory=list)


def _domain(build, where: str):
    """Build a domain model, turning its validation errors into located messages."""
    try:
        return build()
    except ValidationError as exc:
        raise InvalidInput("", describe_validation(exc, where)) from None


def parse(data: Any) -> Document:
    """Validate the document's shape; every problem is listed with its place."""
    if not isinstance(data, dict):
        raise InvalidInput("document", "must be a JSON object with \"format\": \"provmap-exchange\"")
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("", describe_validation(exc)) from None


def load(conn: sqlite3.Connection, data: Any) -> dict[str, int]:
    """Load a document into the database, all or nothing; returns counts of rows written."""
    doc = parse(data)
    written = dict.fromkeys(("school", "funding_streams", "staff", "pupils", "interventions", "provisions"), 0)
    with transaction(conn):
        _load_school(conn, doc.school, written)
        sections = (
            ("funding_streams", doc.funding_streams, _stream, school.streams,
             lambda c, m, _: school.save_stream(c, m), "code"),
            ("staff", doc.staff, _staff, staff.list_all, lambda c, m, _: staff.save(c, m), "id"),
            ("interventions", doc.interventions, lambda x: Intervention(**x.model_dump()),
             interventions.list_all, lambda c, m, _: interventions.save(c, m), "name"),
            ("pupils", doc.pupils, _pupil, pupils.list_all, pupils.save, "upn"),
            ("provisions", doc.provisions, _provision, provisions.list_all, provisions.save, "id"),
        )
        for name, items, build, list_all, save, key in sections:
            existing = {getattr(row, key): row for row in list_all(conn)}
            for i, item in enumerate(items):
                model = _domain(lambda: build(item), f"{name}[{i}]")
                if _changed(existing.get(getattr(model, key)), model):
                    save(conn, model, f"{name}[{i}]")
                    written[name] += 1
    return written


def _changed(old: BaseModel | None, new: BaseModel) -> bool:
    """Whether saving `new` would change anything (so a second load writes nothing)."""
    if old is None:
        return True
    ignore = {"version", "source"}
    return old.model_dump(exclude=ignore) != new.model_dump(exclude=ignore)


def _load_school(conn: sqlite3.Connection, s: DocSchool | None, written: dict[str, int]) -> None:
    if s is None:
        if not has_school(conn):
            raise InvalidInput("school", "this database is empty, so the document must include \"school\"")
        return
    settings = _domain(
        lambda: SchoolSettings(name=s.name, urn=s.urn, academic_year=s.academic_year,
                               threshold_pence=s.notional_threshold,
                               oncost_percent=parse_percent(s.oncost_percent, "school.oncost_percent"),
                               passport_dir=s.passport_dir),
        "school",
    )
    is_new = not has_school(conn)
    if is_new or _changed(school.get(conn), settings):
        school.save(conn, settings)
        written["school"] = 1
    if s.terms is not None or s.closures is not None or is_new:
        current = None if is_new else school.calendar(conn, settings.academic_year)
        terms = tuple(Term(t.name, t.start, t.end) for t in s.terms) if s.terms is not None else (current.terms if current else ())
        closures = tuple(
            Closure(c, "") if isinstance(c, date) else Closure(c.date, c.reason) for c in (s.closures or [])
        )
        cal = SchoolCalendar(settings.academic_year, terms, closures)
        validate_calendar(cal)
        if current is None or (current.terms, current.closures) != (cal.terms, cal.closures):
            school.replace_calendar(conn, cal)
            written["school"] = 1
    if is_new:
        for stream in DEFAULT_STREAMS:
            school.save_stream(conn, stream)
        library.bring_up_to_date(conn)


def _stream(s: DocStream) -> FundingStream:
    return FundingStream(code=s.code, name=s.name, budget_pence=s.budget,
                         counts_toward_threshold=s.counts_toward_threshold)


def _staff(s: DocStaff) -> Staff:
    return Staff(id=s.id, name=s.name, role=s.role, hourly_rate_pence=s.hourly_rate, username=s.username)


def _pupil(p: DocPupil) -> Pupil:
    return Pupil(
        upn=p.upn, forename=p.forename, surname=p.surname, preferred_forename=p.preferred_forename or "",
        preferred_surname=p.preferred_surname or "", dob=p.dob, sex=p.sex or "", year_group=p.year_group,
        reg_group=p.reg_group or "", sen_status=p.sen_status, needs=p.needs, flags=p.flags, left_on=p.left_on,
        passport=p.passport or PassportFields(), notes=p.notes or "",
    )


def _provision(p: DocProvision) -> Provision:
    assignments = [
        StaffAssignment(staff_id=s) if isinstance(s, str) else StaffAssignment(staff_id=s.id, hourly_rate_pence=s.hourly_rate)
        for s in p.staff
    ]
    return Provision(
        id=p.id, intervention=p.intervention, staff=assignments, minutes=p.minutes,
        sessions_per_week=p.sessions_per_week, start=p.start, end=p.end, weeks=p.weeks,
        funding_stream=p.funding_stream, resource_cost_pence=p.resource_cost, per_pupil_cost_pence=p.per_pupil_cost,
        notes=p.notes or "", members=sorted((Membership(upn=m.upn, start=m.from_, end=m.to) for m in p.members), key=lambda m: m.upn),
    )


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def dump(conn: sqlite3.Connection) -> dict[str, Any]:
    """The whole provision map as an exchange document, in a stable order."""
    pm = snapshot.load(conn)
    s = pm.school
    return {
        "format": FORMAT,
        "version": VERSION,
        "school": {
            "name": s.name, "urn": s.urn, "academic_year": s.academic_year,
            "notional_threshold": pence_str(s.threshold_pence), "oncost_percent": percent_str(s.oncost_percent),
            "passport_dir": s.passport_dir,
            "terms": [{"name": t.name, "start": _d(t.start), "end": _d(t.end)} for t in pm.calendar.terms],
            "closures": [
                {"date": _d(c.day), "reason": c.reason} if c.reason else _d(c.day) for c in pm.calendar.closures
            ],
        },
        "funding_streams": [
            {"code": f.code, "name": f.name, "budget": pence_str(f.budget_pence),
             "counts_toward_threshold": f.counts_toward_threshold}
            for f in pm.streams
        ],
        "staff": [
            {"id": m.id, "name": m.name, "role": m.role, "hourly_rate": pence_str(m.hourly_rate_pence),
             "username": m.username}
            for m in pm.staff
        ],
        "pupils": [
            {"upn": p.upn, "forename": p.forename, "surname": p.surname,
             "preferred_forename": p.preferred_forename, "preferred_surname": p.preferred_surname,
             "dob": _d(p.dob), "sex": p.sex, "year_group": p.year_group, "reg_group": p.reg_group,
             "sen_status": p.sen_status, "needs": list(p.needs), "flags": list(p.flags), "left_on": _d(p.left_on),
             "passport": p.passport.model_dump(), "notes": p.notes}
            for p in sorted(pm.pupils, key=lambda p: p.upn)
        ],
        "interventions": [
            {"name": x.name, "area": x.area, "description": x.description, "default_minutes": x.default_minutes,
             "default_sessions_per_week": x.default_sessions_per_week, "default_group_size": x.default_group_size,
             "default_role": x.default_role, "phase": x.phase}
            for x in sorted(pm.interventions, key=lambda x: x.name)
        ],
        "provisions": [
            {"id": p.id, "intervention": p.intervention,
             "staff": [s.staff_id if s.hourly_rate_pence is None else
                       {"id": s.staff_id, "hourly_rate": pence_str(s.hourly_rate_pence)} for s in p.staff],
             "minutes": p.minutes, "sessions_per_week": p.sessions_per_week, "start": _d(p.start),
             "end": _d(p.end), "weeks": p.weeks, "funding_stream": p.funding_stream,
             "resource_cost": pence_str(p.resource_cost_pence), "per_pupil_cost": pence_str(p.per_pupil_cost_pence),
             "notes": p.notes,
             "members": [{"upn": m.upn, "from": _d(m.start), "to": _d(m.end)} for m in p.members]}
            for p in pm.provisions
        ],
    }
