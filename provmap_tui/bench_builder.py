"""Benchmark: a keystroke in the group-session builder to the updated totals on screen.

Runs the real app in a real terminal (a private tmux server), on the large demo
school (2,400 pupils, 300 provisions) built in a temporary folder. It opens a
provision the way a user would (Ctrl+P, its id, Enter), then alternately types a
digit into Minutes and deletes it, timing each keystroke until the Weekly/Annual
line on the screen shows the new figure (polling `tmux capture-pane`).

    python -m provmap_tui.bench_builder [--keys 20] [--provision P010]

A measurement, not a test: it prints the median and spread (target: median < 100 ms).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POLL_S = 0.002


class Terminal:
    """One private tmux server with one pane running the app; killed on close."""

    def __init__(self, command: str, cols: int = 120, rows: int = 40) -> None:
        self.socket = f"provmap-bench-{os.getpid()}"
        env = {**os.environ, "LANG": os.environ.get("LANG", "C.UTF-8")}
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", str(cols), "-y", str(rows), command,
                   env=env)
        self._tmux("set-option", "-g", "remain-on-exit", "on")

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=env)
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "b")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "b", *keys)

    def text(self, text: str) -> None:
        self._tmux("send-keys", "-t", "b", "-l", text)

    def wait_for(self, text: str, timeout: float = 30.0, poll: float = POLL_S) -> float:
        """Seconds until text is on the screen, looking every `poll` seconds."""
        start = time.perf_counter()
        while text not in self.screen():
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")
            time.sleep(poll)
        return time.perf_counter() - start

    def close(self) -> None:
        self._tmux("kill-server")


def totals_line(screen: str) -> str:
    """The builder's live line: 'Weekly £x   Annual £y ...'."""
    for line in screen.splitlines():
        if "Weekly £" in line:
            return line.strip()
    return ""


def time_keystroke(term: Terminal, key: str, before: str, timeout: float = 10.0) -> tuple[float, str]:
    """Send one key; seconds until the totals line differs from `before`."""
    start = time.perf_counter()
    term.keys(key)
    while True:
        now = totals_line(term.screen())
        if now and now != before:
            return time.perf_counter() - start, now
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"totals did not change after {key!r}; still {before!r}")
        time.sleep(POLL_S)


def make_school(folder: Path) -> Path:
    from provmap_tui.services.demo import generate
    from provmap_tui.store.connection import connect

    db = folder / "large.db"
    conn = connect(db)
    generate(conn, "large", 1)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def run(keys: int, provision: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="provmap-bench-") as tmp:
        db = make_school(Path(tmp))
        command = f"{shlex.quote(sys.executable)} -m provmap_tui --db {shlex.quote(str(db))}"
        term = Terminal(command)
        try:
            term.wait_for("Caseload")
            term.keys("C-p")
            term.wait_for("Search for")
            term.text(provision)
            term.wait_for(f"{provision} ")
            term.keys("Enter")
            term.wait_for("Weekly £")
            term.keys("End")  # the Minutes box has focus with its text selected: keep it
            time.sleep(0.3)
            current = totals_line(term.screen())
            times = []
            for n in range(keys):
                # 30 -> 305 -> 30 ...: every keystroke changes the cost.
                elapsed, current = time_keystroke(term, "5" if n % 2 == 0 else "BSpace", current)
                times.append(elapsed * 1000)
                time.sleep(0.05)  # a typist's gap; keystrokes never overlap
        finally:
            term.close()
    ordered = sorted(times)
    return {
        "keys": len(times),
        "median_ms": statistics.median(times),
        "p90_ms": ordered[max(0, int(len(ordered) * 0.9) - 1)],
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
    }


def in_process(provision: str, rounds: int = 200) -> float:
    """Milliseconds for one preview (check the form + cost the draft) on the large demo."""
    from datetime import date

    from provmap_tui.services.builder_preview import make_baseline, preview
    from provmap_tui.services.provision_form import check, form_from_provision
    from provmap_tui.store import snapshot
    from provmap_tui.store.connection import connect

    with tempfile.TemporaryDirectory(prefix="provmap-bench-") as tmp:
        conn = connect(make_school(Path(tmp)))
        pm = snapshot.load(conn)
        conn.close()
    base = make_baseline(pm, date.today(), provision)
    form = form_from_provision(base.original)  # type: ignore[arg-type]
    choices = dict(interventions={i.name for i in pm.interventions}, staff_ids={s.id for s in pm.staff},
                   streams={s.code for s in pm.streams}, year=pm.calendar.bounds)
    start = time.perf_counter()
    for n in range(rounds):
        form.minutes = str(20 + n % 40)
        preview(base, check(form, **choices).provision)  # type: ignore[arg-type]
    return (time.perf_counter() - start) * 1000 / rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=20, help="keystrokes to time (default 20)")
    parser.add_argument("--provision", default="P010", help="provision to open (default P010)")
    args = parser.parse_args(argv)
    print(f"builder preview in-process: {in_process(args.provision):.2f} ms per change")
    result = run(args.keys, args.provision)
    print(f"builder keystroke -> totals on screen (large demo, {result['keys']} keys): "
          f"median {result['median_ms']:.1f} ms, p90 {result['p90_ms']:.1f} ms, "
          f"min {result['min_ms']:.1f} ms, max {result['max_ms']:.1f} ms (target: median < 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
