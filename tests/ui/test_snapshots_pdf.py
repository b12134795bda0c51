"""Pictures of the PDF dialogs (batch choice, photo with an error) at 80x24 and 120x40.

The progress dialog is left out: its bar and time estimate move. Update with
`pytest tests/ui/test_snapshots_pdf.py --snapshot-update`.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from ui_helpers import AS_OF, settle

from provmap_tui.ui.run import make_app

SIZES = [(80, 24), (120, 40)]
TOP_PUPIL = "G938200130023"  # the small demo's pupil with the most provision


async def _still(pilot) -> None:
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    for _ in range(3):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()


async def batch_choice(pilot) -> None:
    await settle(pilot)
    await pilot.press("slash", "y", "5", "enter")
    await settle(pilot)
    await pilot.press("b")
    await _still(pilot)


async def photo_error(pilot) -> None:
    await settle(pilot)
    pilot.app.open_pupil(TOP_PUPIL)
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    pilot.app.screen.query_one(Input).value = "/no/such/folder/photo.jpg"
    await pilot.press("enter")
    await _still(pilot)


SCREENS = {"batch-choice": batch_choice, "photo-error": photo_error}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_pdf_dialog(name, size, small_db, snap_compare):
    assert snap_compare(make_app(small_db, AS_OF), terminal_size=size, run_before=SCREENS[name])
