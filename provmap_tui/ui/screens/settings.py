"""Settings: school details, the year's calendar, funding streams and staff.

Each tab is a table; N adds, E or Enter edits, D deletes (terms and closures on
the Calendar tab: N adds a term, C a closure). Every change is a form that checks
as you type and saves in a worker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from provmap_tui.domain.calendar import SchoolCalendar
from provmap_tui.domain.errors import ProvmapError
from provmap_tui.domain.models import FundingStream, SchoolSettings, Staff
from provmap_tui.domain.money import format_gbp, percent_str
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.keybar import key_lines

TABS = ("school", "calendar", "funding", "staff")


@dataclass(frozen=True)
class SettingsData:
    school: SchoolSettings
    calendar: SchoolCalendar
    streams: tuple[FundingStream, ...]
    staff: tuple[Staff, ...]
    planned: dict[str, int]  # stream code -> annual planned spend
    staff_use: dict[str, int]  # staff id -> number of provisions
    logo_bytes: int  # size of the stored logo; 0 when there is none


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("f7", "tab(-1)", "Prev tab", id="settings-prev-tab"),
        Binding("f8", "tab(1)", "Next tab", id="settings-next-tab"),
        Binding("n", "new", "New", id="settings-new"),
        Binding("c", "new_closure", "New closure", id="settings-new-closure"),
        Binding("e", "edit", "Edit", id="settings-edit"),
        Binding("d", "delete", "Delete", id="settings-delete"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.data: SettingsData | None = None
        self._loaded_version = -1

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with TabbedContent(id="settings-tabs"):
            with TabPane("School", id="school"):
                yield Static("Loading...", id="school-details")
            with TabPane("Calendar", id="calendar"):
                yield Static("", id="calendar-summary", classes="tab-summary")
                yield DataTable(id="calendar-table", cursor_type="row")
            with TabPane("Funding", id="funding"):
                yield Static("", id="funding-summary", classes="tab-summary")
                yield DataTable(id="funding-table", cursor_type="row")
            with TabPane("Staff", id="staff"):
                yield Static("", id="staff-summary", classes="tab-summary")
                yield DataTable(id="staff-table", cursor_type="row")
        yield key_lines()

    def on_mount(self) -> None:
        self.title = "Settings"
        self.load()

    def on_screen_resume(self) -> None:
        if self._loaded_version not in (-1, self.app.data_version):  # type: ignore[attr-defined]
            self.load()

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active or "school"

    # Loading -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="settings-load")
    def load(self) -> None:
        from provmap_tui.store import school, snapshot

        version = self.app.data_version  # type: ignore[attr-defined]
        with self.ctx.db() as conn:
            pm = snapshot.load(conn)
            logo = school.get_logo(conn)
        costs = pm.costs(self.app.as_of)  # type: ignore[attr-defined]
        use: dict[str, int] = {}
        for prov in pm.provisions:
            for s in prov.staff:
                use[s.staff_id] = use.get(s.staff_id, 0) + 1
        data = SettingsData(
            pm.school, pm.calendar, pm.streams, pm.staff,
            {code: sc.annual for code, sc in costs.streams.items()}, use, len(logo or b""),
        )
        self.app.call_from_thread(self._show, data, version)

    def _show(self, d: SettingsData, version: int) -> None:
        self.data = d
        self._loaded_version = version
        s = d.school
        self.sub_title = s.name
        self.query_one("#school-details", Static).update(Text.assemble(
            ("School  ", "bold"), s.name, "\n",
            ("URN  ", "bold"), s.urn or "-", "\n",
            ("Academic year  ", "bold"), s.academic_year, "\n",
            ("Threshold  ", "bold"), format_gbp(s.threshold_pence),
            "  (the notional SEN amount a pupil's counted provision is measured against)\n",
            ("On-cost  ", "bold"), f"{percent_str(s.oncost_percent)}%",
            "  (added to every staff hourly rate: NI, pension)\n",
            ("Output folder  ", "bold"), s.passport_dir or "./passports and ./reports",
            "  (passports and governors' reports)\n",
            ("Logo  ", "bold"), f"stored, {d.logo_bytes // 1024 + 1} KB" if d.logo_bytes else "none",
            "  (on passports and reports)\n\n",
            "E edits these details, the output folder and the logo (give a .png or .jpg file).",
        ))
        cal = d.calendar
        self.query_one("#calendar-summary", Static).update(
            f"{cal.academic_year}: {len(cal.terms)} terms, {len(cal.closures)} closures, "
            f"{cal.pupil_day_count} pupil days.  N new term, C new closure, E edit, D delete"
        )
        self._fill("#calendar-table", ("Kind", "Name / reason", "From", "To", "Pupil days"), [
            *(("Term", t.name, f"{t.start:%a %d %b %Y}", f"{t.end:%a %d %b %Y}",
               Text(str(cal.count_days(t.start, t.end)), justify="right")) for t in cal.terms),
            *(("Closure", c.reason, f"{c.day:%a %d %b %Y}", "", Text("")) for c in cal.closures),
        ])
        budget = sum(x.budget_pence for x in d.streams)
        planned = sum(d.planned.get(x.code, 0) for x in d.streams)
        self.query_one("#funding-summary", Static).update(
            f"Budgets {format_gbp(budget, whole=True)}, planned {format_gbp(planned, whole=True)}.  N new, E edit, D delete"
        )
        self._fill("#funding-table", ("Code", "Name", "Budget", "Planned", "Counts"), [
            (x.code, x.name, Text(format_gbp(x.budget_pence, whole=True), justify="right"),
             Text(format_gbp(d.planned.get(x.code, 0), whole=True), justify="right"),
             "yes: threshold" if x.counts_toward_threshold else "no")
            for x in d.streams
        ])
        self.query_one("#staff-summary", Static).update(f"{len(d.staff)} staff.  N new, E edit, D delete")
        self._fill("#staff-table", ("Id", "Name", "Role", "Rate/hr", "Provisions"), [
            (x.id, x.name, x.role, Text(format_gbp(x.hourly_rate_pence), justify="right"),
             Text(str(d.staff_use.get(x.id, 0)), justify="right"))
            for x in d.staff
        ])

    def _fill(self, selector: str, headings: tuple[str, ...], rows: list[tuple]) -> None:
        table = self.query_one(selector, DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns(*headings)
        table.add_rows(rows)
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1), animate=False)

    def _row(self, selector: str) -> int | None:
        table = self.query_one(selector, DataTable)
        return table.cursor_row if table.row_count and table.cursor_row >= 0 else None

    # Tabs ----------------------------------------------------------------------

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(self.tab) + step) % len(TABS)]
        table = f"#{tabs.active}-table"
        if self.query(table):
            self.query_one(table).focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return self.tab != "school"
        if action == "new_closure":
            return self.tab == "calendar"
        if action == "delete":
            return self.tab != "school"
        return True

    # Editing -------------------------------------------------------------------

    def _form(self, title: str, fields_build: tuple[list, Callable[[dict[str, str]], Any]],
              save: Callable[[sqlite3.Connection, Any], object]) -> None:
        from provmap_tui.ui.forms import FormScreen

        fields, build = fields_build
        self.app.push_screen(FormScreen(self.ctx, f"{title} (F9 saves, Esc cancels)", fields, build, save),
                             lambda saved: self.load() if saved else None)

    def action_new(self) -> None:
        self._edit(new=True)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        self._edit(new=False)

    def _edit(self, new: bool) -> None:
        from provmap_tui.services.settings_edit import save_calendar, save_school
        from provmap_tui.store import school, staff
        from provmap_tui.ui import settings_forms as forms

        d = self.data
        if d is None:
            return
        tab = self.tab
        if tab == "school":
            self._form("School details", forms.school_form(d.school), save_school)
        elif tab == "calendar":
            i = None if new else self._row("#calendar-table")
            if i is not None and i >= len(d.calendar.terms):
                closure = d.calendar.closures[i - len(d.calendar.terms)]
                self._form("Edit closure", forms.closure_form(d.calendar, closure), save_calendar)
            elif new or i is not None:
                self._form("New term" if new else "Edit term", forms.term_form(d.calendar, i), save_calendar)
        elif tab == "funding":
            i = None if new else self._row("#funding-table")
            if new or i is not None:
                existing = None if i is None else d.streams[i]
                taken = {x.code for x in d.streams}
                self._form("New funding stream" if new else f"Edit {existing.code}",  # type: ignore[union-attr]
                           forms.stream_form(existing, taken), school.save_stream)
        elif tab == "staff":
            i = None if new else self._row("#staff-table")
            if new or i is not None:
                existing = None if i is None else d.staff[i]
                taken = {x.id for x in d.staff}
                self._form("New member of staff" if new else f"Edit {existing.name}",  # type: ignore[union-attr]
                           forms.staff_form(existing, taken), staff.save)

    def action_new_closure(self) -> None:
        from provmap_tui.services.settings_edit import save_calendar
        from provmap_tui.ui import settings_forms as forms

        if self.data is not None:
            self._form("New closure", forms.closure_form(self.data.calendar, None), save_calendar)

    def action_delete(self) -> None:
        from provmap_tui.services import settings_edit as edit

        d = self.data
        if d is None:
            return
        tab = self.tab
        i = self._row(f"#{tab}-table") if tab != "school" else None
        if i is None:
            return
        change: Callable[[sqlite3.Connection], object]
        if tab == "calendar":
            n = len(d.calendar.terms)
            if i < n:
                what = f"the term {d.calendar.terms[i].name}"
                cal = edit.with_term(d.calendar, i, None)
            else:
                c = d.calendar.closures[i - n]
                what = f"the closure on {c.day:%d %b %Y}"
                cal = edit.with_closure(d.calendar, c.day, None)
            change = lambda conn: edit.save_calendar(conn, cal)  # noqa: E731
        elif tab == "funding":
            code = d.streams[i].code
            what = f"the funding stream {code}"
            change = lambda conn: edit.delete_stream(conn, code)  # noqa: E731
        else:
            sid = d.staff[i].id
            what = f"{d.staff[i].name} ({sid})"
            change = lambda conn: edit.delete_staff(conn, sid)  # noqa: E731
        from provmap_tui.ui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(f"Delete {what}?", "Delete", "Keep"),
                             lambda yes: self._delete(change, what) if yes else None)

    @work(thread=True, exclusive=True, group="settings-save")
    def _delete(self, change: Callable[[sqlite3.Connection], object], what: str) -> None:
        from provmap_tui.store.connection import transaction

        try:
            with self.ctx.db() as conn, transaction(conn, self.ctx.db_path):
                change(conn)
        except ProvmapError as exc:
            self.app.call_from_thread(self.notify, f"Not deleted: {exc}", severity="error", timeout=8)
            return
        self.app.call_from_thread(self._deleted, what)

    def _deleted(self, what: str) -> None:
        self.app.data_changed()  # type: ignore[attr-defined]
        self.notify(f"Deleted {what}")
        self.load()
