"""Everything the command palette can jump to: pupils, provisions, interventions."""

from __future__ import annotations

from datetime import date

import sqlite3
from dataclasses import dataclass

from provmap_tui.domain.codes import SEN_STATUSES, year_label
from provmap_tui.store import interventions, provisions, pupils


@dataclass(frozen=True)
class Target:
    kind: str  # pupil | provision | intervention
    key: str  # UPN, provision id or intervention name
    text: str  # what the palette matches and shows
    help: str


def targets(conn: sqlite3.Connection) -> list[Target]:
    """Current pupils first, then provisions, then the intervention library."""
    found: list[Target] = []
    today = date.today()
    for p in pupils.list_all(conn):
        if p.has_left(today):
            continue
        place = " ".join(x for x in (year_label(p.year_group), p.reg_group) if x)
        need = f", {p.needs[0]}" if p.needs else ""
        found.append(Target("pupil", p.upn, f"{p.name} {p.upn}",
                            f"Pupil, {place}, {SEN_STATUSES.get(p.sen_status, p.sen_status)}{need}"))
    for prov in provisions.list_all(conn):
        n = len(prov.members)
        found.append(Target(
            "provision", prov.id, f"{prov.id} {prov.intervention}",
            f"Provision: {n} pupil{'s' if n != 1 else ''}, {prov.minutes} min x {prov.sessions_per_week} a week",
        ))
    for i in interventions.list_all(conn):
        found.append(Target("intervention", i.name, i.name, f"Start a new provision of this intervention ({i.area})"))
    return found
