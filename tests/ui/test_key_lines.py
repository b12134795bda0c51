"""The two key lines at the foot of every full screen, read at 80x24 as a user would."""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from ui_helpers import AS_OF, settle

from provmap_tui.ui.keybar import PlacesBar
from provmap_tui.ui.run import make_app

PLACES_LINE = "F1 Help F2 Caseload F3 Interventions F4 Budget F5 Settings F6 Import F10 Quit"


def drawn(bar: PlacesBar) -> tuple[str, set[str]]:
    """The bar's line as drawn now, and the words shown in reverse (the current place)."""
    strip = bar.render_line(0)
    marked = {seg.text.strip() for seg in strip if seg.style and seg.style.reverse and seg.text.strip()}
    return strip.text.strip(), marked


@pytest.mark.parametrize("keys", [
    (), ("enter",), ("f3",), ("f3", "enter"), ("f4",), ("f5",), ("f6",),
], ids=["caseload", "pupil", "interventions", "builder", "budget", "settings", "import"])
async def test_every_key_is_on_screen_at_80_columns(small_db, keys):
    """The screen's own keys fit the footer line left of Ctrl+P; every global key is on
    the line below."""
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        bar = app.screen.query_one(PlacesBar)
        assert bar.region.bottom == 24 and drawn(bar)[0] == PLACES_LINE
        footer = app.screen.query_one(Footer)
        palette = footer.query_one(".-command-palette")
        shown = [key for key in footer.query("FooterKey") if key is not palette]
        assert shown, "the footer shows this screen's keys"
        for key in shown:
            assert key.region.width > 0 and key.region.right <= palette.region.x, f"{key.description!r} is cut off"


async def test_the_current_place_is_marked_and_a_click_goes_to_another(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line, marked = drawn(app.screen.query_one(PlacesBar))
        assert marked == {"F2", "Caseload"}
        await pilot.click(PlacesBar, offset=(line.index("F4") + 2, 0))  # +1: the bar's leading space
        await settle(pilot)
        assert app.current_mode == "budget"
        assert drawn(app.screen.query_one(PlacesBar))[1] == {"F4", "Budget"}


async def test_a_remapped_place_key_shows_as_remapped(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_keymap({"goto-budget": "f8"})
        await settle(pilot)
        assert "F8 Budget" in drawn(app.screen.query_one(PlacesBar))[0]
        await pilot.press("f8")
        await settle(pilot)
        assert app.current_mode == "budget"
