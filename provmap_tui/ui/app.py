"""The provmap Textual app: a thin shell of global keys, places and styles.

Each screen owns its work (loading in workers, saving, refreshing); the app only
holds the shared context, the as-of date and a counter that tells screens the
data changed while they were hidden.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial

from textual.app import App
from textual.binding import Binding

from provmap_tui.resources import data_dir
from provmap_tui.ui import nav
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.palette import ProvmapCommands
from provmap_tui.ui.preload import Preload


FUNCTION_KEY = re.compile(r"f[1-9][0-9]?")


def _style_files() -> list[str]:
    """Every stylesheet in styles/, app.tcss first."""
    files = sorted(data_dir("styles").glob("*.tcss"), key=lambda p: (p.name != "app.tcss", p.name))
    return [str(p) for p in files]


def _place_bindings() -> list[Binding]:
    return [
        Binding(p.keys, f"app.goto('{p.mode}')", p.label, show=False, id=f"goto-{p.mode}")
        for p in nav.PLACES
    ]


class ProvmapApp(App[int]):
    """The provision map: caseload, pupils, interventions, budget and settings."""

    TITLE = "provmap"
    CSS_PATH = _style_files()
    COMMANDS = App.COMMANDS | {ProvmapCommands}
    # Not in the footer (show=False): the places bar under it lists these (ui/keybar.py).
    BINDINGS = [
        Binding("f1,question_mark", "app.help", "Help", show=False, id="help"),
        *_place_bindings(),
        Binding("f10", "app.quit", "Quit", show=False, id="quit"),
    ]

    def __init__(self, ctx: AppContext, as_of: date | None = None, preload: Preload | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._as_of = as_of
        self.preload = preload  # the first caseload read, started before the app
        self.data_version = 0
        for place in nav.PLACES:
            self.add_mode(place.mode, partial(nav.build, place.mode, ctx))

    def get_key_display(self, binding: Binding) -> str:
        """Function keys as printed on the keyboard (F9, not f9), in the footer, the places
        bar and help alike."""
        shown = super().get_key_display(binding)
        return shown.upper() if FUNCTION_KEY.fullmatch(shown) else shown

    @property
    def as_of(self) -> date:
        """The date for to-date costs: fixed in tests and benchmarks, else today."""
        return self._as_of or date.today()

    def data_changed(self) -> None:
        """Call after any save, so other screens reload when shown again."""
        self.data_version += 1

    def on_mount(self) -> None:
        self.switch_mode("caseload")

    def action_goto(self, mode: str) -> None:
        if self.current_mode == mode:
            # Already there: go back to the place's own screen.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        from provmap_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def open_pupil(self, upn: str) -> None:
        """Show a pupil over the caseload, from anywhere."""
        from provmap_tui.ui.screens.pupil import PupilScreen

        self.switch_mode("caseload")
        self.push_screen(PupilScreen(self.ctx, upn))

    def open_provision(self, provision_id: str | None = None, intervention: str | None = None) -> None:
        """Edit a provision, or start one from an intervention, in the builder."""
        from provmap_tui.ui.screens.builder import BuilderScreen

        # The builder calls data_changed() when it saves; screens reload when shown again.
        self.push_screen(BuilderScreen(self.ctx, provision_id=provision_id, intervention=intervention))

    def on_unmount(self) -> None:
        if self.preload is not None:
            self.preload.cancel()
        self.ctx.close()
