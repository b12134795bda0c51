"""Pictures of the picker, builder and budget screens at 80x24 and 120x40.

Fixed as-of date, blinking cursors off. Update with `pytest --snapshot-update`
after looking at the new pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from ui_helpers import AS_OF, settle

from provmap_tui.ui.run import make_app

SIZES = [(80, 24), (120, 40)]


async def _still(pilot) -> None:
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def _steps(*keys: str, provision: str | None = None, minutes: str | None = None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if provision:
            pilot.app.open_provision(provision_id=provision)
            await settle(pilot)
        if minutes is not None:
            box = pilot.app.screen.query_one("#f-minutes", Input)
            box.focus()
            box.value = ""
            await pilot.press(*minutes)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await _still(pilot)
    return run_before


SCREENS = {
    "picker": _steps("f3"),
    "picker-search": _steps("f3", "f7", "f7", *"talk"),
    "builder-edit": _steps(provision="P010", minutes="60"),
    "builder-invalid": _steps(provision="P010", minutes="0"),
    "budget-streams": _steps("f4"),
    "budget-pupils": _steps("f4", "p"),
    "budget-interventions": _steps("f4", "i"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_builder_screens(name, size, small_db, snap_compare):
    assert snap_compare(make_app(small_db, AS_OF), terminal_size=size, run_before=SCREENS[name])
