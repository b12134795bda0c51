""""Add to a provision": choose one the pupil is not in, or start a new one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

NEW = "+new"


class ChooseProvisionScreen(ModalScreen[str | None]):
    """Dismisses with a provision id, NEW for a new provision, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choose-cancel"),
        Binding("down", "to_list", "List", show=False, id="choose-down"),
    ]

    def __init__(self, pupil_name: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.pupil_name = pupil_name
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box", id="choose-box"):
            yield Static(f"Add {self.pupil_name} to a provision", classes="form-title")
            yield Input(placeholder="Type to find a provision by id, intervention or staff", id="choose-filter")
            yield OptionList(*self._options(""), id="choose-list")
            yield Footer()

    def _options(self, text: str) -> list[Option]:
        words = text.lower().split()
        options = [Option("+ New provision from the intervention library...", id=NEW)]
        options += [Option(label, id=pid) for pid, label in self.choices if all(w in label.lower() for w in words)]
        return options

    @on(Input.Changed, "#choose-filter")
    def _filter(self, event: Input.Changed) -> None:
        box = self.query_one(OptionList)
        box.clear_options()
        box.add_options(self._options(event.value))
        box.highlighted = 1 if box.option_count > 1 and event.value.strip() else 0

    @on(Input.Submitted, "#choose-filter")
    def _submit(self) -> None:
        box = self.query_one(OptionList)
        if box.highlighted is not None:
            self.dismiss(box.get_option_at_index(box.highlighted).id)

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
