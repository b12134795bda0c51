"""The app's PDF keys: passports (one and batch), panel evidence and the pupil's photo."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.widgets import DataTable, Input, OptionList, Static
from ui_helpers import AS_OF, open_db, settle

from provmap_tui.domain.models import PassportFields
from provmap_tui.services.passport import file_name
from provmap_tui.store import pupils, school
from provmap_tui.store.connection import transaction
from provmap_tui.ui.run import make_app
from provmap_tui.ui.screens.caseload import CaseloadScreen
from provmap_tui.ui.screens.passport_batch import BatchChoiceScreen, BatchProgressScreen
from provmap_tui.ui.screens.photo import PhotoScreen
from provmap_tui.ui.screens.pupil import PupilScreen


@pytest.fixture
def school_db(small_db: Path, tmp_path: Path) -> Path:
    """The small demo with its passport folder set to a temporary folder."""
    conn = open_db(small_db)
    try:
        with transaction(conn):
            s = school.get(conn)
            school.save(conn, s.model_copy(update={"passport_dir": str(tmp_path / "out")}))
    finally:
        conn.close()
    return small_db


def out_dir(db: Path) -> Path:
    return db.parent / "out"


def pupil(db: Path, upn: str):
    conn = open_db(db)
    try:
        return pupils.get(conn, upn)
    finally:
        conn.close()


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def until(pilot, condition, tries: int = 200) -> None:
    """Wait (in short pauses) for something a worker or another process finishes."""
    for _ in range(tries):
        await settle(pilot)
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting")


async def test_p_on_the_caseload_writes_the_highlighted_pupils_passport(school_db):
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseloadScreen)
        await pilot.press("down", "down")
        upn = screen.highlighted_upn()
        await pilot.press("p")
        await settle(pilot)
        p = pupil(school_db, upn)
        path = out_dir(school_db) / file_name(p)
        assert path.exists()
        assert p.name in pdf_text(path)
        assert f"Passport written: {path}" in notices(app)


async def test_p_on_the_pupil_screen_writes_that_pupils_passport(school_db):
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        upn = app.screen.shown[5].upn
        app.open_pupil(upn)
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        await pilot.press("p")
        await settle(pilot)
        p = pupil(school_db, upn)
        path = out_dir(school_db) / file_name(p)
        assert p.name in pdf_text(path)
        assert any(str(path) in n for n in notices(app))


async def filter_caseload(pilot, text: str) -> CaseloadScreen:
    await settle(pilot)
    await pilot.press("slash", *text, "enter")
    await settle(pilot)
    return pilot.app.screen


async def run_batch(app, pilot, option: int, monkeypatch) -> list[tuple[int, int]]:
    """Choose a batch option and wait for the progress modal to close; returns the bar's updates."""
    bar: list[tuple[int, int]] = []
    advance = BatchProgressScreen._advance

    def record(screen, done, total):
        assert screen.is_current  # the bar is fed while its modal is on top
        bar.append((done, total))
        advance(screen, done, total)

    monkeypatch.setattr(BatchProgressScreen, "_advance", record)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(app.screen, BatchChoiceScreen)
    app.screen.query_one(OptionList).highlighted = option
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, BatchProgressScreen))
    assert isinstance(app.screen, CaseloadScreen)
    return bar


async def test_batch_of_the_filter_writes_one_file_per_shown_pupil(school_db, monkeypatch):
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await filter_caseload(pilot, "y5")
        shown = [r.upn for r in screen.shown]
        assert 1 < len(shown) < 24  # a short batch, drawn in this process
        bar = await run_batch(app, pilot, 0, monkeypatch)
        assert bar[-1] == (len(shown), len(shown))
        expected = {file_name(pupil(school_db, u)) for u in shown}
        assert {p.name for p in out_dir(school_db).glob("*.pdf")} == expected
        assert f"Wrote {len(shown)} passports to {out_dir(school_db)}" in notices(app)


async def test_batch_of_the_filter_as_one_combined_pdf(school_db, monkeypatch):
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await filter_caseload(pilot, "y5")
        shown = [pupil(school_db, r.upn) for r in screen.shown]
        bar = await run_batch(app, pilot, 1, monkeypatch)
        assert bar[-1] == (len(shown), len(shown))
        [combined] = out_dir(school_db).glob("*.pdf")
        assert combined.name == f"Passports-selected-{AS_OF:%Y-%m-%d}.pdf"
        reader = PdfReader(combined)
        assert len(reader.pages) >= len(shown)
        text = pdf_text(combined)
        assert all(p.name in text for p in shown)
        assert any(str(combined) in n for n in notices(app))


