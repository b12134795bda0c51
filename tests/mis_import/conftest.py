"""Fixtures for the MIS import tests: an empty school, the sample files, DB dumps."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from provmap_tui.services.setup import create_school
from provmap_tui.store.connection import connect

DATA = Path(__file__).resolve().parent.parent / "data" / "mis"
TODAY = date(2026, 9, 10)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of tests/data/mis (the import files)."""
    target = tmp_path / "mis"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def school_db(tmp_path: Path) -> Path:
    """An empty school's database file."""
    path = tmp_path / "school.db"
    c = connect(path)
    create_school(c, "Hillside Primary School", "2026-27", "123456")
    c.close()
    return path


@pytest.fixture
def school(school_db: Path) -> Iterator[sqlite3.Connection]:
    c = connect(school_db)
    yield c
    c.close()


def dump(conn: sqlite3.Connection) -> str:
    """Everything in the database as SQL, to show that nothing was written."""
    return "\n".join(conn.iterdump())
