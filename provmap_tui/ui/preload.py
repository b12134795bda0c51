"""The first caseload read, started before Textual so the table is ready when the screen is.

Reading and costing a large school is ~120 ms of pure Python. On a thread it
competes with Textual's own start-up for the GIL and both finish late (measured
on the large demo: the read took ~550 ms of wall time that way). So where the OS
can fork (Linux, the BSDs), and before any other thread exists, the read runs in
a child process on another core and sends its result back pickled through a
pipe; elsewhere, or if the fork fails, it falls back to a thread. Either way the
caseload screen calls `take()` from its worker: if the early read failed for any
reason, `take()` gives None and the screen reads again itself, which reports any
error the usual way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from provmap_tui.ui.caseload_data import CaseloadData, read_caseload
from provmap_tui.ui.context import AppContext


def can_fork() -> bool:
    """Fork only where it exists and is safe: no other thread can hold a lock the child
    needs, and not on macOS, where system libraries may not survive a fork without exec."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def _read_in_child(db_path: Path, as_of: date, read_end: int, write_end: int) -> None:
    """The child's whole life: read, send, leave without running the parent's exit handlers.

    It never writes to the terminal Textual is drawing on: its standard streams go to
    /dev/null, and an error ends it in `finally` before any traceback is printed, left
    for the parent's own read to meet and report."""
    try:
        gc.disable()  # a process this short-lived has nothing worth collecting
        os.close(read_end)
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        ctx = AppContext(db_path)
        payload = pickle.dumps(read_caseload(ctx, as_of), protocol=pickle.HIGHEST_PROTOCOL)
        ctx.close()
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


class Preload:
    """One early read of the caseload; `take()` hands it over once, `cancel()` stops it."""

    def __init__(self, ctx: AppContext, as_of: date, fork: bool | None = None) -> None:
        self._result: CaseloadData | None = None
        self._error: BaseException | None = None
        self._pid: int | None = None
        self.forked = can_fork() if fork is None else fork
        if self.forked:
            self._pid = self._fork(ctx, as_of)
            self.forked = self._pid is not None
        if self._pid is not None:
            target, args = self._receive, (self._pid, self._read_end)
        else:
            target, args = self._read, (ctx, as_of)
        self._thread = threading.Thread(target=target, args=args, name="caseload-preload", daemon=True)
        self._thread.start()

    def _fork(self, ctx: AppContext, as_of: date) -> int | None:
        """The child's process id, or None if the OS would not fork (the thread reads then)."""
        ctx.close()  # the child opens its own connection: an open one must not cross a fork
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:
            _read_in_child(ctx.db_path, as_of, read_end, write_end)
        os.close(write_end)
        self._read_end = read_end
        return pid

    def _receive(self, pid: int, pipe: int) -> None:
        with os.fdopen(pipe, "rb") as incoming:
            payload = incoming.read()
        self._pid = None  # it has closed the pipe, so it is leaving: nothing left to cancel
        os.waitpid(pid, 0)
        try:
            self._result = pickle.loads(payload) if payload else None
        except Exception:  # noqa: BLE001 - a cut-off payload: the screen reads again itself
            self._result = None

    def _read(self, ctx: AppContext, as_of: date) -> None:
        try:
            self._result = read_caseload(ctx, as_of)
        except BaseException as exc:  # handed to the screen's worker, which reports it
            self._error = exc

    def take(self) -> CaseloadData | None:
        """Wait for the read; its result the first time, None after (read afresh then)."""
        self._thread.join()
        result, self._result = self._result, None
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return result

    def cancel(self) -> None:
        """Stop a child still reading (the user quit at once), so leaving waits for nothing."""
        pid = self._pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):  # it had just finished
                os.kill(pid, signal.SIGKILL)
