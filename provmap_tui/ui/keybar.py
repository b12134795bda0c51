"""The bottom two lines of every full screen: the screen's own keys, then the keys that
work everywhere, with the current place marked.

One footer line cannot hold both: at 80 columns (and on the caseload even at 120) the
places were cut off. The second line lists the app's own bindings as they are bound
now, so a key remapped by its Binding id shows as remapped.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Click
from textual.widget import Widget
from textual.widgets import Footer


class PlacesBar(Widget):
    """F1 Help  F2 Caseload  F3 Interventions ... F10 Quit; clickable; the current place reversed."""

    COMPONENT_CLASSES = {"places-bar--key", "places-bar--label", "places-bar--here"}
    DEFAULT_CSS = """
    PlacesBar {
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        .places-bar--key { color: $footer-key-foreground; text-style: bold; }
        .places-bar--label { color: $footer-description-foreground; }
        .places-bar--here { text-style: reverse; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (start, end, action) of each entry as drawn

    def on_mount(self) -> None:
        # Redrawn whenever the footer is: a new keymap, or a change of focus.
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def entries(self) -> list[tuple[str, str, str]]:
        """(key as shown, label, action) of each of the app's own keys, in the app's order,
        each under the first key that is bound to it now (after any keymap)."""
        app = self.app
        first_key: dict[str, str] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if active.node is app and binding.id and binding.id not in first_key:
                first_key[binding.id] = app.get_key_display(binding.with_key(key))
        return [
            (first_key[b.id], b.description, b.action)
            for b in type(app).BINDINGS
            if isinstance(b, Binding) and b.id in first_key and b.description
        ]

    def render(self) -> RenderResult:
        key_style = self.get_component_rich_style("places-bar--key")
        label_style = self.get_component_rich_style("places-bar--label")
        here = self.get_component_rich_style("places-bar--here")
        current = f"app.goto('{self.app.current_mode}')"
        line = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for key, label, action in self.entries():
            line.append(" ")
            start = len(line)
            extra = here if action == current else Style()
            line.append(key, key_style + extra)
            line.append(" " + label, label_style + extra)
            self._spans.append((start, len(line), action))
        return line

    async def on_click(self, event: Click) -> None:
        # Clicks are found by column rather than as @click links, which Textual would
        # restyle (and, in 16 colours, draw without the bar's background).
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.app.run_action(action)
                return


def key_lines() -> Vertical:
    """The footer (this screen's keys, and Ctrl+P on the right) over the places bar,
    docked at the bottom."""
    return Vertical(Footer(), PlacesBar(), classes="key-lines")
