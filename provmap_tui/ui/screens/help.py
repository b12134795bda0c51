"""F1 / ?: every key of the screen underneath, then the keys that work everywhere."""

from __future__ import annotations

from rich.table import Table
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _chain(screen: Screen) -> list[DOMNode]:
    """The focused widget and its parents, then the screen, then the app."""
    nodes: list[DOMNode] = []
    node = screen.focused
    while node is not None and node is not screen:
        nodes.append(node)
        node = node.parent
    return [*nodes, screen, screen.app]


def _heading(node: DOMNode, screen: Screen) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        return f"On this screen ({screen.title or type(screen).__name__})"
    return f"In {node.id or type(node).__name__}"


def key_groups(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(keys, what it does)]) for the focused widget, the screen and the app.

    A binding's tooltip, where it has one, is the full wording of its short footer
    label. Only provmap's own keys are listed (every one has an id); Textual's editing
    and scrolling keys are summed up in a note."""
    app = screen.app
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for node in _chain(screen):
        rows: dict[str, list[str]] = {}
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                if not binding.description or binding.system or binding.id is None:
                    continue
                action = binding.action.removeprefix("app.")
                name, _, params = action.partition("(")
                # Leave out what the app or screen offers only at other times (Esc with no browser open).
                if node in (app, screen) and node.check_action(name, (params.strip("()'\""),) if params else ()) is False:
                    continue
                rows.setdefault(binding.tooltip or binding.description, []).append(app.get_key_display(binding.with_key(key)))
        if rows:
            groups.append((_heading(node, screen), [(" / ".join(keys), desc) for desc, keys in rows.items()]))
    return groups


NOTE = (
    "Ctrl+P finds any pupil (name or UPN), provision or intervention.\n"
    "Arrows, PgUp/PgDn, Home/End move in lists; Tab and Shift+Tab move between fields; "
    "the mouse works too but is never needed."
)


class HelpScreen(ModalScreen[None]):
    """A list of keys; Escape, F1 or ? closes it."""

    BINDINGS = [
        Binding("escape,f1,question_mark,enter", "close", "Close help", id="help-close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._groups = key_groups(under)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys  (Esc closes)", id="help-title")
            with VerticalScroll(id="help-body"):
                for heading, rows in self._groups:
                    table = Table(title=heading, title_justify="left", show_header=False, box=None)
                    table.add_column("Key", style="bold", no_wrap=True, min_width=12)
                    table.add_column("Does")
                    for keys, desc in rows:
                        table.add_row(keys, desc)
                    yield Static(table, classes="help-group")
                yield Static(NOTE, classes="help-group muted")

    def action_close(self) -> None:
        self.dismiss(None)
