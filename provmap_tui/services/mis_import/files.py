"""Reading an import file safely: a size limit, and binary or unreadable files refused.

Every refusal names the file and says what to do, so no input reaches a traceback.
"""

from __future__ import annotations

from pathlib import Path

from provmap_tui.services.mis_import.records import ImportRefused

MB = 1024 * 1024
ROLL_FILE_LIMIT = 50 * MB
PHOTO_LIMIT = 5 * MB
MAP_FILE_LIMIT = 1 * MB

# Signatures of files people export by mistake instead of CSV or CTF.
_SIGNATURES = (
    (b"PK\x03\x04", "a zip or Excel workbook (.xlsx); save it as CSV from Excel first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file (.xls/.doc); save it as CSV first"),
    (b"%PDF", "a PDF; export the data as CSV or CTF from the MIS instead"),
    (b"\x89PNG", "a PNG picture; photos go in with `import-photos FOLDER`"),
    (b"\xff\xd8\xff", "a JPEG picture; photos go in with `import-photos FOLDER`"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The whole file, or ImportRefused if it is missing, a folder, unreadable or too big."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportRefused(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read ({exc.strerror})") from None
    if path.is_dir():
        raise ImportRefused(f"{path}: is a folder; give the {what} file itself")
    if size > limit:
        raise ImportRefused(
            f"{path}: is {size / MB:.1f} MB; a {what} file may be at most {limit // MB} MB. Is it the right file?"
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise ImportRefused(f"{path}: is larger than {limit // MB} MB; a {what} file may be at most that")
    return data


def refuse_binary(path: Path, data: bytes) -> None:
    """Refuse files that are not text: known binary formats by name, others by NUL bytes."""
    if not data.strip():
        raise ImportRefused(f"{path}: is empty; export the pupils from the MIS again")
    for magic, meaning in _SIGNATURES:
        if data.startswith(magic):
            raise ImportRefused(f"{path}: is {meaning}")
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise ImportRefused(f"{path}: is a binary file, not a CSV or CTF export")


def detect_format(path: Path, data: bytes) -> str:
    """'ctf' for XML, else 'csv': by content first, so a CTF saved as .txt still works."""
    start = data.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")[:5]
    if start.startswith(b"<"):
        return "ctf"
    if path.suffix.lower() == ".xml":
        return "ctf"
    return "csv"
