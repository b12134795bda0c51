"""When one pupil joins and leaves a group (blank = the provision's whole run)."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.services.provision_form import parse_date


def check_dates(start_text: str, end_text: str, year: tuple[date, date]) -> tuple[tuple[date | None, date | None] | None, dict[str, str]]:
    """((joins, leaves), {}) when both are right, else (None, {field: message})."""
    errors: dict[str, str] = {}
    values: dict[str, date | None] = {}
    for name, text in (("joins", start_text), ("leaves", end_text)):
        try:
            values[name] = parse_date(text, name)
        except InvalidInput as exc:
            errors[name] = exc.reason
            continue
        d = values[name]
        if d is not None and not year[0] <= d <= year[1]:
            errors[name] = f"{d} is outside the academic year ({year[0]} to {year[1]})"
    joins, leaves = values.get("joins"), values.get("leaves")
    if joins and leaves and leaves < joins and not errors:
        errors["leaves"] = f"leaves {leaves} before joining {joins}; swap the dates"
    if errors:
        return None, errors
    return (joins, leaves), {}


class MemberDatesScreen(ModalScreen[tuple[date | None, date | None] | None]):
    """Enter (or F9) keeps the dates, Esc leaves them as they were."""

    BINDINGS = [
        Binding("f9", "keep", "Keep dates", id="dates-keep"),
        Binding("escape", "cancel", "Cancel", id="dates-cancel"),
    ]

    def __init__(self, name: str, start: date | None, end: date | None, year: tuple[date, date]) -> None:
        super().__init__()
        self._name = name
        self._start = start
        self._end = end
        self._year = year

    def compose(self) -> ComposeResult:
        with Vertical(id="dates-box"):
            yield Static(f"[b]{self._name}[/b]: when they join and leave the group.\n"
                         "Blank means from the start / to the end of the provision.", id="dates-title")
            for name, label, value in (("joins", "Joins", self._start), ("leaves", "Leaves", self._end)):
                with Horizontal(classes="b-field"):
                    yield Label(label, classes="b-lbl")
                    yield Input(value.isoformat() if value else "", placeholder="yyyy-mm-dd", id=f"d-{name}",
                                compact=True)
                yield Static("", id=f"dm-{name}", classes="b-msg error")
            yield Static("Enter or F9: keep   Esc: cancel", classes="muted")

    def on_mount(self) -> None:
        self._validate()

    @on(Input.Changed)
    def _validate(self) -> dict[str, str]:
        _, errors = check_dates(self.query_one("#d-joins", Input).value, self.query_one("#d-leaves", Input).value,
                                self._year)
        for name in ("joins", "leaves"):
            msg = self.query_one(f"#dm-{name}", Static)
            msg.update(errors.get(name, ""))
            msg.display = name in errors
        return errors

    @on(Input.Submitted)
    def action_keep(self) -> None:
        dates, errors = check_dates(self.query_one("#d-joins", Input).value, self.query_one("#d-leaves", Input).value,
                                    self._year)
        if dates is None:
            self.notify("Fix the marked date first.", severity="error")
            return
        self.dismiss(dates)

    def action_cancel(self) -> None:
        self.dismiss(None)
