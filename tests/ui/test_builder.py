"""The group-session builder, driven with the keyboard as a SENCo would."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, Static

from provmap_tui.domain.money import format_gbp
from provmap_tui.store import provisions, pupils, snapshot
from provmap_tui.store.connection import transaction
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.builder import BuilderScreen
from provmap_tui.ui.screens.confirm import ConfirmScreen

from ui_helpers import AS_OF, open_db, settle

INTERVENTION = "Lego-based therapy"


def register_pupils(db, n: int):
    conn = open_db(db)
    try:
        return [p for p in pupils.list_all(conn) if p.on_register][:n]
    finally:
        conn.close()


def saved(db, provision_id: str):
    conn = open_db(db)
    try:
        return provisions.get(conn, provision_id)
    finally:
        conn.close()


def provision_ids(db) -> set[str]:
    conn = open_db(db)
    try:
        return {p.id for p in provisions.list_all(conn)}
    finally:
        conn.close()


def ta01_rate(db) -> int:
    conn = open_db(db)
    try:
        return snapshot.load(conn).staff_rates["TA01"]
    finally:
        conn.close()


def live(screen) -> str:
    return str(screen.query_one("#live", Static).render())


def message(screen, field: str) -> str:
    widget = screen.query_one(f"#m-{field}", Static)
    return str(widget.render()) if widget.display else ""


def member_rows(screen) -> list[list[str]]:
    table = screen.query_one("#members", DataTable)
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def type_into(pilot, widget_id: str, text: str) -> None:
    """Focus a field, replace what is in it, as a user would."""
    widget = pilot.app.screen.query_one(f"#{widget_id}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await pilot.press(*text)
    await settle(pilot)


async def add_pupil(pilot, upn: str) -> None:
    await pilot.press("f7")
    await pilot.press(*upn)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def open_builder(pilot, **kwargs) -> BuilderScreen:
    app = pilot.app
    app.push_screen(BuilderScreen(app.ctx, **kwargs), lambda _r: app.data_changed())
    await settle(pilot)
    assert isinstance(app.screen, BuilderScreen)
    return app.screen


async def test_build_a_group_of_three_save_reopen_edit_delete(small_db):
    three = register_pupils(small_db, 3)
    before = provision_ids(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_builder(pilot, intervention=INTERVENTION)
        assert screen.query_one("#f-minutes", Input).value == "45"  # the library's default
        assert "choose who runs it" in message(screen, "staff")
        assert "Costs appear when these are right: Staff" in live(screen)

        screen.query_one("#f-staff", Select).value = "TA01"
        await settle(pilot)
        assert message(screen, "staff") == ""
        weekly_45 = screen.last_preview.weekly
        assert f"Weekly {format_gbp(weekly_45)}" in live(screen)

        # Add three pupils: each one divides the cost again, and every share is shown.
        annuals = []
        for n, p in enumerate(three, 1):
            await add_pupil(pilot, p.upn)
            rows = member_rows(screen)
            assert len(rows) == n and rows[-1][0].startswith(p.name)
            pv = screen.last_preview
            assert sum(m.share for m in pv.members) == pv.annual
            annuals.append(pv.annual)
            assert f"Annual {format_gbp(pv.annual)}" in live(screen)
            for row, m in zip(rows, pv.members):
                assert row[2] == format_gbp(m.share)
                assert format_gbp(m.new_total) in row[3]
        assert annuals[0] == annuals[1] == annuals[2]  # the group costs the same; the shares shrink
        assert screen.last_preview.members[0].share < annuals[0] // 2

        # Longer sessions: the totals change before anything is saved.
        await type_into(pilot, "f-minutes", "60")
        pv = screen.last_preview
        assert pv.weekly == ta01_rate(small_db) > weekly_45  # one hour, once a week
        assert f"Weekly {format_gbp(pv.weekly)}" in live(screen)
        first = member_rows(screen)[0][3]
        assert f"{format_gbp(pv.members[0].old_total)} -> {format_gbp(pv.members[0].new_total)}" in first
        assert provision_ids(small_db) == before

        await pilot.press("f9")
        await settle(pilot)
        assert not isinstance(app.screen, BuilderScreen)
        (new_id,) = provision_ids(small_db) - before
        prov = saved(small_db, new_id)
        assert (prov.intervention, prov.minutes, prov.staff[0].staff_id) == (INTERVENTION, 60, "TA01")
        assert sorted(m.upn for m in prov.members) == sorted(p.upn for p in three)

        # Reopen: the form shows what was saved; remove one pupil and save again.
        screen = await open_builder(pilot, provision_id=new_id)
        assert screen.query_one("#f-minutes", Input).value == "60"
        assert len(member_rows(screen)) == 3
        screen.query_one("#members", DataTable).focus()
        await pilot.press("x")
        await settle(pilot)
        assert len(member_rows(screen)) == 2
        assert "Removed: " in live(screen)
        await pilot.press("f9")
        await settle(pilot)
        prov = saved(small_db, new_id)
        assert len(prov.members) == 2 and prov.version == 2

        # Delete it, after saying yes.
        screen = await open_builder(pilot, provision_id=new_id)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert new_id not in provision_ids(small_db)
        assert not isinstance(app.screen, BuilderScreen)


async def test_fields_validate_as_you_type_and_bad_data_is_never_saved(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_builder(pilot, provision_id="P010")
        original = saved(small_db, "P010")

        await type_into(pilot, "f-minutes", "0")
        assert "at least 1" in message(screen, "minutes")
        assert "Costs appear when these are right: Minutes" in live(screen)
        await type_into(pilot, "f-rate", "-2.50")
        assert "negative" in message(screen, "rate")
        await type_into(pilot, "f-start", "2027-03-01")
        await type_into(pilot, "f-end", "2027-02-01")
        assert "before it starts" in message(screen, "end")

        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, BuilderScreen)
        assert saved(small_db, "P010") == original

        # Put things right: messages go, costs come back.
        await type_into(pilot, "f-minutes", "20")
        await type_into(pilot, "f-rate", "")
        await type_into(pilot, "f-end", "2027-03-26")
        assert [message(screen, f) for f in ("minutes", "rate", "end")] == ["", "", ""]
        assert "Weekly £" in live(screen)

        # The same pupil cannot join twice.
        upn = original.members[0].upn
        await add_pupil(pilot, upn)
        assert "already in this group" in str(screen.query_one("#m-add", Static).render())
        assert len(member_rows(screen)) == len(original.members)


async def test_escape_asks_before_losing_changes(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_builder(pilot, provision_id="P010")
        await pilot.press("escape")  # nothing changed: straight out
        await settle(pilot)
        assert not isinstance(app.screen, BuilderScreen)

        original = saved(small_db, "P010")
        screen = await open_builder(pilot, provision_id="P010")
        await type_into(pilot, "f-minutes", "55")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and screen.query_one("#f-minutes", Input).value == "55"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (BuilderScreen, ConfirmScreen))
        assert saved(small_db, "P010") == original


async def test_someone_elses_save_is_reported_not_overwritten(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_builder(pilot, provision_id="P010")
        other = open_db(small_db)
        try:
            theirs = provisions.get(other, "P010").model_copy(update={"notes": "changed by the deputy"})
            with transaction(other):
                provisions.save(other, theirs)
        finally:
            other.close()
        await type_into(pilot, "f-minutes", "50")
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert "changed by someone else" in str(screen.query_one("#save-msg", Static).render())
        assert saved(small_db, "P010").notes == "changed by the deputy"
        assert saved(small_db, "P010").minutes != 50


async def test_member_dates_change_the_share(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_builder(pilot, provision_id="P010")
        before = screen.last_preview.members[0].share
        screen.query_one("#members", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        joins = app.screen.query_one("#d-joins", Input)
        joins.value = "2027-06-01"
        await settle(pilot)
        app.screen.query_one("#d-leaves", Input).value = "2027-05-01"
        await settle(pilot)
        assert "before joining" in str(app.screen.query_one("#dm-leaves", Static).render())
        await pilot.press("f9")  # refused while wrong
        await settle(pilot)
        assert not isinstance(app.screen, BuilderScreen)
        app.screen.query_one("#d-leaves", Input).value = ""
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert member_rows(screen)[0][1] == "from 01/06"
        assert screen.last_preview.members[0].share < before


async def test_a_new_provision_follows_the_chosen_interventions_defaults(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_builder(pilot, intervention=INTERVENTION)  # 45 minutes, once a week
        screen.query_one("#f-intervention", Select).value = "Precision Teaching"  # 10 minutes, 5 a week
        await settle(pilot)
        assert screen.query_one("#f-minutes", Input).value == "10"
        assert screen.query_one("#f-sessions", Input).value == "5"
        await type_into(pilot, "f-minutes", "15")  # her own choice now stays
        screen.query_one("#f-intervention", Select).value = INTERVENTION
        await settle(pilot)
        assert screen.query_one("#f-minutes", Input).value == "15"
        assert screen.query_one("#f-sessions", Input).value == "1"


async def test_adding_a_pupil_to_a_saved_provision_counts_as_a_change(small_db):
    original = saved(small_db, "P010")
    newcomer = next(p for p in register_pupils(small_db, 45) if p.upn not in {m.upn for m in original.members})
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_builder(pilot, provision_id="P010", add_upn=newcomer.upn)
        assert [m.upn for m in screen.members][-1] == newcomer.upn
        assert screen.last_preview.members[-1].old_total < screen.last_preview.members[-1].new_total
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.press("f9")
        await settle(pilot)
        assert newcomer.upn in {m.upn for m in saved(small_db, "P010").members}
