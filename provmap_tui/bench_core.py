"""Core benchmarks: costing, the CLI's report, load and dump on the large demo school.

Measurements, not tests: each figure is printed beside its target and beside the
floor it stands on (e.g. the CLI's own start-up), so the overhead is visible.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

AS_OF = date(2027, 1, 31)


@dataclass
class Figure:
    what: str
    ms: float
    target_ms: float | None
    floor: str = ""

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.ms <= self.target_ms else "SLOW"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run_cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "provmap_tui", *args], check=True, stdout=subprocess.DEVNULL)


def make_large_demo(folder: Path) -> Path:
    db = folder / "large.db"
    run_cli("--db", str(db), "demo", "--size", "large", "--seed", "1")
    return db


def core_figures(folder: Path, db: Path) -> list[Figure]:
    from provmap_tui.services import cost_report
    from provmap_tui.services.setup import open_school
    from provmap_tui.store import snapshot

    conn = open_school(db)
    pm = snapshot.load(conn)
    figures = [
        Figure("cost report, costing only (in-process)", median_ms(lambda: cost_report.build(pm, AS_OF), 20), 50),
        Figure("cost report incl. reading the database", median_ms(
            lambda: cost_report.to_json(cost_report.build(snapshot.load(conn), AS_OF)), 10), None),
    ]
    conn.close()
    startup = median_ms(lambda: run_cli("--help"), 5)
    floor = f"CLI start-up {startup:.0f} ms"
    figures.append(Figure("`report costs --json`, whole process", median_ms(
        lambda: run_cli("--db", str(db), "report", "costs", "--json", "--as-of", AS_OF.isoformat()), 5), 1000, floor))
    doc = folder / "large.json"
    figures.append(Figure("`dump` of the large document", median_ms(
        lambda: run_cli("--db", str(db), "dump", "--out", str(doc)), 3), 2000, floor))
    counter = iter(range(100))
    figures.append(Figure("`load` into an empty database", median_ms(
        lambda: run_cli("--db", str(folder / f"copy{next(counter)}.db"), "load", str(doc)), 3), 2000, floor))
    return figures


def print_table(figures: list[Figure], console: Console) -> None:
    table = Table(title="provmap benchmarks (large demo: 2,400 pupils, 400 on the register, 300 provisions)")
    for col in ("Measurement", "Median", "Target", "Floor", ""):
        table.add_column(col, justify="right" if col in ("Median", "Target") else "left")
    for f in figures:
        table.add_row(f.what, f"{f.ms:,.0f} ms" if f.ms >= 10 else f"{f.ms:.1f} ms",
                      f"< {f.target_ms:,.0f} ms" if f.target_ms else "", f.floor, f.verdict)
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    console = Console()
    with tempfile.TemporaryDirectory(prefix="provmap-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        db = make_large_demo(folder)
        figures = [Figure("generate the large demo school", (time.perf_counter() - t0) * 1000, None)]
        figures += core_figures(folder, db)
    print_table(figures, console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
