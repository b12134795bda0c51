"""Add the school's own intervention, or edit one in the library (F9 keeps it)."""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from provmap_tui.domain.codes import AREAS, STAFF_ROLES
from provmap_tui.domain.models import Intervention

PHASES = ("all", "primary", "secondary")
_NUMBERS = {  # field -> (label, lowest, highest, starting value of a new one)
    "default_minutes": ("Minutes", 1, 600, 30),
    "default_sessions_per_week": ("Sessions/wk", 1, 25, 1),
    "default_group_size": ("Group size", 1, 40, 1),
}


def check_intervention(values: dict[str, str], existing: set[str], editing: Intervention | None
                       ) -> tuple[Intervention | None, dict[str, str]]:
    """The Intervention when every field is right, else (None, {field: message})."""
    errors: dict[str, str] = {}
    name = values["name"].strip()
    if not name:
        errors["name"] = "give it a name, e.g. Lego Therapy"
    elif len(name) > 120:
        errors["name"] = "a name can be at most 120 characters"
    elif editing is None and name in existing:
        errors["name"] = f"{name!r} is already in the library; edit that one or choose another name"
    if values["area"] not in AREAS:
        errors["area"] = f"choose an area of need ({', '.join(AREAS)})"
    numbers: dict[str, int] = {}
    for field, (label, lo, hi, example) in _NUMBERS.items():
        raw = values[field].strip()
        if not (raw.isascii() and raw.isdigit()):  # "²" and "٣" pass isdigit() alone
            errors[field] = f"enter a whole number, e.g. {example}"
        elif not lo <= int(raw) <= hi:
            errors[field] = f"{label} must be {lo} to {hi}"
        else:
            numbers[field] = int(raw)
    if values["default_role"] not in STAFF_ROLES:
        errors["default_role"] = "choose who usually runs it"
    if errors:
        return None, errors
    try:
        item = Intervention(
            name=name, area=values["area"], description=values["description"].strip(), phase=values["phase"],
            default_role=values["default_role"], source=editing.source if editing else "school",
            version=editing.version if editing else 0, **numbers,
        )
    except ValidationError as exc:
        return None, {"name": str(exc.errors()[0].get("msg", exc))}
    return item, {}


class InterventionFormScreen(ModalScreen[Intervention | None]):
    """Dismisses with the checked Intervention (the picker saves it) or None."""

    BINDINGS = [
        Binding("f9", "keep", "Save", id="iform-save"),
        Binding("escape", "cancel", "Cancel", id="iform-cancel"),
    ]

    def __init__(self, editing: Intervention | None, existing: set[str]) -> None:
        super().__init__()
        self.editing = editing
        self.existing = existing
        self._initial: dict[str, str] = {}
        self._touched: set[str] = set()  # fields changed by the user: only these show messages
        self._tried = False  # after a refused F9, every message shows

    def compose(self) -> ComposeResult:
        e = self.editing
        title = f"Edit {e.name}" if e else "A new intervention of the school's own"
        note = " (a library entry: once edited, library updates leave it alone)" if e and e.source == "library" else ""
        with Vertical(id="iform-box"):
            yield Static(f"[b]{title}[/b]{note}", id="iform-title")
            yield from self._row("name", "Name", Input(e.name if e else "", id="i-name", compact=True,
                                                        disabled=e is not None))
            yield from self._row("area", "Area", Select([(f"{k} {v}", k) for k, v in AREAS.items()], prompt="choose an area",
                                                        value=e.area if e else Select.NULL, id="i-area", compact=True))
            for field, (label, _, _, example) in _NUMBERS.items():
                value = str(getattr(e, field) if e else example)
                yield from self._row(field, label, Input(value, placeholder=str(example), id=f"i-{field}", compact=True))
            yield from self._row("default_role", "Usual role", Select(
                [(r, r) for r in STAFF_ROLES], value=e.default_role if e else "TA", id="i-default_role", compact=True))
            yield from self._row("phase", "Phases", Select(
                [(p, p) for p in PHASES], value=e.phase if e else "all", id="i-phase", compact=True, allow_blank=False))
            yield from self._row("description", "Description", Input(e.description if e else "", id="i-description",
                                                                      compact=True))
            yield Static("F9: save   Esc: cancel", classes="muted")

    def _row(self, field: str, label: str, widget):  # noqa: ANN001, ANN202
        with Horizontal(classes="b-field"):
            yield Label(label, classes="b-lbl")
            yield widget
        yield Static("", id=f"im-{field}", classes="b-msg error")

    def on_mount(self) -> None:
        self._initial = self._values()
        self._validate()
        self.query_one("#i-area" if self.editing else "#i-name").focus()

    def _values(self) -> dict[str, str]:
        values = {}
        for field in ("name", "description", *_NUMBERS):
            values[field] = self.query_one(f"#i-{field}", Input).value
        for field in ("area", "default_role", "phase"):
            v = self.query_one(f"#i-{field}", Select).value
            values[field] = v if isinstance(v, str) else ""
        return values

    @on(Input.Changed)
    @on(Select.Changed)
    def _validate(self) -> tuple[Intervention | None, dict[str, str]]:
        values = self._values()
        if self._initial:
            self._touched |= {f for f, v in values.items() if v != self._initial.get(f)}
        item, errors = check_intervention(values, self.existing, self.editing)
        for msg in self.query(".b-msg"):
            field = (msg.id or "").removeprefix("im-")
            show = field in errors and (self._tried or field in self._touched or self.editing is not None)
            msg.update(errors.get(field, "") if show else "")
            msg.display = show
        return item, errors

    @on(Input.Submitted)
    def action_keep(self) -> None:
        self._tried = True
        item, errors = self._validate()
        if item is None:
            self.notify("Not saved: fix the marked fields first.", severity="error")
            return
        self.dismiss(item)

    def action_cancel(self) -> None:
        self.dismiss(None)
