"""The caseload (home screen): what a SENCo sees and does first."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from provmap_tui.services.caseload import build_rows
from provmap_tui.store import snapshot
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.caseload import CaseloadScreen
from provmap_tui.ui.screens.pupil import PupilScreen

from ui_helpers import AS_OF, open_db, settle


def expected_rows(db):
    conn = open_db(db)
    try:
        return build_rows(snapshot.load(conn), AS_OF)
    finally:
        conn.close()


def shown_names(screen: CaseloadScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_opens_on_the_sen_register_with_school_name(small_db):
    rows = expected_rows(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseloadScreen)
        assert screen.title == "Caseload"
        assert screen.sub_title == "Hillside Primary School"
        register = [r for r in rows if r.on_register]
        assert screen.query_one(DataTable).row_count == len(register) == 45
        over = [r for r in register if r.status == "over"]
        assert over, "the demo school has pupils over the threshold"
        summary = str(screen.query_one("#caseload-summary", Static).render())
        assert f"{len(over)} ▲ over threshold" in summary
        # Over-threshold pupils carry a text marker, so it survives NO_COLOR.
        table = screen.query_one(DataTable)
        markers = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert sum("▲OVER" in m for m in markers) == len(over)


async def test_filter_as_you_type_by_need_and_upn(small_db):
    rows = [r for r in expected_rows(small_db) if r.on_register]
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"slcn")
        await settle(pilot)
        want = sorted(r.name for r in rows if "SLCN" in r.needs)
        assert sorted(shown_names(screen)) == want
        assert 0 < len(want) < len(rows)
        # A UPN finds exactly one pupil.
        target = rows[7]
        screen.query_one(Input).value = target.upn
        await settle(pilot)
        assert shown_names(screen) == [target.name]
        # Escape clears the filter and returns to the table.
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == len(rows)
        assert isinstance(app.focused, DataTable)


async def test_sort_cycles_columns_and_reverses(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("s")  # name -> year
        rows = screen.shown
        years = [r.year_group for r in rows]
        assert years == sorted(years)
        assert "sort: Yr up" in str(screen.query_one("#caseload-summary", Static).render())
        for _ in range(7):  # year -> ... -> annual
            await pilot.press("s")
        assert screen.sort_column == "annual"
        await pilot.press("r")
        annual = [r.annual for r in screen.shown]
        assert annual == sorted(annual, reverse=True)
        assert str(screen.query_one(DataTable).get_row_at(0)[0]) == screen.shown[0].name


async def test_toggle_whole_school(small_db):
    rows = expected_rows(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("w")
        assert screen.query_one(DataTable).row_count == len(rows) > 45
        assert str(screen.query_one("#scope", Static).render()) == "Whole school"
        await pilot.press("w")
        assert screen.query_one(DataTable).row_count == 45


async def test_enter_opens_the_highlighted_pupil(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        caseload = app.screen
        await pilot.press("down", "down")
        want = caseload.shown[2]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        assert app.screen.upn == want.upn
        assert app.screen.sub_title == want.name
        await pilot.press("escape")
        assert app.screen is caseload


async def test_narrow_terminal_keeps_the_threshold_column_on_screen(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width
