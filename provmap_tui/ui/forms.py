"""A form that checks each field as you type and saves in a worker.

Used for pupil details and every Settings record: a message beside each field says
what is wrong and how to fix it; F9 saves only when every field and the whole
record are valid; a save conflict (someone else saved first) is shown, never lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from provmap_tui.domain.errors import InvalidInput, ProvmapError, describe_validation
from provmap_tui.ui.context import AppContext


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    check: Callable[[str], Any] | None = None  # raises InvalidInput / ValueError when wrong
    describe: Callable[[str], str] | None = None  # what a valid value means, shown beside it
    placeholder: str = ""
    read_only: bool = False


def problem(exc: Exception) -> str:
    """The user-facing reason in an error from a check or a model."""
    if isinstance(exc, InvalidInput):
        return exc.reason
    if isinstance(exc, ValidationError):
        return describe_validation(exc)
    return str(exc)


class FormScreen(ModalScreen[bool]):
    """Dismisses True after a successful save, False when cancelled."""

    AUTO_FOCUS = ".form-field Input"
    BINDINGS = [
        Binding("f9", "save", "Save", id="form-save"),
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
    ]

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        fields: list[Field],
        build: Callable[[dict[str, str]], Any],
        save: Callable[[sqlite3.Connection, Any], object],
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.form_title = title
        self.fields = fields
        self.build = build
        self.save_record = save
        self._initial = {f.key: f.value for f in fields}
        self.errors: dict[str, str] = {}
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(self.form_title, classes="form-title")
            with VerticalScroll(classes="form-fields", can_focus=False):
                for f in self.fields:
                    with Horizontal(classes="form-field", id=f"row-{f.key}"):
                        yield Label(f.label, classes="form-label")
                        box = Input(f.value, placeholder=f.placeholder, id=f"f-{f.key}", disabled=f.read_only,
                                    select_on_focus=False)
                        yield box
                        yield Static("", classes="form-msg", id=f"m-{f.key}")
            yield Static("", id="form-problem", classes="error")
            yield Footer()

    def on_resize(self) -> None:
        # Room for the border, title, problem line and footer; the fields scroll inside.
        self.query_one(".form-fields").styles.max_height = max(4, self.size.height - 6)

    def on_mount(self) -> None:
        self.on_resize()
        for f in self.fields:
            self._check_field(f, f.value)
        self._check_whole()

    def values(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#f-{f.key}", Input).value for f in self.fields}

    @property
    def changed(self) -> bool:
        return self.values() != self._initial

    def _check_field(self, f: Field, text: str) -> None:
        msg = self.query_one(f"#m-{f.key}", Static)
        try:
            if f.check is not None:
                f.check(text)
        except (InvalidInput, ValueError) as exc:
            self.errors[f.key] = problem(exc)
            msg.update(f"✗ {self.errors[f.key]}")
            msg.set_class(True, "error")
            return
        self.errors.pop(f.key, None)
        msg.set_class(False, "error")
        msg.update(f.describe(text) if f.describe is not None else "")

    def _check_whole(self) -> Any:
        """Build the record; show a cross-field problem (or clear it). None when invalid."""
        box = self.query_one("#form-problem", Static)
        if self.errors:
            n = len(self.errors)
            box.update(f"✗ {n} field{'s' if n != 1 else ''} to fix before saving")
            return None
        try:
            record = self.build(self.values())
        except (InvalidInput, ValidationError, ValueError) as exc:
            box.update(f"✗ {problem(exc)}")
            return None
        box.update("")
        return record

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("f-")
        for f in self.fields:
            if f.key == key:
                self._check_field(f, event.value)
        self._check_whole()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        record = self._check_whole()
        if record is None:
            self.notify("Not saved: fix the fields marked ✗ first.", severity="error")
            return
        self.saving = True
        self.query_one("#form-problem", Static).update("Saving...")
        self._save(record)

    @work(thread=True, exclusive=True, group="form-save")
    def _save(self, record: Any) -> None:
        from provmap_tui.store.connection import transaction

        try:
            with self.ctx.db() as conn, transaction(conn, self.ctx.db_path):
                self.save_record(conn, record)
        except ProvmapError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._saved)

    def _failed(self, message: str) -> None:
        self.saving = False
        self.query_one("#form-problem", Static).update(f"✗ Not saved: {message}")

    def _saved(self) -> None:
        self.saving = False
        self.app.data_changed()  # type: ignore[attr-defined]
        self.notify(f"Saved: {self.form_title}")
        self.dismiss(True)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(False)
            return
        from provmap_tui.ui.screens.confirm import ConfirmScreen

        def answer(leave: bool | None) -> None:
            if leave:
                self.dismiss(False)

        self.app.push_screen(ConfirmScreen("Leave without saving your changes?", "Leave", "Keep editing"), answer)
