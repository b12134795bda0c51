"""The first caseload read, started before Textual so the table is ready when the screen is.

Reading and costing a large school is ~120 ms of pure Python. On a thread it
competes with Textual's own start-up for the GIL and both finish late (measured
on the large demo: the read took ~550 ms of wall time that way). So where the OS
can fork (Linux, the BSDs), and before any other thread exists, the read runs in
a child process on another core and sends its result back pickled through a
pipe; elsewhere it falls back to a thread. Either way the caseload screen calls `take()` from its
worker: if the early read failed for any reason, `take()` gives None and the
screen reads again itself, which reports any error the usual way.
"""

from __future__ import annotations

import gc
import os
import pickle
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


def _read_in_child(db_path: Path, as_of: date, pipe: int) -> None:
    """The child's whole life: read, send, leave without running the parent's exit handlers."""
    gc.disable()  # a process this short-lived has nothing worth collecting
    try:
        ctx = AppContext(db_path)
        payload = pickle.dumps(read_caseload(ctx, as_of), protocol=pickle.HIGHEST_PROTOCOL)
        ctx.close()
        with os.fdopen(pipe, "wb") as out:
            out.write(payload)
    except BaseException:  # noqa: BLE001 - the parent reads again and reports the error itself
        pass
    finally:
        os._exit(0)


class Preload:
    """One early read of the caseload; `take()` hands it over once."""

    def __init__(self, ctx: AppContext, as_of: date, fork: bool | None = None) -> None:
        self._result: CaseloadData | None = None
        self._error: BaseException | None = None
        self.forked = can_fork() if fork is None else fork
        if self.forked:
            ctx.close()  # the child opens its own connection: an open one must not cross a fork
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _read_in_child(ctx.db_path, as_of, write_end)
            os.close(write_end)
            target, args = self._receive, (pid, read_end)
        else:
            target, args = self._read, (ctx, as_of)
        self._thread = threading.Thread(target=target, args=args, name="caseload-preload", daemon=True)
        self._thread.start()

    def _receive(self, pid: int, pipe: int) -> None:
        with os.fdopen(pipe, "rb") as incoming:
            payload = incoming.read()
        os.waitpid(pid, 0)
        if payload:
            self._result = pickle.loads(payload)

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
