"""Shared helpers of the app tests (imported by name; tests/ has no packages)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from provmap_tui.store.connection import connect

AS_OF = date(2027, 1, 15)


async def settle(pilot) -> None:
    """Let workers finish and the screen redraw."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_db(path: Path):
    """A second connection, like another member of staff on the same file."""
    return connect(path, create=False)
