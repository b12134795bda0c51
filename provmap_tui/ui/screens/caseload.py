"""Home: the SEN register (or whole school) with each pupil's cost against the threshold."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from provmap_tui.domain.money import format_gbp
from provmap_tui.services import caseload
from provmap_tui.services.caseload import CaseloadRow
from provmap_tui.ui import nav
from provmap_tui.ui.caseload_data import CaseloadData, read_caseload, row_cells
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.keybar import key_lines

# Wider tables filter after a short pause in typing, so each key stays instant.
DEBOUNCE_ROWS = 600
DEBOUNCE_S = 0.12

# Below this many columns the table uses short headings and fixed widths to fit 80x24.
WIDE = 100
COMPACT_HEADINGS = {**caseload.SORTS, "sen": ("St",), "hours": ("Hrs",), "threshold": ("Threshold",)}
# Fixed widths: nothing to measure as rows arrive, and no reflow a frame later.
WIDTHS = {"name": 24, "year": 3, "class": 5, "sen": 3, "need": 4, "flags": 10, "provisions": 4, "hours": 6,
          "annual": 8, "threshold": 12}
COMPACT_WIDTHS = {**WIDTHS, "name": 14, "sen": 2, "flags": 6, "hours": 4, "annual": 7, "threshold": 10}


class CaseloadScreen(Screen[None]):
    """Filter as you type; S/R sort; W whole school; Enter opens the pupil; P and B print passports."""

    BINDINGS = [
        # Priority: focus moves before the keys typed straight after "/" are delivered.
        Binding("slash", "filter", "Filter", priority=True, id="caseload-filter"),
        Binding("s", "sort_next", "Sort", id="caseload-sort"),
        Binding("r", "sort_reverse", "Rev", tooltip="Reverse", id="caseload-reverse"),
        Binding("w", "toggle_scope", "All", tooltip="Whole school", id="caseload-scope"),
        # Priority, so the footer shows it over the table's own (hidden) Enter.
        Binding("enter", "open", "Open", tooltip="Open pupil", priority=True, id="caseload-open"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="caseload-clear"),
        Binding("p", "passport", "Passport", id="caseload-passport"),
        Binding("b", "batch_passports", "Batch", tooltip="Batch passports", id="caseload-batch"),
    ]

    AUTO_FOCUS = "#caseload"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[CaseloadRow] = []
        self.cells: dict[str, tuple] = {}
        self.shown: list[CaseloadRow] = []
        self.sort_column = "name"
        self.sort_reverse = False
        self.whole_school = False
        self._loaded_version = -1
        self._debounce: Timer | None = None
        self._compact = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="caseload-bar"):
            yield Input(placeholder="Filter: name, UPN, Y5, SLCN, K or E, PP, over", id="filter")
            yield Static("SEN register", id="scope")
        table: DataTable = DataTable(id="caseload", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield table
        yield Static("Loading the caseload...", id="caseload-summary")
        yield key_lines()

    def on_mount(self) -> None:
        self.title = "Caseload"
        self.load()

    def on_screen_resume(self) -> None:
        if self._loaded_version != -1 and self._loaded_version != self.app.data_version:  # type: ignore[attr-defined]
            self.load()

    @work(thread=True, exclusive=True, group="caseload-load")
    def load(self) -> None:
        from provmap_tui.domain.errors import ProvmapError

        app = self.app
        version = app.data_version  # type: ignore[attr-defined]
        try:
            preload = getattr(app, "preload", None)
            data = preload.take() if preload is not None else None
            if get_current_worker().is_cancelled:  # the user quit before it came
                return
            if data is None:
                data = read_caseload(self.ctx, app.as_of)  # type: ignore[attr-defined]
        except ProvmapError as exc:
            app.call_from_thread(self.notify, f"Cannot read the caseload: {exc}", severity="error")
            return
        app.call_from_thread(self._loaded, data, version)

    def _loaded(self, data: CaseloadData, version: int) -> None:
        if self._loaded_version == -1:
            # Once the first caseload is on screen, not before: it must not wait for them.
            self.call_after_refresh(self._import_other_screens)
        self.sub_title = data.school_name
        self.rows = data.rows
        self.cells = {}
        self._loaded_version = version
        table = self.query_one(DataTable)
        self.refresh_table()
        if self.focused is None:
            table.focus()

    @work(thread=True, group="import-screens", exit_on_error=False)  # a broken screen fails when opened
    def _import_other_screens(self) -> None:
        nav.import_screens()

    def refresh_table(self) -> None:
        """Filter, sort and show the rows, keeping the highlighted pupil if still shown."""
        table = self.query_one(DataTable)
        keep = self.highlighted_upn()
        text = self.query_one("#filter", Input).value
        shown = caseload.sort_rows(
            caseload.filter_rows(self.rows, text, self.whole_school), self.sort_column, self.sort_reverse
        )
        self.shown = shown
        table.clear(columns=True)
        arrow = "▼" if self.sort_reverse else "▲"
        compact = self.size.width < WIDE
        self._compact = compact
        for key in caseload.SORT_ORDER:
            heading = (COMPACT_HEADINGS if compact else caseload.SORTS)[key][0]
            label = heading + (arrow if key == self.sort_column else "")
            right = key in {"provisions", "hours", "annual"}
            table.add_column(
                Text(label, justify="right") if right else label, key=key,
                width=(COMPACT_WIDTHS if compact else WIDTHS)[key],
            )
        cells = self.cells
        for r in shown:  # cells are built the first time a pupil is shown
            if r.upn not in cells:
                cells[r.upn] = row_cells(r)
        table.add_rows([cells[r.upn] for r in shown])
        if keep is not None:
            for i, r in enumerate(shown):
                if r.upn == keep:
                    table.move_cursor(row=i, animate=False)
                    break
        self._show_summary()

    def on_resize(self) -> None:
        if self.rows and (self.size.width < WIDE) != self._compact:
            self.refresh_table()

    def _show_summary(self) -> None:
        n, over, annual = caseload.totals(self.shown)
        self.query_one("#scope", Static).update("Whole school" if self.whole_school else "SEN register")
        heading = caseload.SORTS[self.sort_column][0]
        order = "down" if self.sort_reverse else "up"
        self.query_one("#caseload-summary", Static).update(
            f"{n} pupil{'s' if n != 1 else ''}, {over} ▲ over threshold, {format_gbp(annual, whole=True)} a year"
            f" | sort: {heading} {order}"
        )

    def highlighted_upn(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row].upn

    # Filtering ---------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if len(self.rows) > DEBOUNCE_ROWS:
            self._debounce = self.set_timer(DEBOUNCE_S, self.refresh_table)
        else:
            self.refresh_table()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))  # at once: the next key is already typed

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.set_focus(self.query_one(DataTable))

    # Sorting and scope ---------------------------------------------------------

    def action_sort_next(self) -> None:
        order = caseload.SORT_ORDER
        self.sort_column = order[(order.index(self.sort_column) + 1) % len(order)]
        self.sort_reverse = False
        self.refresh_table()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refresh_table()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = key, False
        self.refresh_table()

    def action_toggle_scope(self) -> None:
        self.whole_school = not self.whole_school
        self.refresh_table()

    # Opening a pupil -----------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        if isinstance(self.focused, Input):
            # Enter in the filter box: done typing, back to the list.
            self.set_focus(self.query_one(DataTable))
            return
        upn = self.highlighted_upn()
        if upn is None:
            self.notify("No pupil is highlighted; clear the filter (Esc) to see the list.", severity="warning")
            return
        from provmap_tui.ui.screens.pupil import PupilScreen

        self.app.push_screen(PupilScreen(self.ctx, upn))

    # Passports -------------------------------------------------------------------

    def action_passport(self) -> None:
        upn = self.highlighted_upn()
        if upn is None:
            self.notify("No pupil is highlighted; clear the filter (Esc) to see the list.", severity="warning")
            return
        self.notify("Writing the passport...", timeout=2)
        self.write_passport(upn)

    @work(thread=True, group="passport")
    def write_passport(self, upn: str) -> None:
        from provmap_tui.domain.errors import ProvmapError
        from provmap_tui.ui.pdf_jobs import shown_path, write_passport

        try:
            path = write_passport(self.ctx, upn, self.app.as_of)  # type: ignore[attr-defined]
        except ProvmapError as exc:
            self.app.call_from_thread(self.notify, f"No passport written: {exc}", severity="error", timeout=12)
            return
        self.app.call_from_thread(self.notify, f"Passport written: {shown_path(path)}", timeout=8)

    def action_batch_passports(self) -> None:
        from provmap_tui.ui.screens.passport_batch import (
            BatchChoiceScreen,
            BatchProgressScreen,
        )

        def chosen(choice) -> None:
            if choice is not None:
                self.app.push_screen(BatchProgressScreen(self.ctx, choice, self.app.as_of))  # type: ignore[attr-defined]

        shown = [r.upn for r in self.shown]
        self.app.push_screen(BatchChoiceScreen(shown, self.query_one("#filter", Input).value), chosen)
