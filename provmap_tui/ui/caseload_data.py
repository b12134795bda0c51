"""Reading the caseload: rows and their table cells, built off the UI thread.

The first read starts as soon as the database is open, before Textual has
started, so the caseload is ready about when the screen is (start-up matters
over SSH on slow machines). Later reads run in the caseload screen's worker.
"""

from __future__ import annotations

import threading
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
    """The table cells of one pupil."""
    return (
        r.name,
        r.year,
        r.reg_group,
        r.sen_status,
        r.primary_need,
        " ".join(r.flags),
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


class Preload:
    """The first caseload read, on its own thread; taken once by the caseload screen."""

    def __init__(self, ctx: AppContext, as_of: date) -> None:
        self._result: CaseloadData | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(ctx, as_of), name="caseload-preload", daemon=True)
        self._thread.start()

    def _run(self, ctx: AppContext, as_of: date) -> None:
        try:
            self._result = read_caseload(ctx, as_of)
        except BaseException as exc:  # handed to the screen's worker, which reports it
            self._error = exc

    def take(self) -> CaseloadData | None:
        """Wait for the read; its result the first time, None after (read afresh then)."""
        self._thread.join()
        result, self._result = self._result, None
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return result
