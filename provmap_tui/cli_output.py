"""The CLI's output commands (passports, panel and governors' reports, the grid,
the logo and photos): thin shells over the services, kept apart from cli.py so it
stays short. Errors raise ProvmapError or CliError; cli.main prints them (exit 2).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from provmap_tui.cli import CliError, _open


def _kb(size: int) -> str:
    """Bytes stored, in the KB a user expects: never "0 KB" for a small picture."""
    return "under 1 KB" if size < 1024 else f"{(size + 1023) // 1024} KB"


def _say(text: str) -> None:
    print(text)


def passport(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.passport_files import write_batch

    if args.all and args.upns:
        raise CliError("give UPNs or --all, not both")
    if not args.all and not args.upns:
        raise CliError("give one or more UPNs, or --all for everyone on the SEN register")
    if args.combined and args.out:
        raise CliError("--combined writes one file; leave out --out (or drop --combined for one file each)")
    _open(db).close()  # a clear error now if the database is missing
    with _ProgressBar("Passports") as progress:
        written = write_batch(db, None if args.all else args.upns, out_dir=args.out, combined=args.combined,
                              progress=progress)
    if args.combined:
        _say(f"Wrote {args.combined} (all passports in one PDF)")
    elif len(written) == 1:
        _say(f"Wrote {written[0]}")
    else:
        _say(f"Wrote {len(written)} passports to {written[0].parent}")
    return 0


class _ProgressBar:
    """A Rich progress bar on standard error, shown for batches of more than one."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.bar = None
        self.task = None

    def __enter__(self):
        return self.update

    def update(self, done: int, total: int) -> None:
        if total <= 1:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(self.what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _snapshot(db: Path):
    from provmap_tui.store import pupils, school, snapshot

    conn = _open(db)
    try:
        return snapshot.load(conn), pupils.need_types(conn), school.get_logo(conn)
    finally:
        conn.close()


def report(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.output import write_atomically

    as_of = args.as_of or date.today()
    pm, need_types, logo = _snapshot(db)
    if args.report == "pupil":
        from provmap_tui.services import panel_evidence
        from provmap_tui.services.passport import check_upns

        if not args.pdf and not args.csv:
            raise CliError("give --pdf FILE, --csv FILE or both")
        [upn] = check_upns(pm, [args.upn])
        sheet = panel_evidence.build(pm, upn, as_of, need_types)
        pdf = panel_evidence.to_pdf(sheet, logo) if args.pdf else None
        text = panel_evidence.to_csv(sheet) if args.csv else None
        for path, data in ((args.pdf, pdf), (args.csv, text)):
            if path is not None and data is not None:
                write_atomically(path, data)
                _say(f"Wrote {path}")
        return 0
    from provmap_tui.services import budget, governors

    overview = budget.build(pm, as_of, {code: label for code, (label, _plain) in need_types.items()})
    write_atomically(args.pdf, governors.to_pdf(overview, logo, anonymise=args.anonymise))
    _say(f"Wrote {args.pdf}{' (anonymised)' if args.anonymise else ''}")
    return 0


def export(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services import grid
    from provmap_tui.services.output import write_atomically

    pm, _, _ = _snapshot(db)
    built = grid.build(pm, args.as_of or date.today())
    if args.xlsx:
        write_atomically(args.xlsx, grid.to_xlsx(built))
        target = args.xlsx
    else:
        write_atomically(args.csv, grid.to_csv(built))
        target = args.csv
    _say(f"Wrote {target}: {len(built.rows)} pupils x {len(built.columns)} interventions")
    return 0


def settings(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.images import set_logo

    conn = _open(db)
    try:
        size = set_logo(conn, args.file)
    finally:
        conn.close()
    _say(f"Logo set from {args.file} ({_kb(size)} stored)")
    return 0


def photo(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.images import set_photo

    conn = _open(db)
    try:
        size = set_photo(conn, args.upn.strip().upper(), args.file)
    finally:
        conn.close()
    _say(f"Photo for {args.upn.strip().upper()} set from {args.file} ({_kb(size)} stored)")
    return 0
