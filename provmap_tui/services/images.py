"""The school logo and pupil photos: checked, shrunk and stored inside the database.

Only PNG and JPEG are accepted (checked by their first bytes and by decoding them
with Pillow). Big pictures are scaled down so the one database file stays small and
PDFs stay quick: photos become JPEG, logos keep PNG when they have transparency.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from provmap_tui.domain.errors import ProvmapError
from provmap_tui.store import pupils, school
from provmap_tui.store.connection import transaction

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_SIDE_PX = 600
MIN_SIDE_PX = 16
MAX_PIXELS = 40_000_000  # a 5 MB file can hold a huge, highly compressed picture: refuse before decoding
JPEG_QUALITY = 85
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


class ImageError(ProvmapError):
    """A picture cannot be used; the message names the file and the fix."""


def image_kind(data: bytes) -> str | None:
    """"png", "jpeg" or None, from the file's first bytes."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    return None


def prepare(data: bytes, name: str, *, keep_transparency: bool = False) -> bytes:
    """Validate a PNG or JPEG and return it scaled to at most MAX_SIDE_PX, ready to store."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_INPUT_BYTES:
        raise ImageError(
            f"{name}: is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_INPUT_BYTES // 1024 // 1024} MB;"
            f" save a smaller copy (e.g. 600 pixels wide) and try again"
        )
    kind = image_kind(data)
    if kind is None:
        raise ImageError(f"{name}: is not a PNG or JPEG picture; save it as .png or .jpg and try again")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError(f"{name}: is {probe.width}x{probe.height} pixels, far too many to be a photo or"
                                 f" logo; save a copy about 600 pixels wide and try again")
            probe.verify()  # checks the file's structure without decoding every pixel
        img = Image.open(io.BytesIO(data))
        img.load()
    except Image.DecompressionBombError:
        raise ImageError(f"{name}: has far too many pixels to be a photo or logo; save a copy about 600 pixels"
                         f" wide and try again") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageError(f"{name}: the {kind.upper()} file is damaged or incomplete; export it again and retry"
                         ) from None
    if min(img.size) < MIN_SIDE_PX:
        raise ImageError(f"{name}: is only {img.width}x{img.height} pixels; use a picture at least"
                         f" {MIN_SIDE_PX} pixels on each side")
    img.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    out = io.BytesIO()
    if keep_transparency and has_alpha:
        img.convert("RGBA").save(out, "PNG", optimize=True)
    else:
        if has_alpha:  # flatten onto white, as it would print
            background = Image.new("RGB", img.size, (255, 255, 255))
            background.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
            img = background
        img.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def read_picture(path: Path) -> bytes:
    """The file's bytes, refusing folders, missing files and anything too big to read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file; check the name and folder") from None
    if path.is_dir():
        raise ImageError(f"{path}: is a folder; give a .png or .jpg file")
    if size > MAX_INPUT_BYTES:
        raise ImageError(f"{path}: is {size / 1024 / 1024:.1f} MB; the limit is {MAX_INPUT_BYTES // 1024 // 1024} MB;"
                         f" save a smaller copy (e.g. 600 pixels wide) and try again")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImageError(f"{path}: cannot read ({exc.strerror})") from None


def set_logo(conn: sqlite3.Connection, path: Path) -> int:
    """Store the school's logo from a file; returns the stored size in bytes."""
    stored = prepare(read_picture(path), str(path), keep_transparency=True)
    with transaction(conn):
        school.get(conn)  # a clear error if the database has no school yet
        school.set_logo(conn, stored)
    return len(stored)


def set_photo(conn: sqlite3.Connection, upn: str, path: Path) -> int:
    """Store a pupil's photo from a file; returns the stored size in bytes."""
    stored = prepare(read_picture(path), str(path))
    with transaction(conn):
        pupils.set_photo(conn, upn, stored)
    return len(stored)


def initials(forename: str, surname: str) -> str:
    """"Łukasz", "Wiśniewski" -> "ŁW": shown in a circle when there is no photo."""
    return f"{forename[:1]}{surname[:1]}".upper()
