"""`make bench`: every benchmark, one after another. Measurements, not tests.

Each benchmark lives in its own module with a `main(argv)` that prints its figures,
so work on different parts of provmap adds a line here and nothing else.
"""

from __future__ import annotations

import sys
from importlib import import_module

BENCHMARKS = (
    ("Core: costing, report, load and dump (large demo)", "provmap_tui.bench_core"),
    ("MIS import (CTF of 2,500 pupils)", "provmap_tui.bench_import"),
    ("Passports and reports (large demo)", "provmap_tui.bench_pdf"),
    ("App start-up and peak memory (real terminal, large demo)", "provmap_tui.bench_tui"),
    ("Builder keystroke to totals (real terminal, large demo)", "provmap_tui.bench_builder"),
)


def main(argv: list[str] | None = None) -> int:
    status = 0
    for title, module in BENCHMARKS:
        print(f"== {title}", flush=True)
        status |= import_module(module).main([])
    return status


if __name__ == "__main__":
    sys.exit(main())
