"""The app shell: starting up, help, the command palette and moving between places."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Static
from ui_helpers import AS_OF, open_db, settle

from provmap_tui.cli import main
from provmap_tui.store import pupils
from provmap_tui.store.connection import DatabaseError
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.caseload import CaseloadScreen
from provmap_tui.ui.screens.help import HelpScreen
from provmap_tui.ui.screens.pupil import PupilScreen
from provmap_tui.ui.screens.settings import SettingsScreen


async def pick_from_palette(pilot, query: str) -> None:
    """Ctrl+P, type the query, take the first offer, and let the screen settle."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.pause(0.6)
    await pilot.press("enter")
    await settle(pilot)


def test_a_missing_database_is_refused_with_a_clear_message(tmp_path: Path, capsys):
    missing = tmp_path / "nope.db"
    with pytest.raises(DatabaseError, match="no such database"):
        make_app(missing)
    assert main(["--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "nope.db: no such database" in err and "init --school" in err
    assert not missing.exists()


async def test_help_lists_this_screens_keys_and_the_global_ones(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in help_screen.query(".help-group").results(Static))
        groups = dict(help_screen._groups)
        on_screen = groups["On this screen (Caseload)"]
        assert ("w", "Whole school") in on_screen and ("s", "Sort") in on_screen
        everywhere = dict((d, k) for k, d in groups["Everywhere"])
        assert everywhere["Help"] == "F1 / ?" and everywhere["Settings"].startswith("F5")
        assert "Ctrl+P" in text
        await pilot.press("escape")
        assert isinstance(app.screen, CaseloadScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_function_keys_move_between_places_and_back(small_db):
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        caseload = app.screen
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("f2")  # back to the caseload place, where the pupil was left open
        assert isinstance(app.screen, PupilScreen)
        await pilot.press("f2")  # again: home
        assert app.screen is caseload


async def test_palette_jumps_to_a_pupil_by_upn(small_db):
    conn = open_db(small_db)
    target = next(p for p in pupils.list_all(conn) if p.on_register and p.surname.startswith("C"))
    conn.close()
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*target.upn.lower())
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        assert app.screen.upn == target.upn


async def test_palette_finds_a_pupil_by_name(small_db):
    conn = open_db(small_db)
    target = next(p for p in pupils.list_all(conn) if p.on_register and len(p.surname) > 5)
    conn.close()
    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pick_from_palette(pilot, f"{target.forename} {target.surname}")
        assert isinstance(app.screen, PupilScreen)
        assert app.screen.upn == target.upn


async def test_palette_opens_a_provision_in_the_builder(small_db):
    from provmap_tui.ui.screens.builder import BuilderScreen

    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pick_from_palette(pilot, "P007")
        assert isinstance(app.screen, BuilderScreen)
        assert app.screen.provision_id == "P007"


async def test_palette_starts_a_provision_from_an_intervention(small_db):
    from provmap_tui.ui.screens.builder import BuilderScreen

    app = make_app(small_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pick_from_palette(pilot, "Lego-based therapy")
        assert isinstance(app.screen, BuilderScreen)
        assert app.screen.provision_id is None
        assert app.screen.start_intervention == "Lego-based therapy"


def test_a_folder_given_as_the_database_is_named(tmp_path: Path, capsys):
    assert main(["--db", str(tmp_path)]) == 2
    assert "is a folder, not a database file" in capsys.readouterr().err


async def test_palette_offers_the_best_matches_not_the_first_found(large_db):
    """Hundreds of UPNs loosely match "P001"; the provision itself must still be offered first."""
    from provmap_tui.ui.screens.builder import BuilderScreen

    app = make_app(large_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pick_from_palette(pilot, "P001")
        assert isinstance(app.screen, BuilderScreen)
        assert app.screen.provision_id == "P001"
