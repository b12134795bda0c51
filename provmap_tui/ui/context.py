"""What every screen needs from the app: the database, behind one lock.

Screens never write SQL: they call store/services functions with the connection
this hands out, from a `@work(thread=True)` worker, and post the result back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class AppContext:
    db_path: Path
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """The shared connection, one thread at a time. Use only inside workers."""
        with self._lock:
            if self._conn is None:
                # Imported here: setup builds the pydantic models, which the app's
                # start-up path leaves to the caseload's preload (see preload.py).
                from provmap_tui.services.setup import open_school

                self._conn = open_school(self.db_path)
            yield self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
