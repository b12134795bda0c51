"""One pupil's page: who they are, their needs in plain English, and what their
provision costs (each provision's share, totals by stream, against the threshold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from provmap_tui.domain.codes import FLAGS
from provmap_tui.domain.costing import threshold_status
from provmap_tui.domain.errors import NotFound
from provmap_tui.domain.models import Pupil
from provmap_tui.domain.money import round_half_up
from provmap_tui.domain.provision_map import ProvisionMap


@dataclass(frozen=True)
class ProvisionLine:
    provision_id: str
    intervention: str
    staff: str  # names, comma separated
    minutes: int
    sessions_per_week: int
    members: int
    share_percent: int  # the pupil's share of the provision's annual cost, rounded
    stream: str
    annual: int
    to_date: int
    joined: date | None
    left: date | None

    @property
    def weekly_minutes(self) -> int:
        return self.minutes * self.sessions_per_week


@dataclass(frozen=True)
class PupilSummary:
    pupil: Pupil
    needs: tuple[tuple[str, str, str], ...]  # (code, census label, plain English), in rank order
    flags: tuple[tuple[str, str], ...]
    lines: tuple[ProvisionLine, ...]
    by_stream: tuple[tuple[str, str, int, int, bool], ...]  # (code, name, annual, to date, counts)
    annual: int
    to_date: int
    counted: int
    threshold: int
    status: str
    margin: int


def summarise(pm: ProvisionMap, upn: str, need_types: dict[str, tuple[str, str]], as_of: date) -> PupilSummary:
    pupil = next((p for p in pm.pupils if p.upn == upn), None)
    if pupil is None:
        raise NotFound(f"no pupil with UPN {upn}; they may have been deleted")
    summary = pm.costs(as_of)
    staff_names = {s.id: s.name for s in pm.staff}
    streams = {s.code: s for s in pm.streams}
    lines = []
    for prov in pm.provisions:
        member = next((m for m in prov.members if m.upn == upn), None)
        if member is None:
            continue
        pc = summary.provisions[prov.id]
        annual = pc.annual_shares.get(upn, 0)
        share = round_half_up(Fraction(annual * 100, pc.annual)) if pc.annual else 0
        lines.append(ProvisionLine(
            provision_id=prov.id,
            intervention=prov.intervention,
            staff=", ".join(staff_names.get(s.staff_id, s.staff_id) for s in prov.staff),
            minutes=prov.minutes,
            sessions_per_week=prov.sessions_per_week,
            members=len(prov.members),
            share_percent=share,
            stream=prov.funding_stream,
            annual=annual,
            to_date=pc.to_date_shares.get(upn, 0),
            joined=member.start,
            left=member.end,
        ))
    by_stream: dict[str, list[int]] = {}
    for line in lines:
        totals = by_stream.setdefault(line.stream, [0, 0])
        totals[0] += line.annual
        totals[1] += line.to_date
    stream_rows = tuple(
        (code, streams[code].name if code in streams else code, a, t,
         bool(streams[code].counts_toward_threshold) if code in streams else False)
        for code, (a, t) in by_stream.items()
    )
    cost = summary.pupils.get(upn)
    counted = cost.counted if cost else 0
    status, margin = threshold_status(counted, pm.school.threshold_pence)
    return PupilSummary(
        pupil=pupil,
        needs=tuple((c, *need_types.get(c, (c, ""))) for c in pupil.needs),
        flags=tuple((f, FLAGS.get(f, f)) for f in pupil.flags),
        lines=tuple(lines),
        by_stream=stream_rows,
        annual=sum(line.annual for line in lines),
        to_date=sum(line.to_date for line in lines),
        counted=counted,
        threshold=pm.school.threshold_pence,
        status=status,
        margin=margin,
    )


def other_provisions(pm: ProvisionMap, upn: str) -> list[tuple[str, str]]:
    """(id, description) of every provision the pupil is not in, for "add to a provision"."""
    staff_names = {s.id: s.name for s in pm.staff}
    out = []
    for prov in pm.provisions:
        if any(m.upn == upn for m in prov.members):
            continue
        who = ", ".join(staff_names.get(s.staff_id, s.staff_id) for s in prov.staff) or "no staff yet"
        n = len(prov.members)
        out.append((prov.id, f"{prov.id} {prov.intervention} ({n} pupil{'s' if n != 1 else ''}, {who})"))
    return out
