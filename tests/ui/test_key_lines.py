"""The two key lines at the foot of every full screen, read at 80x24 as a user would."""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from ui_helpers import AS_OF, settle

from provmap_tui.ui.keybar import PlacesBar
from provmap_tui.ui.run import make_app

PLACES_LINE = "F1 Help F2 Caseload F3 Interventions F4 Budget F5 Settings F6 Import F10 Quit"


async def _go(pilot, keys: tuple[str, ...]) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


@pytest.mark.parametrize("keys", [
    (), ("enter",), ("f3",), ("f3", "enter"), ("f4",), ("f5",), ("f6",),
], ids=["caseload", "pupil", "interventions", "builder", "budget", "settings", "import"])
async def test_every_key_is_on_screen_at_80_columns(small_db, keys):
    """The screen's own keys fit the footer line; every global key is on the line below."""
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go(pilot, keys)
        bar = app.screen.query_one(PlacesBar)
        assert bar.region.bottom == 24 and bar.render().plain.strip() == PLACES_LINE
        footer = app.screen.query_one(Footer)
        shown = [w for w in footer.query("FooterKey")]
        assert shown, "the footer shows this screen's keys"
        for key in shown:
            assert key.region.right <= 80 and key.region.width > 0, f"{key.description!r} is cut off"


async def test_the_current_place_is_marked_and_a_click_goes_to_another(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(PlacesBar)
        marked = [span for span in bar.render().spans if "reverse" in str(span.style)]
        assert {bar.render().plain[s.start:s.end].strip() for s in marked} >= {"F2", "Caseload"}
        await pilot.click(PlacesBar, offset=(bar.render().plain.index("F4") + 1, 0))
        await settle(pilot)
        assert app.current_mode == "budget"
        assert "Budget" in app.screen.query_one(PlacesBar).render().plain


async def test_a_remapped_place_key_shows_as_remapped(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"goto-budget": "f8"})
        await settle(pilot)
        assert "F8 Budget" in app.screen.query_one(PlacesBar).render().plain