async def test_a_character_the_font_lacks_names_the_pupil_and_writes_nothing(school_db, monkeypatch):
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await filter_caseload(pilot, "y5")
        victim = pupil(school_db, screen.shown[1].upn)
        conn = open_db(school_db)
        with transaction(conn):
            fields = PassportFields(**{**victim.passport.__dict__, "strengths": "Great at chess 🙂"})
            pupils.save(conn, victim.model_copy(update={"passport": fields}))
        conn.close()
        await run_batch(app, pilot, 0, monkeypatch)
        [message] = [n for n in notices(app) if n.startswith("No passports written")]
        assert victim.name in message and "U+1F642" in message
        assert not list(out_dir(school_db).glob("*.pdf"))


async def test_esc_cancels_a_batch_and_leaves_no_files(school_db):
    """The whole register (45) runs in worker processes, which take a moment to start: Esc lands first."""
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one(OptionList).highlighted = 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BatchProgressScreen)
        await pilot.press("escape")  # before the first passport is finished
        await until(pilot, lambda: not isinstance(app.screen, BatchProgressScreen))
        assert "Passports cancelled: no files were written." in notices(app)
        assert not list(out_dir(school_db).glob("*.pdf"))


async def test_v_writes_the_panel_evidence_pdf_and_csv(school_db):
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        upn = max(app.screen.shown, key=lambda r: r.annual).upn
        app.open_pupil(upn)
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        p = pupil(school_db, upn)
        stem = file_name(p).removesuffix(".pdf") + "-panel"
        pdf, sheet = out_dir(school_db) / f"{stem}.pdf", out_dir(school_db) / f"{stem}.csv"
        assert p.name in pdf_text(pdf)
        rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"))))
        assert len(rows) > 3
        assert f"Panel evidence written: {pdf} and {sheet.name}" in notices(app)


def picture(path: Path, kind: str = "PNG") -> Path:
    from PIL import Image

    Image.new("RGB", (120, 160), (200, 120, 40)).save(path, kind)
    return path


async def test_f_sets_the_photo_and_the_passport_then_shows_it(school_db, tmp_path):
    conn = open_db(school_db)
    upn = next(p.upn for p in pupils.list_all(conn) if p.on_register and p.upn not in pupils.with_photos(conn))
    conn.close()
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_pupil(upn)
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        path = out_dir(school_db) / file_name(pupil(school_db, upn))
        before = len(PdfReader(path).pages[0].images)  # the school logo only
        assert "No photo" in str(app.screen.query_one("#pupil-details", Static).render())
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PhotoScreen)
        app.screen.query_one(Input).value = str(picture(tmp_path / "me.png"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        conn = open_db(school_db)
        assert upn in pupils.with_photos(conn)
        conn.close()
        assert "Photo on file" in str(app.screen.query_one("#pupil-details", Static).render())
        await pilot.press("p")
        await settle(pilot)
        assert len(PdfReader(path).pages[0].images) == before + 1
        # The screen reloaded the pupil, so editing after the photo is not a false conflict.
        await pilot.press("e")
        form = app.screen
        form.query_one("#f-notes", Input).value = "Photo taken in September"
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
    assert pupil(school_db, upn).notes == "Photo taken in September"


async def test_a_file_that_is_not_a_picture_shows_the_error_beside_the_field(school_db, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    conn = open_db(school_db)
    upn = next(p.upn for p in pupils.list_all(conn) if p.on_register and p.upn in pupils.with_photos(conn))
    photo = pupils.get_photo(conn, upn)
    conn.close()
    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_pupil(upn)
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PhotoScreen)  # still open, so it can be fixed
        error = str(app.screen.query_one("#photo-error", Static).render())
        assert str(bad) in error and "not a PNG or JPEG" in error
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PupilScreen)
        conn = open_db(school_db)
        assert pupils.get_photo(conn, upn) == photo  # the old photo is kept
        conn.close()


async def test_help_lists_the_pdf_keys_on_both_screens(school_db):
    from provmap_tui.ui.screens.help import key_groups

    def keys(screen) -> dict[str, str]:
        return {desc: k for _, rows in key_groups(screen) for k, desc in rows}

    app = make_app(school_db, AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        caseload = keys(app.screen)
        assert caseload["Passport"] == "p" and caseload["Batch passports"] == "b"
        app.open_pupil(app.screen.shown[0].upn)
        await settle(pilot)
        pupil_keys = keys(app.screen)
        assert (pupil_keys["Passport"], pupil_keys["Panel evidence"], pupil_keys["Photo"]) == ("p", "v", "f")
