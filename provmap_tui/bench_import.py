"""Benchmark of the MIS import: `python -m provmap_tui.bench_import`.

Writes a CTF of 2,500 invented pupils to a temporary folder and times its dry run and
its import into a fresh database, then a second import of the same file (nothing to
change). Targets (issue 5): import < 3 s, dry run < 2 s. A measurement, not a test.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from provmap_tui.domain.upn import make_upn
from provmap_tui.resources import data_dir

PUPILS = 2500
TODAY = date(2026, 9, 10)
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "HI", "VI", "PD", "OTH"]
LANGUAGES = ["ENG"] * 8 + ["POL", "URD", "RUM", "PAN"]


def invented_ctf(n: int, seed: int = 1, years_on: int = 0) -> str:
    """A CTF of n invented pupils (names from db/seed/demo-names.json), about 18% on the register.

    years_on moves every pupil up that many year groups: the same roll a year later."""
    rng = random.Random(seed)
    names = json.loads(data_dir("db").joinpath("seed", "demo-names.json").read_text(encoding="utf-8"))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>"
           "<DocumentQualifier>full</DocumentQualifier><SourceSchool><LEA>938</LEA><Estab>4002</Estab>"
           "<SchoolName>Benchmark Academy</SchoolName></SourceSchool></Header>", "<CTFpupilData>"]
    for i in range(n):
        sex = rng.choice("MF")
        fore = rng.choice(names["forenames_m" if sex == "M" else "forenames_f"])
        year = rng.randint(7, 13)
        dob = date(2026 - year - 5, 9, 1) + timedelta(days=rng.randint(0, 364))
        year += years_on
        parts = [f"<Pupil><UPN>{make_upn(938, 4002, 10 + i // 1000, i % 1000)}</UPN>",
                 f"<Surname>{escape(rng.choice(names['surnames']))}</Surname><Forename>{escape(fore)}</Forename>",
                 f"<DOB>{dob.isoformat()}</DOB><Sex>{sex}</Sex><BasicDetails><NCyearActual>{year}</NCyearActual>",
                 f"<MedicalFlag>{'true' if rng.random() < 0.05 else 'false'}</MedicalFlag><Languages><Type>"
                 f"<LanguageType>F</LanguageType><Language>{rng.choice(LANGUAGES)}</Language></Type></Languages>"
                 "</BasicDetails>"]
        if rng.random() < 0.2:
            parts.append("<FSMhistory><FSMinstance><FSMstartDate>2024-01-08</FSMstartDate></FSMinstance></FSMhistory>")
        if rng.random() < 0.01:
            parts.append("<LookedAfter><InCare>true</InCare></LookedAfter>")
        if rng.random() < 0.18:
            status = "E" if rng.random() < 0.1 else "K"
            needs = rng.sample(NEEDS, rng.randint(1, 2))
            ranked = "".join(f"<SENneed><SENtype>{c}</SENtype><SENtypeRank>{r}</SENtypeRank></SENneed>"
                             for r, c in enumerate(needs, 1))
            parts.append(f"<SENhistory><SEN><StartDate>2025-09-03</StartDate><SENprovision>{status}</SENprovision>"
                         f"</SEN><SENneeds>{ranked}</SENneeds></SENhistory>")
        parts.append("</Pupil>")
        out.append("".join(parts))
    out.append("</CTFpupilData></CTfile>")
    return "\n".join(out) + "\n"


def _fresh(folder: Path, name: str):
    from provmap_tui.services.setup import create_school
    from provmap_tui.store.connection import connect

    conn = connect(folder / name)
    create_school(conn, "Benchmark Academy", "2026-27")
    return conn


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    from provmap_tui.services.mis_import import service

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctf = folder / "bench.ctf.xml"
        ctf.write_text(invented_ctf(PUPILS), encoding="utf-8")
        next_year = folder / "next-year.ctf.xml"
        next_year.write_text(invented_ctf(PUPILS, years_on=1), encoding="utf-8")
        size_mb = ctf.stat().st_size / 1024 / 1024

        conn = _fresh(folder, "dry.db")
        dry, plan = _timed(lambda: service.preview(conn, ctf, today=TODAY))
        conn.close()
        conn = _fresh(folder, "import.db")
        full, done = _timed(lambda: service.run(conn, ctf, today=TODAY))
        again, repeat = _timed(lambda: service.run(conn, ctf, today=TODAY))
        moved, moved_up = _timed(lambda: service.run(conn, next_year, today=TODAY))
        conn.close()

    if len(plan.created) != PUPILS or len(done.created) != PUPILS or repeat.writes or len(moved_up.updated) != PUPILS:
        print(f"bench_import: unexpected result {plan.counts()} {done.counts()} {repeat.counts()} "
              f"{moved_up.counts()}", file=sys.stderr)
        return 1
    table = Table(title=f"MIS import: CTF of {PUPILS:,} invented pupils ({size_mb:.1f} MB), fresh database")
    table.add_column("Step")
    table.add_column("Seconds", justify="right")
    table.add_column("Target", justify="right")
    table.add_column("")
    for step, seconds, target in (
        ("dry run (read, check, diff)", dry, 2.0),
        ("import (dry run + write in one transaction)", full, 3.0),
        ("re-import of the same file (nothing changes)", again, None),
        ("next year's file (every pupil's year changes)", moved, None),
    ):
        verdict = "" if target is None else ("ok" if seconds < target else "SLOW")
        table.add_row(step, f"{seconds:.2f}", f"< {target:.0f} s" if target else "-", verdict)
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
