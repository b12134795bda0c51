"""Shared fixtures: temporary databases built through the same services as the CLI."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from provmap_tui.services.demo import generate
from provmap_tui.services.setup import create_school
from provmap_tui.store.connection import connect


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "school.db"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    """An empty school (default calendar, streams and library) for 2026-27."""
    c = connect(db_path)
    create_school(c, "Test Primary", "2026-27", "123456")
    yield c
    c.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """The small demo school, in a file."""
    path = tmp_path / "demo.db"
    c = connect(path)
    generate(c, "small", seed=7)
    c.close()
    return path
