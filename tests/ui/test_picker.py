"""The intervention picker: search as you type, filter by area, start a provision, add and edit."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, Static

from provmap_tui.store import interventions, provisions, pupils
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.builder import BuilderScreen
from provmap_tui.ui.screens.intervention_form import InterventionFormScreen
from provmap_tui.ui.screens.picker import PickerScreen

from ui_helpers import AS_OF, open_db, settle


def library(db):
    conn = open_db(db)
    try:
        return {i.name: i for i in interventions.list_all(conn)}
    finally:
        conn.close()


def edited_flag(db, name: str) -> int:
    conn = open_db(db)
    try:
        return conn.execute("SELECT edited FROM intervention WHERE name = ?", (name,)).fetchone()[0]
    finally:
        conn.close()


def shown(screen: PickerScreen) -> list[str]:
    table = screen.query_one("#library", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_picker(pilot) -> PickerScreen:
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PickerScreen)
    return pilot.app.screen


async def test_search_filter_by_area_and_start_a_provision(small_db):
    lib = library(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_picker(pilot)
        assert len(shown(screen)) == len(lib)
        assert isinstance(app.focused, Input)

        await pilot.press(*"lego")
        await settle(pilot)
        assert shown(screen) == ["Lego-based therapy"]
        detail = str(screen.query_one("#picker-detail", Static).render())
        assert "45 minutes, 1 a week, groups of 3, usually TA" in detail

        # Area filter: F7 steps through all, CL, CI, SEMH, SP.
        screen.query_one("#picker-query", Input).value = ""
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert "Area: CL" in str(screen.query_one("#picker-area-label", Static).render())
        assert set(shown(screen)) == {n for n, i in lib.items() if i.area == "CL"}
        await pilot.press("f7")
        await settle(pilot)
        assert set(shown(screen)) == {n for n, i in lib.items() if i.area == "CI"}
        await pilot.press(*"lego")
        await settle(pilot)
        assert shown(screen) == ["Lego-based therapy"]

        # Enter starts a provision with the intervention's defaults.
        await pilot.press("enter")
        await settle(pilot)
        builder = app.screen
        assert isinstance(builder, BuilderScreen)
        assert builder.query_one("#f-intervention", Select).value == "Lego-based therapy"
        assert builder.query_one("#f-minutes", Input).value == "45"
        assert builder.query_one("#f-sessions", Input).value == "1"


async def test_search_words_match_descriptions_and_arrows_move(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_picker(pilot)
        await pilot.press(*"reading")
        await settle(pilot)
        names = shown(screen)
        assert len(names) > 2 and "Lego-based therapy" not in names
        await pilot.press("down", "down")
        await settle(pilot)
        assert screen.query_one("#library", DataTable).cursor_row == 2
        assert isinstance(app.focused, Input)  # still typing
        await pilot.press("escape")  # to the list
        assert isinstance(app.focused, DataTable)


async def test_add_the_schools_own_intervention(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_picker(pilot)
        await pilot.press("escape")  # to the list, where n and e work
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InterventionFormScreen)
        await pilot.press("f9")  # nothing filled in: refused, with messages
        await settle(pilot)
        assert app.screen is form
        assert "give it a name" in str(form.query_one("#im-name", Static).render())

        form.query_one("#i-name", Input).value = "Lego-based therapy"
        await settle(pilot)
        assert "already in the library" in str(form.query_one("#im-name", Static).render())
        form.query_one("#i-name", Input).value = "Sensory circuits (Oak class)"
        form.query_one("#i-area", Select).value = "SP"
        form.query_one("#i-default_minutes", Input).value = "0"
        await settle(pilot)
        assert "1 to 600" in str(form.query_one("#im-default_minutes", Static).render())
        form.query_one("#i-default_minutes", Input).value = "15"
        form.query_one("#i-default_sessions_per_week", Input).value = "5"
        form.query_one("#i-default_group_size", Input).value = "6"
        form.query_one("#i-description", Input).value = "A morning circuit to settle for learning."
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        item = library(small_db)["Sensory circuits (Oak class)"]
        assert (item.area, item.default_minutes, item.default_sessions_per_week, item.source) == ("SP", 15, 5, "school")
        assert "Sensory circuits (Oak class)" in shown(screen)


async def test_editing_a_library_entry_marks_it_edited(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_picker(pilot)
        await pilot.press(*"lego")
        await settle(pilot)
        await pilot.press("escape", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InterventionFormScreen)
        assert form.query_one("#i-name", Input).disabled
        form.query_one("#i-default_minutes", Input).value = "40"
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert library(small_db)["Lego-based therapy"].default_minutes == 40
        assert edited_flag(small_db, "Lego-based therapy") == 1
        table = screen.query_one("#library", DataTable)
        assert str(table.get_row_at(table.cursor_row)[2]) == "40"


async def test_adding_a_pupil_from_their_page_returns_there(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        conn = open_db(small_db)
        try:
            pupil = next(p for p in pupils.list_all(conn) if p.on_register)
            before = {p.id for p in provisions.list_all(conn)}
        finally:
            conn.close()
        results = []
        app.push_screen(PickerScreen(app.ctx, add_upn=pupil.upn), results.append)
        await settle(pilot)
        assert f"Adding {pupil.name}" in str(app.screen.query_one("#picker-for", Static).render())
        await pilot.press(*"lego", "enter")
        await settle(pilot)
        builder = app.screen
        assert isinstance(builder, BuilderScreen)
        assert [m.upn for m in builder.members] == [pupil.upn]
        builder.query_one("#f-staff", Select).value = "TA01"
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is home  # builder saved, picker gone
        conn = open_db(small_db)
        try:
            (new,) = [p for p in provisions.list_all(conn) if p.id not in before]
        finally:
            conn.close()
        assert results == [new.id]
        assert [m.upn for m in new.members] == [pupil.upn] and new.intervention == "Lego-based therapy"


def test_own_intervention_form_refuses_odd_numbers_with_a_message() -> None:
    """'²' looks like a digit to Python's isdigit(); it must get a message, not a crash."""
    from provmap_tui.ui.screens.intervention_form import check_intervention

    values = {"name": "Lego Club", "area": "SEMH", "description": "", "default_minutes": "²",
              "default_sessions_per_week": "1", "default_group_size": "٣", "default_role": "TA", "phase": "all"}
    item, errors = check_intervention(values, set(), None)
    assert item is None
    assert "whole number" in errors["default_minutes"]
    assert "whole number" in errors["default_group_size"]
