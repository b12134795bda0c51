"""Where the shipped data folders (db/, styles/, templates/) are.

In a wheel they sit inside the package; in a source checkout, beside it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` (db, styles or templates), installed or in the checkout."""
    for base in (_PACKAGE, _PACKAGE.parent):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"provmap is installed without its {name}/ folder; reinstall it")
