"""Fixtures for the app's Pilot and snapshot tests: a small invented demo school."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provmap_tui.services.demo import generate
from provmap_tui.store.connection import connect

@pytest.fixture(scope="session")
def _small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "small.db"
    conn = connect(path)
    generate(conn, "small", 1, "2026-27")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path

@pytest.fixture
def small_db(_small_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small demo school (210 pupils, 45 on the register)."""
    path = tmp_path / "school.db"
    shutil.copy(_small_template, path)
    return path



@pytest.fixture
def large_db(tmp_path: Path) -> Path:
    """The large demo secondary (2,400 pupils, 300 provisions), for behaviour that only
    shows at that size."""
    path = tmp_path / "large.db"
    conn = connect(path)
    generate(conn, "large", 1, "2026-27")
    conn.close()
    return path
