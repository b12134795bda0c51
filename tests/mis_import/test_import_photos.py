"""Photo folders: named by UPN or by admission number, checked, shrunk, stored once."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from provmap_tui.services.mis_import import photos, service
from provmap_tui.services.mis_import.records import ImportRefused
from provmap_tui.store import pupils

from .conftest import TODAY, dump


def _image(path: Path, size=(1200, 1600), fmt="JPEG", mode="RGB") -> Path:
    Image.new(mode, size, (200, 120, 40) if mode == "RGB" else (200, 120, 40, 128)).save(path, fmt)
    return path


@pytest.fixture
def roll(school: sqlite3.Connection, data: Path) -> sqlite3.Connection:
    service.run(school, data / "hillside.ctf.xml", today=TODAY)
    return school


def test_photos_named_by_upn_are_shrunk_and_stored(roll: sqlite3.Connection, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    _image(folder / "D938200121001.jpg")
    _image(folder / "t938200121002.PNG", size=(500, 500), fmt="PNG", mode="RGBA")
    (folder / "Thumbs.db").write_bytes(b"\x00" * 10)
    (folder / "readme.txt").write_text("photos for September")
    plan = photos.apply_photos(roll, photos.preview_photos(roll, folder))
    assert plan.counts() == {"new": 2, "replaced": 0, "unchanged": 0, "skipped": 0, "ignored": 1}
    stored = Image.open(io.BytesIO(pupils.get_photo(roll, "D938200121001")))
    assert stored.format == "JPEG" and stored.size == (300, 400)
    assert Image.open(io.BytesIO(pupils.get_photo(roll, "T938200121002"))).size == (300, 300)
    # The same folder again: nothing to store, nothing written.
    before = dump(roll)
    again = photos.apply_photos(roll, photos.preview_photos(roll, folder))
    assert again.counts()["unchanged"] == 2 and not again.new and not again.replaced
    assert dump(roll) == before


def test_admission_numbers_with_a_map_file(roll: sqlite3.Connection, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    _image(folder / "001234.jpeg")
    mapping = tmp_path / "adno.csv"
    mapping.write_text("Adno,UPN\n001234,K938200121005\n", encoding="utf-8")
    plan = photos.apply_photos(roll, photos.preview_photos(roll, folder, mapping))
    assert [(p.file, p.upn, p.name) for p in plan.new] == [("001234.jpeg", "K938200121005", "Tom Brown")]
    assert pupils.get_photo(roll, "K938200121005") is not None


def test_bad_photos_are_reported_and_nothing_stored(roll: sqlite3.Connection, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    _image(folder / "D938200121001.jpg")
    (folder / "G938200121003.jpg").write_bytes(b"this is not a picture")
    good = io.BytesIO()
    Image.new("RGB", (800, 800)).save(good, "JPEG")
    (folder / "W938200121004.jpg").write_bytes(good.getvalue()[:300])  # truncated
    _image(folder / "B938200121002.jpg")  # wrong check letter
    _image(folder / "R938200121999.jpg")  # valid UPN, no such pupil
    _image(folder / "Z938200121006.gif", fmt="GIF", mode="RGB")
    Image.new("RGB", (10, 10)).save(folder / "K938200121005.png", "GIF")  # a GIF named .png
    before = dump(roll)
    plan = photos.preview_photos(roll, folder)
    reasons = {p.field: p.reason for p in plan.problems}
    assert "not a JPEG or PNG" in reasons["G938200121003.jpg"]
    assert "damaged or truncated" in reasons["W938200121004.jpg"]
    assert "check letter" in reasons["B938200121002.jpg"]
    assert "no pupil with UPN R938200121999" in reasons["R938200121999.jpg"]
    assert "GIF" in reasons["K938200121005.png"]
    assert plan.ignored == ["Z938200121006.gif"]
    with pytest.raises(ImportRefused, match="5 photo"):
        photos.apply_photos(roll, plan)
    assert dump(roll) == before
    photos.apply_photos(roll, plan, skip_invalid=True)
    assert pupils.with_photos(roll) == {"D938200121001"}


def test_size_limits(roll: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    _image(folder / "D938200121001.jpg", size=(2000, 2000))
    monkeypatch.setattr("provmap_tui.services.mis_import.photos.MAX_PIXELS", 1_000_000)
    assert "megapixels" in photos.preview_photos(roll, folder).problems[0].reason
    monkeypatch.setattr("provmap_tui.services.mis_import.files.PHOTO_LIMIT", 100)
    assert "larger than" in photos.preview_photos(roll, folder).problems[0].reason


@pytest.mark.parametrize(
    ("content", "words"),
    [("001234\n", "two columns"), ("Adno,UPN\n001234,B938200121002\n", "line 2"),
     ("1,D938200121001\n1,T938200121002\n", "given twice"), ("Adno,UPN\n", "no rows")],
)
def test_bad_map_files_are_refused(roll: sqlite3.Connection, tmp_path: Path, content: str, words: str) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text(content, encoding="utf-8")
    folder = tmp_path / "photos"
    folder.mkdir()
    with pytest.raises(ImportRefused, match=words):
        photos.preview_photos(roll, folder, mapping)


def test_not_a_folder(roll: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="not a folder"):
        photos.preview_photos(roll, tmp_path / "nope")
