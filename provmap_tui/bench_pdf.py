"""Benchmarks for the PDF and export outputs (measured, not timed tests).

    python -m provmap_tui.bench_pdf

Builds the large demo school (2,400 pupils, 400 on the register) in a temporary
folder and prints a table: one passport in-process (target < 150 ms), every
register passport as separate files (target < 40 s on 2 cores), one combined
file, the panel sheet, the governors' report and the grid.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

TARGETS = {"one passport, in-process (write_one)": 0.150, "400 register passports, one file each": 40.0}


def _time(fn: Callable[[], object], repeat: int = 1, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median seconds over `repeat` runs (wall clock, or this process's CPU time)."""
    runs = []
    for _ in range(repeat):
        start = clock()
        fn()
        runs.append(clock() - start)
    return statistics.median(runs)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers: unlike wall time, not inflated
    when other programs share the machine."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str] | None = None) -> int:
    from provmap_tui.services import budget, governors, grid, panel_evidence, passport, passport_files
    from provmap_tui.services.demo import generate
    from provmap_tui.services.setup import open_school
    from provmap_tui.store import pupils, school, snapshot
    from provmap_tui.store.connection import connect

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    as_of = date(2027, 1, 15)
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "large.db"
        conn = connect(db)
        rows.append(("build the large demo school", _time(lambda: generate(conn, "large", 1, "2026-27"))))
        conn.close()
        conn = open_school(db)
        pm = snapshot.load(conn)
        register = passport.register_upns(pm)
        out = Path(tmp) / "one"
        passport_files.write_one(conn, register[0], out, as_of)  # warm-up: imports, font files in the page cache
        n = iter(register * 2)
        rows.append(("one passport, in-process (write_one)",
                     _time(lambda: passport_files.write_one(conn, next(n), out, as_of), repeat=15)))
        rows.append(("  CPU time of it", _time(lambda: passport_files.write_one(conn, next(n), out, as_of),
                                              repeat=15, clock=time.process_time)))
        data = passport.passport_for(conn, pm, register[1], as_of)
        rows.append(("  of which drawing the PDF", _time(lambda: passport.render([data]), repeat=15)))
        rows.append(("loading the whole map (once per batch worker)", _time(lambda: snapshot.load(conn), repeat=5)))
        need_types, logo = pupils.need_types(conn), school.get_logo(conn)
        conn.close()

        files = Path(tmp) / "files"
        label = f"{len(register)} register passports, one file each"
        TARGETS[label] = TARGETS.pop("400 register passports, one file each")
        cpu_before = _cpu_seconds()
        rows.append((label, _time(lambda: passport_files.write_batch(db, None, out_dir=files, as_of=as_of))))
        cpu = _cpu_seconds() - cpu_before
        rows.append(("  CPU time used by it, all processes", cpu))
        rows.append(("  = wall time on 2 idle cores (CPU time / 2)", cpu / 2))
        rows.append((f"{len(register)} register passports, one combined file",
                     _time(lambda: passport_files.write_batch(db, None, combined=Path(tmp) / "all.pdf", as_of=as_of))))
        top = max(pm.costs(as_of).pupils.values(), key=lambda c: len(c.provisions)).upn
        rows.append(("panel evidence sheet (PDF + CSV)", _time(lambda: (
            panel_evidence.to_pdf(s := panel_evidence.build(pm, top, as_of, need_types), logo),
            panel_evidence.to_csv(s)), repeat=3)))
        labels = {code: label for code, (label, _plain) in need_types.items()}
        rows.append(("governors' report", _time(lambda: governors.to_pdf(
            budget.build(pm, as_of, labels), logo), repeat=3)))
        rows.append(("provision map grid (.xlsx)", _time(lambda: grid.to_xlsx(grid.build(pm, as_of)), repeat=3)))
        written = len(list(files.glob("*.pdf")))

    print(f"provmap PDF benchmarks: large demo, {len(register)} on the register, {written} files written, "
          f"{os.cpu_count()} CPUs")
    print(f"load average when the bench started: {load:.2f} (wall times grow when other programs share the CPUs)")
    print(f"{'what':<48} {'time':>10}  target")
    for what, seconds in rows:
        target = TARGETS.get(what)
        shown = f"{seconds * 1000:8.0f} ms" if seconds < 1 else f"{seconds:8.2f} s "
        verdict = "" if target is None else (f"< {target * 1000:.0f} ms" if target < 1 else f"< {target:.0f} s")
        if target is not None:
            verdict += "  ok" if seconds < target else "  MISSED"
        print(f"{what:<48} {shown}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
