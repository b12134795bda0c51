"""The intervention library: find one as you type, filter by area of need, see its
defaults, and press Enter to start a provision from it in the builder.

The school adds its own interventions and edits any entry here; an edited library
entry is kept when the shipped library is updated (store.interventions.save).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Static

from provmap_tui.domain.codes import AREAS
from provmap_tui.domain.errors import ProvmapError
from provmap_tui.domain.models import Intervention
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.keybar import key_lines
from provmap_tui.ui.screens.intervention_form import InterventionFormScreen

AREA_CYCLE = ("", *AREAS)  # "" = every area


def matches(item: Intervention, words: list[str], area: str) -> bool:
    """Every typed word appears in the name, description, area or role."""
    if area and item.area != area:
        return False
    hay = f"{item.name} {item.description} {item.area} {item.default_role}".lower()
    return all(w in hay for w in words)


class LibraryTable(DataTable):
    """The filtered library; n adds an intervention, e edits the highlighted one."""

    BINDINGS = [
        Binding("enter", "screen.start", "Start provision", id="picker-start-list"),
        Binding("n", "screen.new", "New intervention", id="picker-new"),
        Binding("e", "screen.edit", "Edit", id="picker-edit"),
    ]


class LibrarySearch(Input):
    """Typing filters the list; Up/Down move in it, Enter starts a provision, Esc goes to the list."""

    BINDINGS = [
        Binding("down", "screen.move(1)", "Next", show=False, id="picker-next"),
        Binding("up", "screen.move(-1)", "Previous", show=False, id="picker-prev"),
        Binding("pagedown", "screen.move(10)", "Page down", show=False, id="picker-page-down"),
        Binding("pageup", "screen.move(-10)", "Page up", show=False, id="picker-page-up"),
        Binding("enter", "screen.start", "Start provision", id="picker-start-search"),
        Binding("escape", "screen.to_list", "To the list", id="picker-to-list"),
    ]


class PickerScreen(Screen):
    """Choose an intervention; Enter opens the builder with its defaults."""

    TITLE = "Interventions"
    BINDINGS = [
        Binding("f7", "area", "Area filter", id="picker-area"),
        Binding("f8", "search", "Search", id="picker-search"),
        Binding("escape", "back", "Back", id="picker-back"),
    ]

    class Loaded(Message):
        def __init__(self, items: list[Intervention], pupil_name: str = "") -> None:
            super().__init__()
            self.items = items
            self.pupil_name = pupil_name

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, ctx: AppContext, add_upn: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.add_upn = add_upn
        self.items: list[Intervention] = []
        self.shown: list[Intervention] = []
        self.area = ""
        self._seen_version = -1

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="picker"):
            with Horizontal(id="picker-top"):
                yield Label("Search", classes="b-lbl")
                yield LibrarySearch(placeholder="name, need or words from the description", id="picker-query",
                                    compact=True)
                yield Static("", id="picker-area-label")
            if self.add_upn:
                yield Static("", id="picker-for", classes="muted")
            yield LibraryTable(id="library", cursor_type="row")
            yield Static("", id="picker-detail")
        yield key_lines()

    def on_mount(self) -> None:
        table = self.query_one("#library", LibraryTable)
        table.add_column("Intervention", key="name", width=30)
        table.add_column("Area", key="area", width=4)
        table.add_column("Mins", key="mins", width=4)
        table.add_column("/wk", key="week", width=3)
        table.add_column("Group", key="group", width=5)
        table.add_column("Role", key="role", width=10)
        table.add_column("From", key="source", width=7)
        self._area_label()
        self.query_one("#picker-query", LibrarySearch).focus()

    def on_screen_resume(self) -> None:
        version = getattr(self.app, "data_version", 0)
        if version != self._seen_version:
            self._seen_version = version
            self._load()

    @work(thread=True, exclusive=True, group="picker-load")
    def _load(self) -> None:
        from provmap_tui.store import interventions, pupils

        try:
            with self.ctx.db() as conn:
                items = interventions.list_all(conn)
                name = pupils.get(conn, self.add_upn).name if self.add_upn else ""
        except ProvmapError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(items, name))

    @on(Loaded)
    def _loaded(self, msg: Loaded) -> None:
        self.items = msg.items
        if msg.pupil_name:
            self.query_one("#picker-for", Static).update(
                f"Adding {msg.pupil_name}: Enter starts a new provision with them in it.")
        self.refilter()

    @on(Failed)
    def _failed(self, msg: Failed) -> None:
        self.notify(msg.text, severity="error", timeout=8)

    # ---- filtering ---------------------------------------------------------------

    @on(Input.Changed, "#picker-query")
    def refilter(self) -> None:
        self.refresh_bindings()
        words = self.query_one("#picker-query", LibrarySearch).value.lower().split()
        table = self.query_one("#library", LibraryTable)
        current = self._highlighted()
        self.shown = [i for i in self.items if matches(i, words, self.area)]
        table.clear()
        for i in self.shown:
            table.add_row(i.name, i.area, str(i.default_minutes), str(i.default_sessions_per_week),
                          str(i.default_group_size), i.default_role, i.source, key=i.name)
        keep = next((n for n, i in enumerate(self.shown) if current and i.name == current.name), 0)
        if self.shown:
            table.move_cursor(row=keep)
        self._show_detail()
        self.sub_title = f"{len(self.shown)} of {len(self.items)}" + (f", {self.area} only" if self.area else "")

    def _highlighted(self) -> Intervention | None:
        table = self.query_one("#library", LibraryTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowHighlighted, "#library")
    def _show_detail(self) -> None:
        item = self._highlighted()
        detail = self.query_one("#picker-detail", Static)
        if item is None:
            detail.update("No intervention matches. Clear the search (F8) or change the area (F7), "
                          "or press n in the list to add your own.")
            return
        detail.update(Text.assemble(
            (item.name, "bold"), f"  {item.area}: {AREAS.get(item.area, item.area)}\n",
            f"{item.default_minutes} minutes, {item.default_sessions_per_week} a week, groups of "
            f"{item.default_group_size}, usually {item.default_role}; {item.phase} phases.\n",
            item.description or "(no description)",
        ))

    def _area_label(self) -> None:
        text = f"Area: {self.area or 'all'} (F7)"
        self.query_one("#picker-area-label", Static).update(text)

    def action_area(self) -> None:
        self.area = AREA_CYCLE[(AREA_CYCLE.index(self.area) + 1) % len(AREA_CYCLE)]
        self._area_label()
        self.refilter()

    def action_move(self, step: int) -> None:
        table = self.query_one("#library", LibraryTable)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + step)))

    def action_search(self) -> None:
        self.query_one("#picker-query", LibrarySearch).focus()

    def action_to_list(self) -> None:
        self.query_one("#library", LibraryTable).focus()

    # ---- starting a provision, adding and editing ------------------------------------

    @on(DataTable.RowSelected, "#library")
    def action_start(self) -> None:
        item = self._highlighted()
        if item is None:
            self.notify("No intervention is highlighted; search or change the area first.", severity="warning")
            return
        from provmap_tui.ui.screens.builder import BuilderScreen

        self.app.push_screen(BuilderScreen(self.ctx, intervention=item.name, add_upn=self.add_upn), self._built)

    def _built(self, provision_id: object) -> None:
        # Adding a pupil from their page: once the provision is saved, go back to them.
        if provision_id and self.add_upn and self._pushed():
            self.dismiss(provision_id)

    def _pushed(self) -> bool:
        return len(self.app.screen_stack) > 1 and self.app.screen_stack[0] is not self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # The base screen of its place: Esc only clears a search there.
            return self._pushed() or bool(self.query_one("#picker-query", LibrarySearch).value)
        return True

    def action_back(self) -> None:
        if self._pushed():
            self.dismiss(None)
        elif self.query_one("#picker-query", LibrarySearch).value:
            self.query_one("#picker-query", LibrarySearch).value = ""

    def action_new(self) -> None:
        self.app.push_screen(InterventionFormScreen(None, {i.name for i in self.items}), self._save)

    def action_edit(self) -> None:
        item = self._highlighted()
        if item is None:
            self.notify("Highlight the intervention to edit first.", severity="warning")
            return
        self.app.push_screen(InterventionFormScreen(item, {i.name for i in self.items}), self._save)

    def _save(self, item: Intervention | None) -> None:
        if item is not None:
            self._write(item)

    @work(thread=True, exclusive=True, group="picker-save")
    def _write(self, item: Intervention) -> None:
        from provmap_tui.store import interventions
        from provmap_tui.store.connection import transaction

        try:
            with self.ctx.db() as conn, transaction(conn):
                interventions.save(conn, item)
                items = interventions.list_all(conn)
        except ProvmapError as exc:
            self.post_message(self.Failed(f"Not saved: {exc}"))
            return
        self.app.call_from_thread(self._written, item.name, items)

    def _written(self, name: str, items: list[Intervention]) -> None:
        changed = getattr(self.app, "data_changed", None)
        if callable(changed):
            changed()
            self._seen_version = getattr(self.app, "data_version", 0)
        self.items = items
        self.refilter()
        index = next((n for n, i in enumerate(self.shown) if i.name == name), None)
        if index is not None:
            self.query_one("#library", LibraryTable).move_cursor(row=index)
        self.notify(f"Saved {name}.")
