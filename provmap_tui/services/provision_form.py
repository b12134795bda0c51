"""The builder's form: the fields exactly as typed in, checked all at once into a
Provision, or a message per field saying what to fix. No UI here, so every rule
is unit-tested; the screen only shows the messages beside the fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.models import Membership, Provision, StaffAssignment
from provmap_tui.domain.money import parse_pence


@dataclass
class MemberRow:
    """A member as the builder holds it: dates already parsed by the dates form."""

    upn: str
    start: date | None = None
    end: date | None = None


@dataclass
class DraftForm:
    """The builder's fields exactly as typed."""

    provision_id: str
    version: int = 0
    intervention: str = ""
    staff: str = ""  # staff id, "" for none
    rate: str = ""  # "" = the staff member's own rate
    minutes: str = ""
    sessions: str = ""
    start: str = ""
    end: str = ""
    weeks: str = ""
    stream: str = ""
    resource: str = ""
    per_pupil: str = ""
    notes: str = ""
    members: list[MemberRow] = field(default_factory=list)
    extra_staff: tuple[StaffAssignment, ...] = ()  # kept as saved; the form edits the lead only


@dataclass(frozen=True)
class Checked:
    provision: Provision | None
    errors: dict[str, str]


def parse_date(text: str, field_name: str) -> date | None:
    """ "2026-09-07" or "7/9/2026" (UK order); blank means none."""
    raw = text.strip()
    if not raw:
        return None
    try:
        if "/" in raw:
            d, m, y = (int(x) for x in raw.split("/"))
            return date(y if y > 99 else 2000 + y, m, d)
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(field_name, f"{raw!r} is not a date; write it like 2026-09-07 or 7/9/2026") from None


def _whole(text: str, field_name: str, what: str, lo: int, hi: int, example: int, *, blank_ok: bool = False) -> int | None:
    raw = text.strip()
    if not raw:
        if blank_ok:
            return None
        raise InvalidInput(field_name, f"enter the {what}, e.g. {example}")
    digits = raw[1:] if raw.startswith("-") else raw
    try:
        value = int(raw) if digits.isdigit() else None
    except ValueError:  # "²" passes isdigit() but is no number
        value = None
    if value is None:
        raise InvalidInput(field_name, f"{raw!r} is not a whole number; enter the {what}, e.g. {example}")
    if value < lo:
        raise InvalidInput(field_name, f"the {what} must be at least {lo}")
    if value > hi:
        raise InvalidInput(field_name, f"the {what} can be at most {hi}")
    return value


def check(form: DraftForm, *, interventions: set[str], staff_ids: set[str], streams: set[str],
          year: tuple[date, date]) -> Checked:
    """Validate every field; return the Provision only when all of them are right."""
    errors: dict[str, str] = {}

    def attempt(name: str, fn):  # noqa: ANN001, ANN202 - tiny local helper
        try:
            return fn()
        except InvalidInput as exc:
            errors[name] = exc.reason
            return None

    if not form.intervention.strip():
        errors["intervention"] = "choose an intervention from the library"
    elif form.intervention not in interventions:
        errors["intervention"] = f"no intervention called {form.intervention!r}; pick one from the library"
    if not form.staff:
        errors["staff"] = "choose who runs it"
    elif form.staff not in staff_ids:
        errors["staff"] = f"no member of staff {form.staff!r}; add them in Settings"
    rate = attempt("rate", lambda: parse_pence(form.rate, "rate") if form.rate.strip() else None)
    minutes = attempt("minutes", lambda: _whole(form.minutes, "minutes", "minutes", 1, 600, 30))
    sessions = attempt("sessions", lambda: _whole(form.sessions, "sessions", "sessions a week", 1, 25, 3))
    weeks = attempt("weeks", lambda: _whole(form.weeks, "weeks", "number of weeks", 1, 52, 12, blank_ok=True))
    start = attempt("start", lambda: parse_date(form.start, "start"))
    end = attempt("end", lambda: parse_date(form.end, "end"))
    lo, hi = year
    for name, d in (("start", start), ("end", end)):
        if d is not None and not lo <= d <= hi and name not in errors:
            errors[name] = f"{d} is outside the academic year ({lo} to {hi})"
    if start and end and end < start and "end" not in errors:
        errors["end"] = f"ends {end} before it starts {start}; swap the dates"
    if weeks is not None and end is not None:
        errors["weeks"] = "give an end date or a number of weeks, not both; clear one"
    elif weeks is not None and start is None and "start" not in errors:
        errors["start"] = f"a block of {weeks} weeks needs a start date"
    if form.stream not in streams:
        errors["stream"] = "choose a funding stream"
    resource = attempt("resource", lambda: parse_pence(form.resource or "0", "resource"))
    per_pupil = attempt("per_pupil", lambda: parse_pence(form.per_pupil or "0", "per_pupil"))

    seen: set[str] = set()
    for m in form.members:
        if m.upn in seen:
            errors["members"] = f"pupil {m.upn} is in the group twice; remove one"
        seen.add(m.upn)
        if m.start and m.end and m.end < m.start:
            errors["members"] = f"{m.upn} leaves {m.end} before joining {m.start}; fix the dates"

    if errors:
        return Checked(None, errors)
    staff = [StaffAssignment(staff_id=form.staff, hourly_rate_pence=rate)]
    staff += [s for s in form.extra_staff if s.staff_id != form.staff]
    try:
        prov = Provision(
            id=form.provision_id, intervention=form.intervention, staff=staff, minutes=minutes, sessions_per_week=sessions,
            start=start, end=end, weeks=weeks, funding_stream=form.stream, resource_cost_pence=resource,
            per_pupil_cost_pence=per_pupil, notes=form.notes.strip(), version=form.version,
            members=[Membership(upn=m.upn, start=m.start, end=m.end) for m in form.members],
        )
    except ValidationError as exc:  # belt and braces: the checks above mirror the model's
        return Checked(None, {"members": str(exc.errors()[0].get("msg", exc))})
    return Checked(prov, {})


def form_from_provision(p: Provision) -> DraftForm:
    """The builder's fields for a saved provision."""
    lead = p.staff[0] if p.staff else None
    return DraftForm(
        provision_id=p.id, version=p.version, intervention=p.intervention,
        staff=lead.staff_id if lead else "",
        rate=_pounds(lead.hourly_rate_pence) if lead and lead.hourly_rate_pence is not None else "",
        minutes=str(p.minutes), sessions=str(p.sessions_per_week),
        start=p.start.isoformat() if p.start else "", end=p.end.isoformat() if p.end else "",
        weeks=str(p.weeks) if p.weeks else "", stream=p.funding_stream,
        resource=_pounds(p.resource_cost_pence), per_pupil=_pounds(p.per_pupil_cost_pence), notes=p.notes,
        members=[MemberRow(m.upn, m.start, m.end) for m in p.members],
        extra_staff=tuple(p.staff[1:]),
    )


def _pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"
