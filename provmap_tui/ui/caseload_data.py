"""Reading the caseload: rows and their table cells, built off the UI thread.

The first read is started before Textual (see preload.py); later reads run in
the caseload screen's worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text

from provmap_tui.domain.money import format_gbp
from provmap_tui.services import caseload
from provmap_tui.services.caseload import CaseloadRow
from provmap_tui.ui import threshold
from provmap_tui.ui.context import AppContext


@dataclass(frozen=True)
class CaseloadData:
    school_name: str
    rows: list[CaseloadRow]


def row_cells(r: CaseloadRow) -> tuple:
    """The table cells of one pupil: Text, never str, which the table would read as markup
    (a "[" in a name would vanish) and parse, slowly, for every row."""
    return (
        Text(r.name),
        Text(r.year),
        Text(r.reg_group),
        Text(r.sen_status),
        Text(r.primary_need),
        Text(" ".join(r.flags)),
        Text(str(r.provisions or "-"), justify="right"),
        Text(caseload.hours_text(r.minutes_a_week), justify="right"),
        Text(format_gbp(r.annual, whole=True) if r.annual else "-", justify="right"),
        threshold.cell(r.counted, r.threshold),
    )


def read_caseload(ctx: AppContext, as_of: date) -> CaseloadData:
    from provmap_tui.store import snapshot

    with ctx.db() as conn:
        pm = snapshot.load(conn)
    return CaseloadData(pm.school.name, caseload.build_rows(pm, as_of))
