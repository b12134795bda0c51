"""Budget: each funding stream against its budget, the pupils over and near the
threshold, and spend by year group, need and intervention, as bar charts that
carry their values in words (readable in 16 colours and with NO_COLOR).

All figures come from services.budget, computed in a worker. The governors' SEND
report (G, or A for the anonymised one) draws the same figures under the same
headings, and is written to a PDF in a worker too.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from provmap_tui.domain.errors import ProvmapError
from provmap_tui.domain.money import format_gbp
from provmap_tui.services.budget import BudgetOverview, Total
from provmap_tui.ui.keybar import key_lines

BAR_WIDTH = 30  # the streams tab
TABLE_BAR = 14  # bars inside tables, so every column fits 80 columns
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, most: int, width: int = BAR_WIDTH) -> str:
    """A bar of value/most in eighths of a cell, padded with a dotted track to width."""
    if most <= 0 or value <= 0:
        return "·" * width
    eighths = min(width * 8, value * width * 8 // most)
    if eighths == 0:
        eighths = 1  # something, however small, shows as something
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text + "·" * (width - len(text))


def percent(part: int, whole: int) -> str:
    if whole <= 0:
        return "no budget" if part else "-"
    return f"{part * 100 // whole}%"


# Each tab's heading: the same words as the governors' report (templates/governors.json).
HEADINGS = {
    "tab-streams": "Funding streams against budget",
    "tab-pupils": "Pupils over the notional SEN threshold",
    "tab-years": "Planned spend by year group",
    "tab-needs": "Planned spend by primary need",
    "tab-interventions": "Planned spend by intervention",
    "tab-register": "Pupils on the SEN register",
}

TABS = (  # (key, tab id, title)
    ("s", "tab-streams", "Streams"),
    ("p", "tab-pupils", "Pupils"),
    ("y", "tab-years", "Years"),
    ("n", "tab-needs", "Needs"),
    ("i", "tab-interventions", "Interventions"),
    ("r", "tab-register", "Register"),
)
TAB_KEYS = Binding.Group("Tabs")


class ThresholdTable(DataTable):
    """Pupils over and near the threshold; Enter opens the highlighted pupil."""

    BINDINGS = [Binding("enter", "select_cursor", "Open pupil", id="budget-open-pupil")]


class BudgetScreen(Screen):
    """Read-only overview; letters switch tabs, Enter on a pupil opens them."""

    TITLE = "Budget"
    BINDINGS = [
        # The tab keys share one footer entry, so all fit at 80 columns; the tab bar names
        # the tabs and help (F1) lists each key.
        Binding("g", "governors_report(False)", "Governors' PDF", id="budget-governors-pdf"),
        Binding("a", "governors_report(True)", "Anonymised PDF", id="budget-governors-anonymised-pdf"),
        *(Binding(key, f"show('{tab}')", title, id=f"budget-{tab}", group=TAB_KEYS) for key, tab, title in TABS),
        Binding("f7", "reload", "Refresh", id="budget-reload"),
    ]

    class Loaded(Message):
        def __init__(self, overview: BudgetOverview) -> None:
            super().__init__()
            self.overview = overview

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, ctx) -> None:  # noqa: ANN001 - AppContext, imported lazily by the app
        super().__init__()
        self.ctx = ctx
        self.overview: BudgetOverview | None = None
        self._seen_version = -1

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="budget-tabs"):
            with TabPane("Streams", id="tab-streams"):
                yield Static(HEADINGS["tab-streams"], classes="budget-heading")
                with VerticalScroll():
                    yield Static("Loading…", id="streams")
            with TabPane("Pupils", id="tab-pupils"):
                yield Static(HEADINGS["tab-pupils"], classes="budget-heading")
                yield Static("", id="pupils-note")
                yield ThresholdTable(id="threshold-table", cursor_type="row")
            for key, tab, title in TABS[2:5]:
                with TabPane(title, id=tab):
                    yield Static(HEADINGS[tab], classes="budget-heading")
                    yield DataTable(id=f"{tab[4:]}-table", cursor_type="row")
            with TabPane("Register", id="tab-register"):
                yield Static(HEADINGS["tab-register"], classes="budget-heading")
                with VerticalScroll():
                    yield Static("", id="register")
        yield key_lines()

    def on_mount(self) -> None:
        t = self.query_one("#threshold-table", DataTable)
        for label, key, width in (("Pupil", "name", 20), ("Yr", "year", 3), ("Need", "need", 5),
                                  ("Counted", "counted", 11), ("Threshold", "status", 22), ("Prov", "n", 4)):
            t.add_column(label, key=key, width=width)
        for name in ("years", "needs", "interventions"):
            table = self.query_one(f"#{name}-table", DataTable)
            table.add_column({"years": "Year", "needs": "Primary need", "interventions": "Intervention"}[name],
                             key="label", width=14 if name == "years" else 22)
            table.add_column("Planned spend", key="bar", width=TABLE_BAR)
            table.add_column("Planned", key="annual", width=11)
            table.add_column("Spent to date", key="to_date", width=13)
            table.add_column("Pupils", key="pupils", width=6)

    def on_screen_resume(self) -> None:
        version = getattr(self.app, "data_version", 0)
        if version != self._seen_version:
            self._seen_version = version
            self._load()

    def action_reload(self) -> None:
        self._load()

    def action_show(self, tab: str) -> None:
        self.query_one("#budget-tabs", TabbedContent).active = tab
        self._focus_pane(tab)

    def _focus_pane(self, tab: str) -> None:
        """Arrows and PgUp/PgDn then move in what the tab shows."""
        pane = self.query_one(f"#{tab}", TabPane)
        for kind in (DataTable, VerticalScroll):
            found = pane.query(kind)
            if found:
                found.first().focus()
                return

    def _as_of(self) -> date:
        return getattr(self.app, "as_of", None) or date.today()

    @work(thread=True, exclusive=True, group="budget-load")
    def _load(self) -> None:
        from provmap_tui.services import budget
        from provmap_tui.store import pupils, snapshot

        try:
            with self.ctx.db() as conn:
                pm = snapshot.load(conn)
                labels = {code: label for code, (label, _plain) in pupils.need_types(conn).items()}
            overview = budget.build(pm, self._as_of(), labels)
        except ProvmapError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(overview))

    @on(Failed)
    def _failed(self, msg: Failed) -> None:
        self.notify(msg.text, severity="error", timeout=8)

    @on(Loaded)
    def _loaded(self, msg: Loaded) -> None:
        ov = self.overview = msg.overview
        self.sub_title = f"{ov.school_name} {ov.academic_year}, to date: {ov.as_of:%-d %b %Y}"
        self.query_one("#streams", Static).update(self._streams(ov))
        self._threshold(ov)
        for name, totals in (("years", ov.by_year), ("needs", ov.by_need), ("interventions", ov.by_intervention)):
            self._totals(self.query_one(f"#{name}-table", DataTable), totals)
        self.query_one("#register", Static).update(self._register(ov))
        if not isinstance(self.focused, (DataTable, VerticalScroll)):
            self._focus_pane(self.query_one("#budget-tabs", TabbedContent).active)

    # ---- tabs ------------------------------------------------------------------------

    def _streams(self, ov: BudgetOverview) -> Text:
        """Per stream: budget, then planned and to-date bars scaled to the budget."""
        lines: list[Text] = [Text(f"{BAR_WIDTH} cells = the budget; each bar says its amount and share.\n",
                                  style="italic")]

        def block(code: str, name: str, budget: int, annual: int, to_date: int, verdict: str, over: bool) -> None:
            scale = budget or max(annual, 1)
            lines.append(Text.assemble((f"{code} ", "bold"), name, "  budget ", (format_gbp(budget), "bold")))
            for label, value, style in (("planned", annual, "bold" if over else ""), ("spent to date", to_date, "")):
                lines.append(Text.assemble(
                    f"  {label:<14}", (bar(value, scale), style), f" {format_gbp(value):>13} ",
                    f"{percent(value, budget):>4}"))
            lines.append(Text(f"  {verdict}\n", style="bold" if over else "italic"))

        for st in ov.streams:
            verdict = (f"OVER BUDGET by {format_gbp(-st.remaining)}" if st.over_budget
                       else f"{format_gbp(st.remaining)} left after all planned spend")
            if st.counts_toward_threshold:
                verdict += "; counts toward the threshold"
            block(st.code, st.name, st.budget, st.annual, st.to_date, verdict, st.over_budget)
        remaining = ov.budget_total - ov.annual_total
        block("All", "streams", ov.budget_total, ov.annual_total, ov.to_date_total,
              f"OVER BUDGET by {format_gbp(-remaining)}" if remaining < 0
              else f"{format_gbp(remaining)} left after all planned spend", remaining < 0)
        return Text("\n").join(lines)

    def _threshold(self, ov: BudgetOverview) -> None:
        note = self.query_one("#pupils-note", Static)
        note.update(
            f"{len(ov.over)} over the {format_gbp(ov.threshold)} threshold (the panel evidence list, "
            f"largest excess first); {len(ov.near)} near it (80% or more). Enter opens a pupil."
        )
        table = self.query_one("#threshold-table", DataTable)
        table.clear()
        for line in (*ov.over, *ov.near):
            status = (f"OVER by {format_gbp(line.margin)}" if line.status == "over"
                      else f"near, {format_gbp(line.margin)} left")
            table.add_row(line.name, line.year, line.primary_need, Text(format_gbp(line.counted), justify="right"),
                          Text(status, style="bold" if line.status == "over" else ""), str(line.provisions),
                          key=line.upn)

    def _totals(self, table: DataTable, totals: tuple[Total, ...]) -> None:
        table.clear()
        most = max((t.annual for t in totals), default=0)
        for t in totals:
            table.add_row(t.label, bar(t.annual, most, TABLE_BAR), Text(format_gbp(t.annual), justify="right"),
                          Text(format_gbp(t.to_date), justify="right"), Text(str(t.pupils), justify="right"),
                          key=t.key or "-")

    def _register(self, ov: BudgetOverview) -> Text:
        lines = [Text(f"On the SEN register: {ov.register_total} pupils\n", style="bold"),
                 Text("By SEN status", style="bold")]
        most = max((c.count for c in ov.register_by_status), default=0)
        for c in ov.register_by_status:
            lines.append(Text(f"  {c.key} {c.label[:33]:<33} {bar(c.count, most)} {c.count:>5}"))
        lines.append(Text("\nBy primary need", style="bold"))
        most = max((c.count for c in ov.register_by_need), default=0)
        for c in ov.register_by_need:
            label = f"{c.key or '-'} {c.label}"[:35]
            lines.append(Text(f"  {label:<35} {bar(c.count, most)} {c.count:>5}"))
        return Text("\n").join(lines)

    # ---- the governors' report -------------------------------------------------------

    def action_governors_report(self, anonymise: bool) -> None:
        what = "anonymised governors' report" if anonymise else "governors' report"
        self.notify(f"Writing the {what}...", timeout=3)
        self._write_report(anonymise, what)

    @work(thread=True, group="budget-report")
    def _write_report(self, anonymise: bool, what: str) -> None:
        from provmap_tui.services import governors_file

        try:
            with self.ctx.db() as conn:
                path = governors_file.write(conn, self._as_of(), anonymise=anonymise)
        except ProvmapError as exc:
            self.app.call_from_thread(self.notify, f"The {what} was not written: {exc}", severity="error",
                                      timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Wrote the {what}: {path.resolve()}", title="Report written", timeout=10)

    @on(DataTable.RowSelected, "#threshold-table")
    def _open_pupil(self, event: DataTable.RowSelected) -> None:
        opener = getattr(self.app, "open_pupil", None)
        if callable(opener) and event.row_key.value:
            opener(event.row_key.value)
