"""Writing passport PDFs: one pupil, or a batch (one file each, or one combined file).

UI-free: the app's one key calls write_one; batches call write_batch with a
progress callback (done, total). Big batches use every core: each worker process
opens its own connection to the database and loads the map once.
A batch is all or nothing: files are made in a hidden staging folder and moved
into place only when every passport has been drawn.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.services import passport, pdf_doc
from provmap_tui.services.output import ensure_folder, write_atomically
from provmap_tui.services.passport import Progress
from provmap_tui.services.setup import open_school
from provmap_tui.store import snapshot

PARALLEL_FROM = 24  # fewer passports than this are quicker in one process than starting workers
MAX_WORKERS = 4  # "use both cores" on the old two-core machines; a few more where there are


def write_one(conn: sqlite3.Connection, upn: str, out_dir: Path | None = None,
              as_of: date | None = None) -> Path:
    """Write one pupil's passport into the passport folder; returns the file's path."""
    as_of = as_of or date.today()
    pm = snapshot.load_for_pupil(conn, upn)
    upn = pm.pupils[0].upn
    folder = ensure_folder(passport.output_folder(conn, out_dir))
    data = passport.passport_for(conn, pm, upn, as_of)
    return write_atomically(folder / passport.file_name(data.pupil), passport.render([data]))


def write_batch(db_path: Path, upns: Sequence[str] | None, *, out_dir: Path | None = None,
                combined: Path | None = None, progress: Progress | None = None,
                workers: int | None = None, as_of: date | None = None) -> list[Path]:
    """Passports for `upns` (None = the whole register); returns the files written."""
    as_of = as_of or date.today()
    conn = open_school(db_path)
    try:
        pm = snapshot.load(conn)
        chosen = passport.register_upns(pm) if upns is None else passport.check_upns(pm, upns)
        if not chosen:
            raise InvalidInput("pupils", "nobody to print: the register is empty; add pupils first")
        if combined is not None:
            return [_combined(conn, pm, chosen, combined, progress, as_of)]
        folder = ensure_folder(passport.output_folder(conn, out_dir))
    finally:
        conn.close()
    workers = workers or min(MAX_WORKERS, os.cpu_count() or 1)
    staging = Path(tempfile.mkdtemp(prefix=".passports-", dir=folder))
    try:
        if workers > 1 and len(chosen) >= PARALLEL_FROM:
            names = _parallel(db_path, chosen, staging, progress, workers, as_of)
        else:
            names = _in_process(db_path, pm, chosen, staging, progress, as_of)
        written = []
        for name in names:
            os.replace(staging / name, folder / name)
            written.append(folder / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _combined(conn: sqlite3.Connection, pm, upns: list[str], target: Path, progress: Progress | None,
              as_of: date) -> Path:
    """Every passport in one document (one process: the font is embedded once)."""
    pdf = pdf_doc.new_document(pdf_doc.load_template("passport"))
    pdf.set_title("Pupil passports")
    for n, upn in enumerate(upns, 1):
        passport.draw(pdf, passport.passport_for(conn, pm, upn, as_of))
        if progress:
            progress(n, len(upns))
    return write_atomically(target, pdf_doc.output_bytes(pdf))


def _parallel(db_path: Path, upns: list[str], staging: Path, progress: Progress | None, workers: int,
              as_of: date) -> list[str]:
    size = max(1, min(10, len(upns) // (workers * 6)))
    chunks = [upns[i:i + size] for i in range(0, len(upns), size)]
    names: list[str] = []
    done = 0
    # spawn, not fork: the app calls this from a thread, and forking a threaded process is unsafe.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                             initializer=_worker_start, initargs=(str(db_path), as_of)) as pool:
        pending = {pool.submit(_worker_draw, chunk, str(staging)) for chunk in chunks}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = future.result()
                    names.extend(batch)
                    done += len(batch)
                    if progress:
                        progress(done, len(upns))
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return names


def _draw_into(conn: sqlite3.Connection, pm, template, upns: list[str], staging: Path, as_of: date) -> list[str]:
    """Draw each pupil's passport into the staging folder; returns the file names."""
    names = []
    for upn in upns:
        data = passport.passport_for(conn, pm, upn, as_of)
        name = passport.file_name(data.pupil)
        (staging / name).write_bytes(passport.render([data], template))
        names.append(name)
    return names


def _in_process(db_path: Path, pm, upns: list[str], staging: Path, progress: Progress | None,
                as_of: date) -> list[str]:
    conn = open_school(db_path)
    try:
        template = pdf_doc.load_template("passport")
        names = []
        for n, upn in enumerate(upns, 1):
            names += _draw_into(conn, pm, template, [upn], staging, as_of)
            if progress:
                progress(n, len(upns))
        return names
    finally:
        conn.close()


# Each worker process opens its own connection and loads the map once (spawn
# starts workers afresh, so this state is per process, never shared).
_WORKER: dict[str, object] = {}


def _worker_start(db_path: str, as_of: date) -> None:
    conn = open_school(db_path)
    _WORKER.update(conn=conn, pm=snapshot.load(conn), as_of=as_of, template=pdf_doc.load_template("passport"))


def _worker_draw(upns: list[str], staging: str) -> list[str]:
    w = _WORKER
    return _draw_into(w["conn"], w["pm"], w["template"], upns, Path(staging), w["as_of"])  # type: ignore[arg-type]
