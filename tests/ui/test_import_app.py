"""Import in the app: F6, preview the MIS sample, confirm, and the caseload follows."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static
from ui_helpers import AS_OF, settle

from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.caseload import CaseloadScreen
from provmap_tui.ui.screens.confirm import ConfirmScreen
from provmap_tui.ui.screens.help import HelpScreen, key_groups
from provmap_tui.ui.screens.import_screen import ImportScreen

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "mis" / "hillside.ctf.xml"
NEW = {"Daniel Okafor", "Zofia Nowak", "Oliver Hughes", "Tom Brown", "Ana-Maria Ionescu"}  # on the register
NEW_NOT_ON_REGISTER = "Aisha Patel"


def names(table: DataTable) -> set[str]:
    return {str(table.get_row_at(i)[0]) for i in range(table.row_count)}


async def preview_sample(pilot) -> ImportScreen:
    await settle(pilot)
    await pilot.press("f6")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    assert isinstance(pilot.app.focused, Input)  # ready to type the path
    await pilot.press(*str(SAMPLE), "enter")
    await settle(pilot)
    return screen


async def test_f6_previews_then_imports_and_the_caseload_shows_the_new_pupils(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        register = names(app.screen.query_one(DataTable))
        screen = await preview_sample(pilot)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "Would import CTF hillside.ctf.xml: 6 created, 0 updated" in summary
        shown = screen.query_one("#import-preview", DataTable)
        created = [str(shown.get_row_at(i)[2]) for i in range(shown.row_count) if str(shown.get_row_at(i)[0]) == "create"]
        assert set(created) == NEW | {NEW_NOT_ON_REGISTER}

        await pilot.press("f2")  # nothing written yet: the caseload is unchanged
        await settle(pilot)
        assert names(app.screen.query_one(DataTable)) == register

        await pilot.press("f6", "f9")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "Imported CTF hillside.ctf.xml: 6 created" in str(screen.query_one("#import-summary", Static).render())

        await pilot.press("f2")
        await settle(pilot)
        caseload = app.screen
        assert isinstance(caseload, CaseloadScreen)
        assert names(caseload.query_one(DataTable)) == register | NEW
        await pilot.press("w")  # whole school: the pupil with no SEN status too
        await settle(pilot)
        assert NEW_NOT_ON_REGISTER in names(caseload.query_one(DataTable))


async def test_pupils_marked_left_leave_the_caseload(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview_sample(pilot)
        await pilot.click("#import-mark-left")
        await settle(pilot)
        assert "210 to mark as left" in str(screen.query_one("#import-summary", Static).render())
        await pilot.press("f9", "y")
        await settle(pilot)
        assert "210 marked as left" in str(screen.query_one("#import-summary", Static).render())
        await pilot.press("f2")
        await settle(pilot)
        assert names(app.screen.query_one(DataTable)) == NEW
        await pilot.press("w")
        await settle(pilot)
        assert names(app.screen.query_one(DataTable)) == NEW | {NEW_NOT_ON_REGISTER}


async def test_help_lists_the_import_keys_and_the_global_ones_still_work(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        listed = {desc: keys for _heading, rows in key_groups(screen) for keys, desc in rows}
        for desc, key in (("Preview", "f7"), ("Browse", "f8"), ("Import file", "f9"), ("Import", "f6"), ("Settings", "f5")):
            assert key in listed[desc].lower()
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "f5")  # F5 is Settings everywhere, the import screen included
        await settle(pilot)
        assert app.current_mode == "settings"


async def test_help_offers_esc_only_while_the_browser_is_open(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen

        def described() -> set[str]:
            return {desc for _heading, rows in key_groups(screen) for _keys, desc in rows}

        assert "Close browser" not in described()
        await pilot.press("f8")
        await pilot.pause()
        assert "Close browser" in described()
