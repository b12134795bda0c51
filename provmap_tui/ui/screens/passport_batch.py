"""Batch passports from the caseload: choose who and how, then a progress bar.

The batch runs in a thread worker (the service itself may use several
processes); the worker feeds the bar through call_from_thread. Esc cancels: the
progress callback raises at the next passport and the service, which stages
files and moves them into place only at the end, leaves nothing behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from provmap_tui.ui.context import AppContext


@dataclass(frozen=True)
class BatchChoice:
    upns: tuple[str, ...] | None  # None: everyone on the SEN register
    combined: bool
    who: str  # "register" or "selected", for the combined file's name


class BatchChoiceScreen(ModalScreen[BatchChoice | None]):
    """Four ways to print: the pupils shown or the whole register, one file each or one file."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="batch-cancel")]

    def __init__(self, shown: list[str], filter_text: str) -> None:
        super().__init__()
        self._shown = tuple(shown)
        self._filter = filter_text.strip()

    def compose(self) -> ComposeResult:
        n = len(self._shown)
        shown = f"the {n} pupil{'s' if n != 1 else ''} shown" + (f' (filter "{self._filter}")' if self._filter else "")
        options = [
            Option(f"{shown.capitalize()}: one PDF each", id="shown-each"),
            Option(f"{shown.capitalize()}: one combined PDF", id="shown-combined"),
            Option("Everyone on the SEN register: one PDF each", id="register-each"),
            Option("Everyone on the SEN register: one combined PDF", id="register-combined"),
        ]
        with Vertical(id="batch-box"):
            yield Static("Passports for...", id="batch-title")
            yield OptionList(*options, id="batch-options")
            yield Static("Arrows choose, Enter prints, Esc cancels", id="batch-keys")

    def on_mount(self) -> None:
        if not self._shown:  # nobody shown: only the register makes sense
            options = self.query_one(OptionList)
            options.disable_option("shown-each")
            options.disable_option("shown-combined")
            options.highlighted = 2

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        who, _, how = str(event.option.id).partition("-")
        upns = self._shown if who == "shown" else None
        self.dismiss(BatchChoice(upns, how == "combined", "selected" if who == "shown" else "register"))

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_resource_tracker() -> None:
    """Let big batches start their worker processes from inside the app.

    Textual swaps sys.stderr for an object whose fileno() is -1, and
    multiprocessing's resource tracker (started with the first worker process)
    cannot hand that to its child ("bad value(s) in fds_to_keep"). Start the
    tracker once against /dev/null instead: its rare warnings must not draw over
    the screen anyway."""
    import os
    import sys
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w") as quiet:
        sys.stderr = quiet
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class BatchCancelled(Exception):
    """Raised from the progress callback when the user presses Esc."""


class BatchProgressScreen(ModalScreen[None]):
    """A progress bar while the passports are drawn; says where they went at the end."""

    BINDINGS = [Binding("escape", "cancel", "Cancel batch", id="batch-progress-cancel")]

    def __init__(self, ctx: AppContext, choice: BatchChoice, as_of: date) -> None:
        super().__init__()
        self.ctx = ctx
        self.choice = choice
        self.as_of = as_of
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="batch-box"):
            yield Static("Writing passports...", id="batch-title")
            yield ProgressBar(total=None, show_eta=True, id="batch-bar")
            yield Static("Starting (the first passports take a moment)", id="batch-status")
            yield Static("Esc cancels: nothing is written unless every passport is drawn", id="batch-keys")

    def on_mount(self) -> None:
        self.run_batch()

    def _progress(self, done: int, total: int) -> None:
        """Called by the service in the worker thread after each passport (or chunk)."""
        if self._cancel.is_set() or not self.app.is_running:  # Esc, or the app is closing
            raise BatchCancelled
        self.app.call_from_thread(self._advance, done, total)

    def _advance(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        if not self._cancel.is_set():
            self.query_one("#batch-status", Static).update(f"{done} of {total} passports drawn")

    @work(thread=True, exclusive=True, group="passport-batch")
    def run_batch(self) -> None:
        from concurrent.futures.process import BrokenProcessPool

        from provmap_tui.domain.errors import ProvmapError
        from provmap_tui.services.passport_files import write_batch
        from provmap_tui.ui.pdf_jobs import passport_folder, shown_path

        choice = self.choice
        app = self.app
        start_resource_tracker()
        try:
            combined = None
            if choice.combined:
                combined = passport_folder(self.ctx) / f"Passports-{choice.who}-{self.as_of:%Y-%m-%d}.pdf"
            written = write_batch(self.ctx.db_path, choice.upns, combined=combined, progress=self._progress,
                                  as_of=self.as_of)
        except BatchCancelled:
            app.call_from_thread(self._finish, "Passports cancelled: no files were written.", "warning")
            return
        except ProvmapError as exc:
            app.call_from_thread(self._finish, f"No passports written: {exc}", "error")
            return
        except OSError as exc:  # e.g. the disk filled while drawing into the staging folder
            app.call_from_thread(self._finish, f"No passports written: {exc.filename or 'the passport folder'}:"
                                 f" {exc.strerror or exc}; free some space or choose another folder", "error")
            return
        except BrokenProcessPool:
            app.call_from_thread(self._finish, "No passports written: a drawing process stopped unexpectedly"
                                 " (out of memory?); try the filtered pupils in smaller batches", "error")
            return
        if combined is not None:
            message = f"Passports written in one PDF: {shown_path(written[0])}"
        elif len(written) == 1:
            message = f"Passport written: {shown_path(written[0])}"
        else:
            message = f"Wrote {len(written)} passports to {shown_path(written[0].parent)}"
        app.call_from_thread(self._finish, message, "information")

    def _finish(self, message: str, severity: str) -> None:
        self.notify(message, severity=severity, timeout=12)  # type: ignore[arg-type]
        self.dismiss(None)

    def action_cancel(self) -> None:
        self._cancel.set()
        self.query_one("#batch-status", Static).update("Cancelling once the passports being drawn now are done...")
