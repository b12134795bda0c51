"""Pupil photos from a folder: JPEG/PNG files named by UPN, or by admission number
with a map file; each checked, shrunk to passport size and stored in the database.

Like the roll import: `preview_photos` writes nothing, `apply_photos` writes all the
photos in one transaction, or none when any file has a problem (unless skip_invalid).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.domain.upn import validate_upn
from provmap_tui.services.mis_import import files
from provmap_tui.services.mis_import.csv_reader import decode
from provmap_tui.services.mis_import.plan import Progress
from provmap_tui.services.mis_import.records import ImportRefused, Problem
from provmap_tui.store import pupils
from provmap_tui.store.connection import transaction

SUFFIXES = {".jpg", ".jpeg", ".png"}
PASSPORT_SIZE = (300, 400)  # pixels, width x height: sharp on a printed passport
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is already far bigger than any camera needs
_SYSTEM_FILES = {"thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Photo:
    file: str
    upn: str
    name: str
    data: bytes
    replaces: bool


@dataclass
class PhotoPlan:
    folder: str
    new: list[Photo] = field(default_factory=list)
    replaced: list[Photo] = field(default_factory=list)
    unchanged: list[Photo] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "replaced": len(self.replaced), "unchanged": len(self.unchanged),
                "skipped": len(self.problems), "ignored": len(self.ignored)}


def read_map(path: Path) -> dict[str, str]:
    """Admission number -> UPN from a two-column CSV (a header row is optional)."""
    data = files.read_bounded(path, files.MAP_FILE_LIMIT, "photo map")
    files.refuse_binary(path, data)
    text = decode(data, str(path))
    mapping: dict[str, str] = {}
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportRefused(f"{path}: cannot read as CSV ({exc})") from None
    for n, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ImportRefused(f"{path}: line {n}: give two columns, admission number then UPN")
        try:
            upn = validate_upn(cells[1], "UPN")
        except InvalidInput as exc:
            if n == 1:  # a header row such as "Adno,UPN"
                continue
            raise ImportRefused(f"{path}: line {n}: {exc}") from None
        if cells[0] in mapping and mapping[cells[0]] != upn:
            raise ImportRefused(f"{path}: line {n}: admission number {cells[0]} is given twice with different UPNs")
        mapping[cells[0]] = upn
    if not mapping:
        raise ImportRefused(f"{path}: has no rows of admission number and UPN")
    return mapping


def shrink(data: bytes) -> bytes:
    """The photo as a passport-sized JPEG; InvalidInput if it is not a sound JPEG or PNG."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                if im.format not in ("JPEG", "PNG"):
                    raise InvalidInput("photo", f"is a {im.format} image; use JPEG or PNG")
                if im.width * im.height > MAX_PIXELS:
                    raise InvalidInput("photo", f"is {im.width}x{im.height} pixels; at most {MAX_PIXELS // 1_000_000} megapixels")
                im.load()
                img = ImageOps.exif_transpose(im)
                if img.mode in ("RGBA", "LA", "P"):
                    img = img.convert("RGBA")
                    background = Image.new("RGBA", img.size, (255, 255, 255, 255))
                    img = Image.alpha_composite(background, img)
                img = img.convert("RGB")
                img.thumbnail(PASSPORT_SIZE)
                out = io.BytesIO()
                img.save(out, "JPEG", quality=85, optimize=True)
                return out.getvalue()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("photo", "is not a JPEG or PNG picture") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise InvalidInput("photo", "is damaged or truncated; save or export it again") from None


def preview_photos(conn: sqlite3.Connection, folder: Path, map_file: Path | None = None,
                   progress: Progress | None = None) -> PhotoPlan:
    """Which photos would be stored; reads the database, writes nothing."""
    if not folder.is_dir():
        raise ImportRefused(f"{folder}: is not a folder; give the folder that holds the photos")
    adno = read_map(map_file) if map_file else None
    names = {p.upn: p.name for p in pupils.list_all(conn)}
    plan = PhotoPlan(folder=str(folder))
    entries = sorted(p for p in folder.iterdir() if p.is_file())
    seen: dict[str, str] = {}
    for i, path in enumerate(entries, 1):
        if progress and (i % 50 == 0 or i == len(entries)):
            progress(i, len(entries))
        if path.name.startswith(".") or path.name.lower() in _SYSTEM_FILES:
            continue
        if path.suffix.lower() not in SUFFIXES:
            plan.ignored.append(path.name)
            continue
        try:
            upn = _upn_for(path.stem, adno)
            if upn not in names:
                raise InvalidInput("UPN", f"no pupil with UPN {upn}; import the roll first")
            if upn in seen:
                raise InvalidInput("UPN", f"{seen[upn]} is already the photo for {upn}")
            if path.stat().st_size > files.PHOTO_LIMIT:
                raise InvalidInput("photo", f"is larger than {files.PHOTO_LIMIT // files.MB} MB; shrink it first")
            data = shrink(path.read_bytes())
        except InvalidInput as exc:
            plan.problems.append(Problem(None, path.stem, path.name, exc.reason))
            continue
        except OSError as exc:
            plan.problems.append(Problem(None, path.stem, path.name, f"cannot read ({exc.strerror})"))
            continue
        seen[upn] = path.name
        current = pupils.get_photo(conn, upn)
        photo = Photo(path.name, upn, names[upn], data, current is not None)
        if current == data:
            plan.unchanged.append(photo)
        elif current is None:
            plan.new.append(photo)
        else:
            plan.replaced.append(photo)
    return plan


def _upn_for(stem: str, adno: dict[str, str] | None) -> str:
    if adno is not None:
        key = stem.strip()
        if key in adno:
            return adno[key]
        try:
            return validate_upn(stem, "UPN")
        except InvalidInput:
            raise InvalidInput("admission number", f"{key!r} is not in the map file and is not a UPN") from None
    return validate_upn(stem, "UPN")


def apply_photos(conn: sqlite3.Connection, plan: PhotoPlan, *, skip_invalid: bool = False) -> PhotoPlan:
    """Store the new and replaced photos in one transaction."""
    if plan.problems and not skip_invalid:
        raise ImportRefused(
            f"{plan.folder}: {len(plan.problems)} photo(s) have problems, so none was stored; fix them, "
            "or store the others with --skip-invalid"
        )
    with transaction(conn):
        for photo in plan.new + plan.replaced:
            pupils.set_photo(conn, photo.upn, photo.data)
    return plan
