"""A non-editable install must carry db/, styles/ and templates/ inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_data_folders(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("provmap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("db", "styles", "templates"):
        shipped = {n for n in names if n.startswith(f"provmap_tui/{folder}/")}
        in_repo = {f"provmap_tui/{p.relative_to(ROOT).as_posix()}" for p in (ROOT / folder).rglob("*") if p.is_file()}
        assert in_repo and in_repo <= shipped, folder
    assert "provmap_tui/db/migrations/001_initial.sql" in names
    assert any(n.endswith("entry_points.txt") for n in names)
