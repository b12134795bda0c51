"""The app's top-level places, each one key away, and how to build them.

No screen module but the caseload's is imported before the caseload is on screen,
so start-up stays fast; the rest are imported on a thread just after (`import_screens`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from provmap_tui.ui.context import AppContext


@dataclass(frozen=True)
class Place:
    mode: str
    keys: str  # Textual key names, comma separated; the first is shown in the places bar
    label: str
    module: str
    cls: str


PLACES: tuple[Place, ...] = (
    Place("caseload", "f2,2", "Caseload", "provmap_tui.ui.screens.caseload", "CaseloadScreen"),
    Place("interventions", "f3,3", "Interventions", "provmap_tui.ui.screens.picker", "PickerScreen"),
    Place("budget", "f4,4", "Budget", "provmap_tui.ui.screens.budget", "BudgetScreen"),
    Place("settings", "f5,5", "Settings", "provmap_tui.ui.screens.settings", "SettingsScreen"),
    Place("import", "f6,6", "Import", "provmap_tui.ui.screens.import_screen", "ImportScreen"),
)
BY_MODE = {p.mode: p for p in PLACES}
# Opened from the caseload more often than any place: imported ahead too.
NEXT_STEPS = ("provmap_tui.ui.screens.pupil", "provmap_tui.ui.screens.builder")


def import_screens() -> None:
    """Import every place's screen and the next steps (and with them the domain models),
    so the first F-key or pupil opened is as quick as later ones (~100 ms sooner)."""
    for module in (*(p.module for p in PLACES), *NEXT_STEPS):
        import_module(module)


def build(mode: str, ctx: AppContext) -> Screen:
    place = BY_MODE[mode]
    return getattr(import_module(place.module), place.cls)(ctx)
