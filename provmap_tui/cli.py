"""The `provmap` command. Each sub-command is a thin shell over a service.

Errors print one clear line on stderr and exit with status 2; the database is
left as it was. Imports are deferred so `provmap report` starts quickly.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

EXIT_ERROR = 2


class CliError(Exception):
    """A problem with what the user asked for; printed without a traceback."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="provmap",
        description="Provision mapping for SENCos. With no command, opens the app.",
    )
    parser.add_argument("--db", metavar="PATH", help="database file (default: $PROVMAP_DB, else ./provmap.db)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="create a new school's database")
    p.add_argument("--school", required=True, help="the school's name")
    p.add_argument("--year", help="academic year, e.g. 2026-27 (default: the current one)")
    p.add_argument("--urn", default="", help="the school's URN (6 or 7 digits)")

    p = sub.add_parser("demo", help="create an invented demo school")
    p.add_argument("--size", choices=["small", "large"], default="small")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--year", default="2026-27", help="academic year, e.g. 2026-27")

    p = sub.add_parser("load", help="load an exchange document (all or nothing)")
    p.add_argument("file", type=Path)

    p = sub.add_parser("dump", help="write the whole map as an exchange document")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")

    p = sub.add_parser("report", help="reports")
    reports = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    r = reports.add_parser("costs", help="every pupil's costs against the threshold")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="the cost report as JSON")
    fmt.add_argument("--csv", action="store_true", help="one CSV row per pupil")
    r.add_argument("--as-of", type=_date, default=None, help="date for to-date figures (default: today)")

    p = sub.add_parser("check", help="check integrity, references and that every total reconciles")
    p.add_argument("--as-of", type=_date, default=None)

    p = sub.add_parser("import", help="import pupils from the MIS: a CTF or CSV export (all or nothing)")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=["ctf", "csv"], help="the file's format (default: from its content)")
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help="read a CSV column as a field, e.g. \"Pupil ID=upn\" (repeatable; field 'ignore' skips it)")
    p.add_argument("--dry-run", action="store_true", help="show exactly what would change; write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="import the valid rows and report the others")
    p.add_argument("--mark-left", action="store_true", help="mark pupils not in the file as left (kept, never deleted)")

    p = sub.add_parser("import-photos", help="store pupil photos from a folder of JPEG/PNG files named by UPN")
    p.add_argument("folder", type=Path)
    p.add_argument("--map", type=Path, metavar="FILE", help="CSV of admission number,UPN when files are named by admission number")
    p.add_argument("--dry-run", action="store_true", help="show which photos would be stored; write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="store the good photos and report the others")

    _add_output_commands(sub, reports)
    return parser


def _add_output_commands(sub, reports) -> None:
    """Passports, panel and governors' reports, the grid export, the logo and photos."""
    p = sub.add_parser("passport", help="pupil passport PDFs (one per pupil, or one combined file)")
    p.add_argument("upns", nargs="*", metavar="UPN")
    p.add_argument("--all", action="store_true", help="every pupil on the SEN register")
    p.add_argument("--out", type=Path, help="folder for the PDFs (default: the school's passport folder, else ./passports)")
    p.add_argument("--combined", type=Path, metavar="FILE", help="write one PDF holding every passport")
    r = reports.add_parser("pupil", help="panel evidence sheet: one pupil's costed provision, line by line")
    r.add_argument("upn", metavar="UPN")
    r.add_argument("--pdf", type=Path, metavar="FILE")
    r.add_argument("--csv", type=Path, metavar="FILE")
    r.add_argument("--as-of", type=_date, default=None, help="date for to-date figures (default: today)")
    r = reports.add_parser("governors", help="the governors' SEND report with charts")
    r.add_argument("--pdf", type=Path, metavar="FILE", required=True)
    r.add_argument("--anonymise", action="store_true", help="initials and year instead of names")
    r.add_argument("--as-of", type=_date, default=None, help="date for to-date figures (default: today)")
    p = sub.add_parser("export", help="spreadsheets")
    exports = p.add_subparsers(dest="export", metavar="EXPORT", required=True)
    e = exports.add_parser("grid", help="whole-school provision map: a row per pupil, a column per intervention")
    fmt = e.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--xlsx", type=Path, metavar="FILE")
    fmt.add_argument("--csv", type=Path, metavar="FILE")
    e.add_argument("--as-of", type=_date, default=None)
    p = sub.add_parser("settings", help="school settings")
    settings = p.add_subparsers(dest="setting", metavar="SETTING", required=True)
    s = settings.add_parser("logo", help="set the school logo from a PNG or JPEG file")
    s.add_argument("file", type=Path)
    p = sub.add_parser("photo", help="set a pupil's photo from a PNG or JPEG file")
    p.add_argument("upn", metavar="UPN")
    p.add_argument("file", type=Path)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from provmap_tui.domain.errors import ProvmapError

    try:
        return _dispatch(args)
    except (ProvmapError, CliError) as exc:
        lines = str(exc).splitlines() or ["unknown error"]
        if len(lines) == 1:
            print(f"provmap: error: {lines[0]}", file=sys.stderr)
        else:
            print(f"provmap: error: {len(lines)} problems, nothing was changed:", file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    from provmap_tui.services.setup import resolve_db_path

    db = resolve_db_path(args.db)
    if args.command is None:
        from provmap_tui.ui.run import run_app

        return run_app(db)
    handler = {
        "init": _init, "demo": _demo, "load": _load, "dump": _dump, "report": _report, "check": _check,
        "import": _import, "import-photos": _import_photos,
        "passport": _passport, "export": _export, "settings": _settings, "photo": _photo,
    }[args.command]
    return handler(db, args)


def _open(db: Path):
    from provmap_tui.services.setup import open_school

    return open_school(db)


@contextmanager
def _new_database(db: Path):
    """A connection to a database being created; if creating it fails, no file is left behind."""
    from provmap_tui.store.connection import connect

    existed = db.exists()
    conn = connect(db)
    try:
        yield conn
    except BaseException:
        conn.close()
        if not existed:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        raise
    conn.close()


def _init(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.setup import create_school

    with _new_database(db) as conn:
        settings = create_school(conn, args.school, args.year, args.urn)
    print(f"Created {settings.name} ({settings.academic_year}) in {db}")
    return 0


def _demo(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.demo import generate

    if db.exists() and db.stat().st_size:
        raise CliError(f"{db} already exists; choose a new --db file for the demo school")
    with _new_database(db) as conn:
        counts = generate(conn, args.size, args.seed, args.year)
    print(f"Demo school in {db}: {counts['pupils']} pupils, {counts['register']} on the SEN register, "
          f"{counts['staff']} staff, {counts['provisions']} provisions")
    return 0


def _read_json(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder; give an exchange document (.json)") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: is not UTF-8 text; is it an exchange document?") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def _load(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.exchange import load
    from provmap_tui.store.connection import connect

    data = _read_json(args.file)
    conn = connect(db)
    try:
        written = load(conn, data)
    finally:
        conn.close()
    changed = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in written.items() if n) or "nothing changed"
    print(f"Loaded {args.file} into {db}: {changed}")
    return 0


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside the target, then rename: never half a file."""
    from provmap_tui.services.output import write_atomically as write

    write(path, data)


def _dump(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.exchange import dump

    conn = _open(db)
    try:
        text = json.dumps(dump(conn), ensure_ascii=False, indent=2) + "\n"
    finally:
        conn.close()
    if args.out:
        write_atomically(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def _report(db: Path, args: argparse.Namespace) -> int:
    if args.report in ("pupil", "governors"):
        from provmap_tui.cli_output import report

        return report(db, args)
    from provmap_tui.services import cost_report
    from provmap_tui.store import snapshot

    conn = _open(db)
    try:
        pm = snapshot.load(conn)
    finally:
        conn.close()
    report = cost_report.build(pm, args.as_of or date.today())
    if args.json:
        sys.stdout.write(json.dumps(cost_report.to_json(report), ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        sys.stdout.write(cost_report.to_csv(report))
    else:
        from rich.console import Console

        console = Console()
        pupils, streams, footer = cost_report.to_rich(report)
        console.print(pupils)
        console.print(streams)
        console.print(footer)
    return 0


def _passport(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.cli_output import passport

    return passport(db, args)


def _export(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.cli_output import export

    return export(db, args)


def _settings(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.cli_output import settings

    return settings(db, args)


def _photo(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.cli_output import photo

    return photo(db, args)


def _check(db: Path, args: argparse.Namespace) -> int:
    from provmap_tui.services.check import check_file

    problems = check_file(str(db), args.as_of or date.today())
    if problems:
        for line in problems:
            print(f"provmap: check: {line}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{db}: OK (integrity, foreign keys and costing reconciliation)")
    return 0


def _print_all(console, tables) -> None:
    for table in tables:
        if table is not None:
            console.print(table)


def _import(db: Path, args: argparse.Namespace) -> int:
    from rich.console import Console

    from provmap_tui.services.mis_import import report, service
    from provmap_tui.services.mis_import.records import ImportRefused

    conn = _open(db)
    try:
        plan = service.preview(conn, args.file, fmt=args.format, mapping=args.map)
        out, err = Console(), Console(stderr=True)
        for note in plan.notes:
            out.print(f"note: {note}", highlight=False)
        if args.dry_run:
            _print_all(out, [report.summary(plan, True, args.mark_left), report.changes(plan),
                             report.absent(plan, args.mark_left)])
            _print_all(err, [report.problems(plan.problems)])
            if plan.problems and not args.skip_invalid:
                raise CliError(f"{plan.skipped_rows} row(s) have problems, so the import would write nothing; "
                               "fix them, or add --skip-invalid")
            if args.mark_left and not plan.full_roll:
                raise CliError(f"{args.file}: is a partial file, so it cannot say who has left; drop --mark-left")
            return 0
        try:
            done = service.apply(conn, plan, skip_invalid=args.skip_invalid, mark_left=args.mark_left)
        except ImportRefused:
            _print_all(err, [report.problems(plan.problems)])
            raise
        _print_all(out, [report.summary(done, False), report.changes(done), report.absent(done)])
        _print_all(err, [report.problems(done.problems)])
    finally:
        conn.close()
    return 0


def _import_photos(db: Path, args: argparse.Namespace) -> int:
    from rich.console import Console

    from provmap_tui.services.mis_import import photos, report
    from provmap_tui.services.mis_import.records import ImportRefused

    conn = _open(db)
    try:
        plan = photos.preview_photos(conn, args.folder, args.map)
        out, err = Console(), Console(stderr=True)
        if args.dry_run:
            _print_all(out, report.photo_summary(plan, True))
            if plan.problems and not args.skip_invalid:
                raise CliError(f"{len(plan.problems)} photo(s) have problems, so nothing would be stored; "
                               "fix them, or add --skip-invalid")
            return 0
        try:
            photos.apply_photos(conn, plan, skip_invalid=args.skip_invalid)
        except ImportRefused:
            _print_all(err, [report.photo_problems(plan.problems)])
            raise
        _print_all(out, report.photo_summary(plan, False))
    finally:
        conn.close()
    return 0
