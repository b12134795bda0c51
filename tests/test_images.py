"""Logo and photo files: only real PNG/JPEG pictures, shrunk, stored in the database."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from provmap_tui.domain.errors import NotFound
from provmap_tui.services import images
from provmap_tui.store import pupils, school
from tests.pdf_fixtures import jpeg_bytes, png_bytes, tiny_conn, tiny_db, upn  # noqa: F401 (fixtures)


def test_big_photo_is_shrunk_and_stored_as_jpeg():
    stored = images.prepare(png_bytes((2000, 1500)), "me.png")
    img = Image.open(io.BytesIO(stored))
    assert img.format == "JPEG"
    assert max(img.size) == images.MAX_SIDE_PX


def test_logo_keeps_transparency_as_png():
    stored = images.prepare(png_bytes((300, 300), (0, 0, 0, 0), "RGBA"), "logo.png", keep_transparency=True)
    assert Image.open(io.BytesIO(stored)).format == "PNG"


@pytest.mark.parametrize("data, words", [
    (b"hello, I am a text file", "is not a PNG or JPEG"),
    (b"GIF89a" + b"\0" * 100, "is not a PNG or JPEG"),
    (png_bytes()[:60], "damaged"),
    (images.PNG_MAGIC + b"\0" * (images.MAX_INPUT_BYTES + 1), "the limit is 5 MB"),
    (png_bytes((8, 8)), "at least 16 pixels"),
])
def test_bad_pictures_are_refused_naming_the_file_and_fix(data, words):
    with pytest.raises(images.ImageError) as err:
        images.prepare(data, "holiday.png")
    assert str(err.value).startswith("holiday.png: ")
    assert words in str(err.value)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims to be width x height: what a "decompression bomb" looks like at first."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return images.PNG_MAGIC + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [8_000, 50_000])
def test_a_picture_claiming_huge_dimensions_is_refused_before_decoding(side):
    with pytest.raises(images.ImageError, match="bomb.png: .*far too many"):
        images.prepare(_png_header_only(side, side), "bomb.png")


def test_set_photo_and_logo_from_files(tiny_conn, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes())
    images.set_photo(tiny_conn, upn(1), photo)
    images.set_logo(tiny_conn, logo)
    assert Image.open(io.BytesIO(pupils.get_photo(tiny_conn, upn(1)))).size == (600, 450)
    assert school.get_logo(tiny_conn).startswith(images.JPEG_MAGIC)  # no transparency: JPEG is smaller


def test_photo_for_unknown_pupil_and_missing_file(tiny_conn, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    with pytest.raises(NotFound):
        images.set_photo(tiny_conn, upn(99), photo)
    with pytest.raises(images.ImageError, match="no such file"):
        images.set_photo(tiny_conn, upn(1), tmp_path / "nope.jpg")
    assert pupils.get_photo(tiny_conn, upn(1)) is None


def test_initials_keep_accented_letters():
    assert images.initials("Łukasz", "Wiśniewski") == "ŁW"
