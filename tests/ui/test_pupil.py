"""The pupil screen: details, needs, passport, costs; editing details safely."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static
from ui_helpers import AS_OF, open_db, settle

from provmap_tui.domain.money import format_gbp
from provmap_tui.services.caseload import build_rows
from provmap_tui.store import pupils, snapshot
from provmap_tui.store.connection import transaction
from provmap_tui.ui.forms import FormScreen
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.pupil import PupilScreen


def most_costly(db):
    conn = open_db(db)
    try:
        rows = build_rows(snapshot.load(conn), AS_OF)
    finally:
        conn.close()
    return max(rows, key=lambda r: r.counted)


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_pupil(app, pilot, upn: str) -> PupilScreen:
    await settle(pilot)
    app.open_pupil(upn)
    await settle(pilot)
    assert isinstance(app.screen, PupilScreen)
    return app.screen


async def test_shows_needs_passport_provisions_and_threshold(small_db):
    row = most_costly(small_db)
    conn = open_db(small_db)
    pupil = pupils.get(conn, row.upn)
    conn.close()
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pupil(app, pilot, row.upn)
        assert screen.sub_title == row.name
        assert f"UPN {row.upn}" in text(screen, "#pupil-details")
        needs = text(screen, "#pupil-needs")
        assert f"1. {pupil.needs[0]}" in needs
        summary = screen.summary
        assert summary.needs[0][2] in needs  # the plain-English description
        assert pupil.passport.helps in text(screen, "#pupil-passport")
        line = text(screen, "#pupil-threshold")
        assert "▲ OVER by" in line and format_gbp(row.counted) in line
        table = screen.query_one(DataTable)
        assert table.row_count == row.provisions
        # Each provision's share adds up to the pupil's annual cost.
        assert sum(x.annual for x in summary.lines) == row.annual
        assert format_gbp(summary.lines[0].annual) in str(table.get_row_at(0)[5])


async def test_edit_details_saves_and_shows_them(small_db):
    row = most_costly(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pupil(app, pilot, row.upn)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-preferred_forename", Input).value = "Zed"
        form.query_one("#f-helps", Input).value = "Short clear instructions"
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert screen.sub_title.startswith("Zed ")
        assert "Short clear instructions" in text(screen, "#pupil-passport")
    conn = open_db(small_db)
    saved = pupils.get(conn, row.upn)
    conn.close()
    assert saved.preferred_forename == "Zed"
    assert saved.passport.helps == "Short clear instructions"


async def test_bad_values_are_named_beside_the_field_and_never_saved(small_db):
    row = most_costly(small_db)
    conn = open_db(small_db)
    before = pupils.get(conn, row.upn)
    conn.close()
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pupil(app, pilot, row.upn)
        await pilot.press("e")
        form = app.screen
        form.query_one("#f-sen_status", Input).value = "X"
        form.query_one("#f-dob", Input).value = "31/02/2016"
        form.query_one("#f-needs", Input).value = "SLCN WIBBLE"
        await pilot.pause()
        assert "not a census SEN provision code" in text(form, "#m-sen_status")
        assert "is not a date" in text(form, "#m-dob")
        assert "'WIBBLE' is not a census need type" in text(form, "#m-needs")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form  # still open: nothing saved
        # A valid status but no need: the whole-record rule speaks up.
        form.query_one("#f-sen_status", Input).value = "K"
        form.query_one("#f-dob", Input).value = "2016-02-28"
        form.query_one("#f-needs", Input).value = ""
        await pilot.pause()
        assert "needs at least one need type" in text(form, "#form-problem")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form
    conn = open_db(small_db)
    assert pupils.get(conn, row.upn) == before
    conn.close()


async def test_someone_else_saving_first_is_a_conflict_not_a_lost_edit(small_db):
    row = most_costly(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pupil(app, pilot, row.upn)
        await pilot.press("e")
        form = app.screen
        # A colleague saves the same pupil meanwhile.
        other = open_db(small_db)
        theirs = pupils.get(other, row.upn)
        theirs = theirs.model_copy(update={"notes": "Colleague's note"})
        with transaction(other):
            pupils.save(other, theirs)
        other.close()
        form.query_one("#f-notes", Input).value = "My note"
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form
        assert "changed by someone else" in text(form, "#form-problem")
        await pilot.press("escape")  # leave: asks first, since there are changes
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
    conn = open_db(small_db)
    assert pupils.get(conn, row.upn).notes == "Colleague's note"
    conn.close()


async def test_add_to_an_existing_provision_opens_the_builder_with_the_pupil(small_db):
    from provmap_tui.ui.screens.builder import BuilderScreen
    from provmap_tui.ui.screens.choose_provision import ChooseProvisionScreen

    row = most_costly(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pupil(app, pilot, row.upn)
        mine = {x.provision_id for x in screen.summary.lines}
        await pilot.press("a")
        chooser = app.screen
        assert isinstance(chooser, ChooseProvisionScreen)
        assert all(pid not in mine for pid, _ in chooser.choices)
        pid, label = chooser.choices[0]
        await pilot.press(*label.split()[1].lower())  # type part of the intervention's name
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        builder = app.screen
        assert isinstance(builder, BuilderScreen)
        assert builder.add_upn == row.upn and builder.provision_id not in mine


async def test_add_to_a_new_provision_starts_at_the_picker(small_db):
    from provmap_tui.ui.screens.picker import PickerScreen

    row = most_costly(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pupil(app, pilot, row.upn)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: a new provision
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.add_upn == row.upn


async def test_after_saving_in_the_builder_the_pupil_page_shows_the_new_provision(small_db):
    row = most_costly(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pupil(app, pilot, row.upn)
        before = len(screen.summary.lines)
        await pilot.press("a")
        pid = app.screen.choices[0][0]
        app.screen.dismiss(pid)
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert len(screen.summary.lines) == before + 1
        assert pid in {x.provision_id for x in screen.summary.lines}
        assert screen.query_one(DataTable).row_count == before + 1
