"""Pictures of each screen at 80x24 and 120x40, compared with the accepted ones.

Built through make_app (as the CLI does) with a fixed as-of date and the cursor's
blink turned off, so they never flake. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from ui_helpers import AS_OF, settle

from provmap_tui.ui.run import make_app

SIZES = [(80, 24), (120, 40)]
TOP_PUPIL = "G938200130023"  # the small demo's pupil with the most provision (over the threshold)


async def _still(pilot) -> None:
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    # Tables size themselves on the next refresh after their rows arrive; let them.
    for _ in range(3):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()


def _steps(*keys: str, pupil: str | None = None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if pupil:
            pilot.app.open_pupil(pupil)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await _still(pilot)
    return run_before


SCREENS = {
    "caseload": _steps(),
    "caseload-filtered": _steps("slash", *"slcn", "enter", "s", "s"),
    "pupil": _steps(pupil=TOP_PUPIL),
    "pupil-edit": _steps("e", pupil=TOP_PUPIL),
    "settings-school": _steps("f5"),
    "settings-calendar": _steps("f5", "f8"),
    "settings-staff": _steps("f5", "f8", "f8", "f8"),
    "help": _steps("f1"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name, size, small_db, snap_compare):
    assert snap_compare(make_app(small_db, AS_OF), terminal_size=size, run_before=SCREENS[name])


REPO = Path(__file__).resolve().parent.parent.parent
IMPORT_SCREENS = {
    "import": _steps("f6"),
    # The MIS sample previewed against the demo school: six new pupils, the rest not in the file.
    "import-preview": _steps("f6", *"tests/data/mis/hillside.ctf.xml", "enter"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(IMPORT_SCREENS))
def test_import_screen(name, size, small_db, snap_compare, monkeypatch):
    monkeypatch.chdir(REPO)  # the path typed is relative, so the picture is the same on every machine
    assert snap_compare(make_app(small_db, AS_OF), terminal_size=size, run_before=IMPORT_SCREENS[name])
