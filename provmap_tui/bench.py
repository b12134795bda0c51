"""`make bench`: every benchmark, one after another. Measurements, not tests.

Each benchmark lives in its own module with a `main(argv)` that prints its figures,
so work on different parts of provmap adds a line here and nothing else.
"""

from __future__ import annotations

import sys
from importlib import import_module

BENCHMARKS = (
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
