"""Writing report files so a reader never sees half of one.

Each file goes to a temporary name beside its target and is renamed into place.
"""

from __future__ import annotations

import os
from pathlib import Path

from provmap_tui.domain.errors import ProvmapError


class OutputError(ProvmapError):
    """A report file or folder cannot be written."""


def ensure_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: is a file, not a folder; choose a folder for the output") from None
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror})") from None
    return folder


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write data to path via a temporary file and a rename."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(f"{path.parent}: is a file, not a folder; choose a folder for the output")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: no such folder; create it first or choose another")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8", newline="")
        else:
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    return path
