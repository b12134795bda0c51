"""Benchmark: start-up to the caseload table on screen, and the app's peak memory.

Runs in a real terminal (a private tmux server) on the large demo school (2,400
pupils, 300 provisions) built in a temporary folder. Start-up is timed from
launching the process to the caseload's table and summary on screen (polling
`tmux capture-pane`), against a bare Textual app showing a 2,000-row DataTable,
started the same way, alternating, in the same run. Peak memory is the app
process's VmHWM after it has also shown the whole school (2,400 rows), and,
apart, that of the child process the app forks for its first caseload read.

    python -m provmap_tui.bench_tui [--runs 9]

A measurement, not a test (targets: ratio <= 1.3, peak memory < 120 MB).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from provmap_tui.bench_builder import Terminal, make_school

BARE_ROWS = 2000
BARE_READY = "Row 0001"
# Each look at the screen spawns `tmux capture-pane` (a few ms of CPU): looking every 2 ms,
# as the keystroke benchmark does, would keep a core busy that the app's start-up uses.
# 10 ms costs at most 10 ms of resolution on either app.
START_POLL_S = 0.01


class MeasuredTerminal(Terminal):
    """A Terminal on its own tmux server each time (a server just killed can swallow the next
    session started on the same socket), which can tell the app's process id."""

    _numbers = itertools.count()

    def __init__(self, command: str, cols: int = 120, rows: int = 40) -> None:
        self.socket = f"provmap-bench-tui-{os.getpid()}-{next(self._numbers)}"
        env = {**os.environ, "LANG": os.environ.get("LANG", "C.UTF-8")}
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", str(cols), "-y", str(rows), command,
                   env=env)

    def pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip())


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _time_start(command: str, ready: str) -> tuple[float, MeasuredTerminal]:
    start = time.perf_counter()
    term = MeasuredTerminal(f"exec {command}")
    term.wait_for(ready, poll=START_POLL_S)
    return time.perf_counter() - start, term


# The app's first caseload read, in the child process it forks (ui/preload.py), started the
# way make_app starts it; RUSAGE_CHILDREN then holds that child's peak resident set.
_CHILD_PEAK = (
    "import resource, sys; from datetime import date; from pathlib import Path; "
    "from provmap_tui.ui.context import AppContext; from provmap_tui.ui.preload import Preload; "
    "p = Preload(AppContext(Path(sys.argv[1])), date.today(), fork=True); assert p.take() is not None; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
)


def child_peak_mb(db: Path) -> float:
    """Peak resident set of the child that reads the first caseload, in MB (pages it shares
    with the app by copy-on-write are counted in both)."""
    done = subprocess.run([sys.executable, "-c", _CHILD_PEAK, str(db)], capture_output=True, text=True, check=True)
    return float(done.stdout)


def run(runs: int) -> dict[str, float]:
    py = shlex.quote(sys.executable)
    bare_cmd = f"{py} -m provmap_tui.bench_tui --bare {BARE_ROWS}"
    app_times, bare_times, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="provmap-bench-") as tmp:
        db = make_school(Path(tmp))
        app_cmd = f"{py} -m provmap_tui --db {shlex.quote(str(db))}"
        for _ in range(runs):
            elapsed, term = _time_start(bare_cmd, BARE_READY)
            term.close()
            bare_times.append(elapsed)
            elapsed, term = _time_start(app_cmd, "400 pupils,")
            app_times.append(elapsed)
            try:
                term.keys("w")  # the whole school: 2,400 rows
                term.wait_for("2400 pupils,")
                term.keys("s")  # and sort it
                term.wait_for("sort: Yr")
                time.sleep(0.2)
                peaks.append(peak_rss_mb(term.pid()))
            finally:
                term.close()
            time.sleep(0.2)
        child_mb = child_peak_mb(db)
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    paired = statistics.median(a / b for a, b in zip(app_times, bare_times))  # each pair ran back to back
    return {"runs": runs, "app_ms": app * 1000, "bare_ms": bare * 1000, "ratio": app / bare, "paired": paired,
            "peak_mb": max(peaks), "child_peak_mb": child_mb, "app_min_ms": min(app_times) * 1000, "bare_min_ms": min(bare_times) * 1000}


def bare_app(rows: int) -> None:
    """The yardstick: a bare Textual app with one DataTable of `rows` rows."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Name", "Yr", "Class", "SEN", "Need", "Flags", "Prov", "Hrs", "Annual", "Threshold")
            table.add_rows(
                (f"Row {i:04d}", "Y7", "7G", "K", "SLCN", "PP", "2", "1.5", "£1,234", "██░░░ 40%")
                for i in range(1, rows + 1)
            )

    Bare().run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="start-ups of each app to time (default 9)")
    parser.add_argument("--bare", type=int, metavar="ROWS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare:
        bare_app(args.bare)
        return 0
    r = run(args.runs)
    print(f"start-up to caseload on screen (large demo, median of {r['runs']}): {r['app_ms']:.0f} ms "
          f"vs bare Textual + {BARE_ROWS}-row DataTable {r['bare_ms']:.0f} ms: ratio {r['ratio']:.2f} "
          f"(target <= 1.3; median of the paired ratios {r['paired']:.2f}; "
          f"best {r['app_min_ms']:.0f} vs {r['bare_min_ms']:.0f} ms)")
    print(f"peak memory of the app (caseload, then the whole school sorted): {r['peak_mb']:.1f} MB (target < 120 MB); "
          f"the child that reads the first caseload peaks at {r['child_peak_mb']:.1f} MB for a moment at start-up")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
