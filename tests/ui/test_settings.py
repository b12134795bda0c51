"""Settings: school details, calendar, funding streams and staff, edited by keyboard."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static, TabbedContent
from ui_helpers import AS_OF, open_db, settle

from provmap_tui.domain.money import format_gbp
from provmap_tui.store import school, staff
from provmap_tui.ui.forms import FormScreen
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.caseload import CaseloadScreen
from provmap_tui.ui.screens.settings import SettingsScreen


async def to_settings(app, pilot, tab: str = "school") -> SettingsScreen:
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    while screen.query_one(TabbedContent).active != tab:
        await pilot.press("f8")
    await pilot.pause()
    return screen


def fill(form: FormScreen, **values: str) -> None:
    for key, value in values.items():
        form.query_one(f"#f-{key}", Input).value = value


def msg(form: FormScreen, key: str) -> str:
    return str(form.query_one(f"#m-{key}", Static).render())


async def test_threshold_change_is_saved_and_the_caseload_follows(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        over_before = sum(r.status == "over" for r in app.screen.shown)
        screen = await to_settings(app, pilot)
        await pilot.press("e")
        form = app.screen
        fill(form, threshold="-5")
        await pilot.pause()
        assert "negative" in msg(form, "threshold")
        fill(form, threshold="1,000", oncost="12.5")
        await pilot.pause()
        assert msg(form, "threshold") == "£1,000.00"
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert "£1,000.00" in str(screen.query_one("#school-details", Static).render())
        await pilot.press("f2")
        await settle(pilot)
        caseload = app.screen
        assert isinstance(caseload, CaseloadScreen)
        assert sum(r.status == "over" for r in caseload.shown) > over_before
    conn = open_db(small_db)
    s = school.get(conn)
    conn.close()
    assert s.threshold_pence == 100_000 and str(s.oncost_percent) == "12.5"


async def test_add_a_member_of_staff_with_checks_as_you_type(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await to_settings(app, pilot, "staff")
        rows_before = screen.query_one("#staff-table", DataTable).row_count
        await pilot.press("n")
        form = app.screen
        fill(form, id="TA01", name="Pat Example", role="Wizard", rate="-3")
        await pilot.pause()
        assert "already someone's id" in msg(form, "id")
        assert "not a role" in msg(form, "role")
        assert "negative" in msg(form, "rate")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form
        fill(form, id="TA99", role="HLTA", rate="15.75")
        await pilot.pause()
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#staff-table", DataTable).row_count == rows_before + 1
    conn = open_db(small_db)
    added = {s.id: s for s in staff.list_all(conn)}["TA99"]
    conn.close()
    assert (added.name, added.role, added.hourly_rate_pence) == ("Pat Example", "HLTA", 1575)


async def test_staff_who_deliver_provision_cannot_be_deleted(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await to_settings(app, pilot, "staff")
        used = next(i for i, s in enumerate(screen.data.staff) if screen.data.staff_use.get(s.id))
        screen.query_one("#staff-table", DataTable).move_cursor(row=used)
        await pilot.press("d")
        await pilot.press("y")
        await settle(pilot)
        assert screen.query_one("#staff-table", DataTable).row_count == len(screen.data.staff)
        assert any("change those provisions' staff first" in str(n.message) for n in app._notifications)


async def test_add_and_delete_a_closure_changes_pupil_days(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await to_settings(app, pilot, "calendar")
        days = screen.data.calendar.pupil_day_count
        await pilot.press("c")
        form = app.screen
        fill(form, day="13/03/2027")
        await pilot.pause()
        assert "weekend" in msg(form, "day")
        fill(form, day="12/03/2027", reason="Snow day")
        await pilot.pause()
        assert msg(form, "day") == "Friday 12 March 2027"
        await pilot.press("f9")
        await settle(pilot)
        assert screen.data.calendar.pupil_day_count == days - 1
        assert f"{days - 1} pupil days" in str(screen.query_one("#calendar-summary", Static).render())
        table = screen.query_one("#calendar-table", DataTable)
        row = next(i for i in range(table.row_count) if table.get_row_at(i)[1] == "Snow day")
        table.move_cursor(row=row)
        await pilot.press("d", "y")
        await settle(pilot)
        assert screen.data.calendar.pupil_day_count == days


async def test_a_term_ending_before_it_starts_is_refused(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await to_settings(app, pilot, "calendar")
        await pilot.press("e")  # the first term
        form = app.screen
        assert form.query_one("#f-name", Input).value == "Autumn 1"
        fill(form, end="2026-09-01")
        await pilot.pause()
        assert "before it starts" in str(form.query_one("#form-problem", Static).render())
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form
    conn = open_db(small_db)
    cal = school.calendar(conn, "2026-27")
    conn.close()
    assert cal.terms[0].end == screen.data.calendar.terms[0].end


async def test_new_funding_stream_with_budget(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await to_settings(app, pilot, "funding")
        await pilot.press("n")
        form = app.screen
        fill(form, code="SEN", name="Again")
        await pilot.pause()
        assert "already exists" in msg(form, "code")
        fill(form, code="RECOVERY", name="Recovery premium", budget="12,500", counts="y")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one("#funding-table", DataTable)
        last = table.get_row_at(table.row_count - 1)
        assert last[0] == "RECOVERY" and str(last[2]) == format_gbp(1_250_000, whole=True)
    conn = open_db(small_db)
    stream = {s.code: s for s in school.streams(conn)}["RECOVERY"]
    conn.close()
    assert stream.budget_pence == 1_250_000 and stream.counts_toward_threshold


async def test_logo_and_output_folder_are_set_on_the_school_tab(small_db, tmp_path):
    from PIL import Image

    big = tmp_path / "crest.png"
    Image.new("RGB", (1200, 800), (30, 90, 150)).save(big)
    (tmp_path / "notes.txt").write_text("not a picture", encoding="utf-8")
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_settings(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        fill(form, logo=str(tmp_path / "missing.png"))
        await pilot.pause()
        assert "no such file" in msg(form, "logo")
        fill(form, logo=str(tmp_path / "notes.txt"))
        await pilot.pause()
        assert "not a PNG or JPEG" in msg(form, "logo")
        fill(form, logo=str(tmp_path))
        await pilot.pause()
        assert "is a folder" in msg(form, "logo")
        fill(form, folder=str(tmp_path / "notes.txt"))
        await pilot.pause()
        assert "is a file; give a folder" in msg(form, "folder")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form  # nothing saved while a field is wrong

        fill(form, logo=str(big), folder=str(tmp_path / "out"))
        await pilot.pause()
        assert "stored when you save" in msg(form, "logo") and "made when first used" in msg(form, "folder")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        details = str(screen.query_one("#school-details", Static).render())
        assert str(tmp_path / "out") in details and "Logo  stored" in details
    conn = open_db(small_db)
    try:
        assert school.get(conn).passport_dir == str(tmp_path / "out")
        with Image.open(__import__("io").BytesIO(school.get_logo(conn))) as stored:
            assert max(stored.size) == 600  # scaled down to keep the one file small
    finally:
        conn.close()


async def test_a_damaged_logo_is_refused_and_nothing_is_saved(small_db, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)  # the right first bytes, then nothing usable
    conn = open_db(small_db)
    before = (school.get(conn), school.get_logo(conn))
    conn.close()
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_settings(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        fill(form, logo=str(broken), name="Renamed School")
        await pilot.pause()
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form
        assert "damaged or incomplete" in str(form.query_one("#form-problem", Static).render())
    conn = open_db(small_db)
    try:
        assert (school.get(conn), school.get_logo(conn)) == before  # the name was not saved either
    finally:
        conn.close()
