"""The budget screen: streams against budget, threshold lists and spend charts."""

from __future__ import annotations

from textual.widgets import DataTable, Static, TabbedContent

from provmap_tui.domain.money import format_gbp
from provmap_tui.services import budget
from provmap_tui.store import pupils, snapshot
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.budget import BudgetScreen, bar
from provmap_tui.ui.screens.builder import BuilderScreen

from ui_helpers import AS_OF, open_db, settle


def overview(db) -> budget.BudgetOverview:
    conn = open_db(db)
    try:
        labels = {c: label for c, (label, _) in pupils.need_types(conn).items()}
        return budget.build(snapshot.load(conn), AS_OF, labels)
    finally:
        conn.close()


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def test_bars_are_proportional_and_never_empty_for_something():
    assert bar(50, 100, 10) == "█████·····"
    assert bar(100, 100, 10) == "█" * 10
    assert bar(300, 100, 10) == "█" * 10
    assert bar(0, 100, 4) == "····"
    assert bar(1, 10_000, 4) == "▏···"
    assert bar(15, 100, 10) == "█▌········"


async def test_streams_threshold_and_totals(small_db):
    ov = overview(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        streams = str(screen.query_one("#streams", Static).render())
        for s in ov.streams:
            assert f"{s.code} {s.name}  budget {format_gbp(s.budget)}" in streams
            assert format_gbp(s.annual) in streams and format_gbp(s.to_date) in streams
        assert f"All streams  budget {format_gbp(ov.budget_total)}" in streams

        await pilot.press("p")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "tab-pupils"
        table = screen.query_one("#threshold-table", DataTable)
        shown = rows(table)
        assert [r[0] for r in shown] == [line.name for line in (*ov.over, *ov.near)]
        assert shown[0][4] == f"OVER by {format_gbp(ov.over[0].margin)}"  # words, not only colour

        for key, table_id, totals in (("y", "years", ov.by_year), ("n", "needs", ov.by_need),
                                      ("i", "interventions", ov.by_intervention)):
            await pilot.press(key)
            await settle(pilot)
            shown = rows(screen.query_one(f"#{table_id}-table", DataTable))
            assert [r[0] for r in shown] == [t.label for t in totals]
            assert [r[2] for r in shown] == [format_gbp(t.annual) for t in totals]

        await pilot.press("r")
        await settle(pilot)
        register = str(screen.query_one("#register", Static).render())
        assert f"On the SEN register: {ov.register_total} pupils" in register


async def test_budget_follows_a_saved_provision(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        before = screen.overview.annual_total
        app.open_provision(provision_id="P010")
        await settle(pilot)
        builder = app.screen
        assert isinstance(builder, BuilderScreen)
        builder.query_one("#f-minutes").value = "90"
        await settle(pilot)
        added = builder.last_preview.annual - builder.last_preview.old_annual
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert screen.overview.annual_total == before + added


async def test_enter_on_a_pupil_over_the_threshold_opens_them(small_db):
    from provmap_tui.ui.screens.pupil import PupilScreen

    ov = overview(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        assert ov.over[0].name in app.screen.title + app.screen.sub_title


async def test_each_tab_has_the_governors_report_heading(small_db):
    from provmap_tui.services import pdf_doc
    from provmap_tui.ui.screens.budget import HEADINGS

    report = pdf_doc.load_template("governors")["headings"]
    assert sorted(HEADINGS.values()) == sorted(report.values())  # same words on screen and on paper
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        for key, tab in (("s", "tab-streams"), ("y", "tab-years"), ("i", "tab-interventions")):
            await pilot.press(key)
            await settle(pilot)
            pane = app.screen.query_one(f"#{tab}")
            assert str(pane.query_one(".budget-heading", Static).render()) == HEADINGS[tab]


async def test_g_and_a_write_the_governors_report_and_say_where(small_db, tmp_path, monkeypatch):
    from pypdf import PdfReader

    from provmap_tui.store import school

    monkeypatch.chdir(tmp_path)
    ov = overview(small_db)
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        named = tmp_path / "reports" / f"governors-send-report-2026-27-{AS_OF.isoformat()}.pdf"
        assert named.is_file()
        assert any(str(named) in str(n.message) for n in app._notifications)
        text = " ".join(page.extract_text() for page in PdfReader(named).pages)
        assert ov.over[0].name in text

        conn = open_db(small_db)
        try:  # the school's own folder, set on the Settings screen, wins
            school.save(conn, school.get(conn).model_copy(update={"passport_dir": str(tmp_path / "governors")}))
        finally:
            conn.close()
        await pilot.press("a")
        await settle(pilot)
        anonymised = tmp_path / "governors" / f"governors-send-report-2026-27-{AS_OF.isoformat()}-anonymised.pdf"
        assert any(str(anonymised) in str(n.message) for n in app._notifications)
        text = " ".join(page.extract_text() for page in PdfReader(anonymised).pages)
        assert ov.over[0].name not in text and ov.over[0].initials in text
