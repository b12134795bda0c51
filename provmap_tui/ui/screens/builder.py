"""The group-session builder: set up a provision and watch every member's total
against the threshold change as you type, before anything is saved.

The whole map is read and costed once, in a worker; each change then costs only
this provision (services.builder_preview), which takes well under a millisecond.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from provmap_tui.domain.codes import year_label
from provmap_tui.domain.errors import ProvmapError
from provmap_tui.domain.models import Intervention, Provision
from provmap_tui.domain.money import format_gbp
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.services import pupil_search
from provmap_tui.services.builder_preview import Baseline, Preview, make_baseline, preview
from provmap_tui.services.provision_form import DraftForm, MemberRow, check, form_from_provision
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.keybar import key_lines
from provmap_tui.ui.screens.builder_members import MembersTable, PupilSearch, dates_text, figures
from provmap_tui.ui.screens.confirm import ConfirmScreen
from provmap_tui.ui.screens.member_dates import MemberDatesScreen

# (field, label) in the order Tab visits them; the grid lays them out two a row.
_LAYOUT = (
    ("intervention", "Intervention"), ("stream", "Stream"),
    ("staff", "Staff"), ("rate", "Rate £/h"),
    ("minutes", "Minutes"), ("sessions", "Sessions/wk"),
    ("start", "Start"), ("end", "End"),
    ("weeks", "Or N weeks"), ("resource", "Resource £"),
    ("per_pupil", "Per pupil £"), ("notes", "Notes"),
)
_SELECTS = {"intervention", "stream", "staff"}
_PLACEHOLDERS = {
    "rate": "own rate", "minutes": "30", "sessions": "3", "start": "yyyy-mm-dd", "end": "yyyy-mm-dd",
    "weeks": "blank = to end", "resource": "0.00", "per_pupil": "0.00", "notes": "",
}


class FieldInput(Input):
    """A form box that re-costs the draft the moment its value changes, in the same
    frame as the keystroke (the Changed message would arrive a frame later)."""

    def watch_value(self) -> None:
        recalculate = getattr(self.screen, "recalculate", None)
        if self.is_mounted and callable(recalculate):
            recalculate()


class BuilderScreen(Screen):
    """Build or edit one provision; F9 saves it in one transaction."""

    TITLE = "Builder"
    BINDINGS = [
        Binding("escape", "leave", "Back", id="builder-back"),
        Binding("f9", "save", "Save", id="builder-save"),
        Binding("f7", "add_pupil", "Add pupil", id="builder-add-pupil"),
        Binding("f8", "delete", "Delete provision", id="builder-delete"),
    ]

    class Loaded(Message):
        def __init__(self, pm: ProvisionMap, base: Baseline) -> None:
            super().__init__()
            self.pm = pm
            self.base = base

    class Failed(Message):
        def __init__(self, text: str, fatal: bool = False) -> None:
            super().__init__()
            self.text = text
            self.fatal = fatal

    class Done(Message):
        def __init__(self, provision_id: str, verb: str) -> None:
            super().__init__()
            self.provision_id = provision_id
            self.verb = verb

    def __init__(self, ctx: AppContext, provision_id: str | None = None, intervention: str | None = None,
                 add_upn: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.provision_id = provision_id
        self.start_intervention = intervention
        self.add_upn = add_upn
        self.pm: ProvisionMap | None = None
        self.base: Baseline | None = None
        self.members: list[MemberRow] = []
        self.initial: DraftForm | None = None
        self.last_preview: Preview | None = None
        self.busy = False
        self._choices: dict[str, set[str]] = {}
        self._shown: dict[str, str] = {}  # message widget id -> text on screen
        self._table_layout: list[tuple[str, str]] | None = None  # (upn, dates) rows on screen
        self._wide = False
        self._defaults_from = intervention or ""  # whose defaults a new provision's fields hold
        self._extra_staff: tuple = ()  # a saved provision's second and later staff, kept as they were
        self._version = 0
        self._last_form: DraftForm | None = None  # what the panel shows figures for

    # ---- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="builder"):
            with Grid(id="builder-form"):
                for name, label in _LAYOUT:
                    with Vertical(classes="cell", id=f"cell-{name}"):
                        with Horizontal(classes="b-field"):
                            yield Label(label, classes="b-lbl")
                            if name in _SELECTS:
                                yield Select([], id=f"f-{name}", compact=True, prompt=f"choose {label.lower()}")
                            else:
                                yield FieldInput(placeholder=_PLACEHOLDERS[name], id=f"f-{name}", compact=True)
                            if name == "rate":
                                yield Static("", id="rate-hint", classes="muted")
                        yield Static("", id=f"m-{name}", classes="b-msg error")
            yield Static("Loading the provision map…", id="live")
            with Horizontal(id="add-row"):
                yield Label("Add pupil", classes="b-lbl")
                yield PupilSearch(placeholder="name or UPN (F7)", id="add-pupil", compact=True)
                yield Static("", id="m-add", classes="b-msg error")
            yield OptionList(id="matches", compact=True)
            yield Static("", id="m-members", classes="b-msg error")
            # No cell padding: the columns carry their own spaces, so 80 columns fit every figure.
            yield MembersTable(id="members", cursor_type="row", cell_padding=0)
            yield Static("", id="save-msg", classes="error")
        yield key_lines()

    def on_mount(self) -> None:
        self._add_columns()
        self.query_one("#matches").display = False
        for msg in self.query(".b-msg"):
            msg.display = False
        self.sub_title = self.provision_id or "new provision"
        self._load()

    def _add_columns(self) -> None:
        """Narrow terminals get a shorter name column and the compact before -> after text."""
        self._wide = self.app.size.width >= 100
        table = self.query_one("#members", MembersTable)
        table.clear(columns=True)
        table.add_column(" Pupil", key="pupil", width=26 if self._wide else 15)
        table.add_column("Dates", key="dates", width=12)
        table.add_column("    Share", key="share", width=10)
        table.add_column(" Counted total (before -> after)", key="total", width=48 if self._wide else 42)
        self._table_layout = None

    def on_resize(self) -> None:
        if self._wide != (self.app.size.width >= 100):
            self._add_columns()
            self.recalculate(force=True)

    @work(thread=True, exclusive=True, group="builder-load")
    def _load(self) -> None:
        from provmap_tui.store import snapshot

        try:
            with self.ctx.db() as conn:
                pm = snapshot.load(conn)
            if self.provision_id and not any(p.id == self.provision_id for p in pm.provisions):
                self.post_message(self.Failed(f"Provision {self.provision_id} no longer exists.", fatal=True))
                return
            base = make_baseline(pm, self._as_of(), self.provision_id)
        except ProvmapError as exc:
            self.post_message(self.Failed(str(exc), fatal=True))
            return
        self.post_message(self.Loaded(pm, base))

    def _as_of(self) -> date:
        return getattr(self.app, "as_of", None) or date.today()

    @on(Loaded)
    def _loaded(self, msg: Loaded) -> None:
        self.pm, self.base = msg.pm, msg.base
        pm = msg.pm
        self._choices = {
            "interventions": {i.name for i in pm.interventions},
            "staff": {s.id for s in pm.staff},
            "streams": {s.code for s in pm.streams},
        }
        self.query_one("#f-intervention", Select).set_options(
            [(f"{i.name} ({i.area})", i.name) for i in pm.interventions])
        self.query_one("#f-staff", Select).set_options(
            [(f"{s.id} {s.name} {format_gbp(s.hourly_rate_pence)}", s.id) for s in pm.staff])
        self.query_one("#f-stream", Select).set_options(
            [(f"{s.code} {s.name}", s.code) for s in pm.streams])
        form = self._starting_form(pm)
        self.members = list(form.members)
        self._fill(form)
        self.initial = self._read_form()
        if self.base and self.base.original and self.add_upn not in {m.upn for m in self.base.original.members}:
            # Adding a pupil to a saved provision is a change: Esc asks before dropping it.
            self.initial.members = [m for m in self.initial.members if m.upn != self.add_upn]
        self.sub_title = f"{self.provision_id or 'new provision'}: {form.intervention or 'choose an intervention'}"
        self.recalculate()
        self.query_one("#f-intervention" if not form.intervention else "#f-minutes").focus()

    def _starting_form(self, pm: ProvisionMap) -> DraftForm:
        if self.base and self.base.original:
            form = form_from_provision(self.base.original)
        else:
            item: Intervention | None = next((i for i in pm.interventions if i.name == self.start_intervention), None)
            streams = [s.code for s in pm.streams]
            form = DraftForm(
                provision_id="", intervention=item.name if item else "",
                minutes=str(item.default_minutes) if item else "", sessions=str(item.default_sessions_per_week) if item else "",
                stream="SEN" if "SEN" in streams else (streams[0] if streams else ""),
                resource="0.00", per_pupil="0.00",
            )
        if self.add_upn and all(m.upn != self.add_upn for m in form.members):
            form.members.append(MemberRow(self.add_upn))
        return form

    def _fill(self, form: DraftForm) -> None:
        for name in _SELECTS:
            value = getattr(form, name)
            widget = self.query_one(f"#f-{name}", Select)
            widget.value = value if value else Select.NULL
        for name, _ in _LAYOUT:
            if name not in _SELECTS:
                self.query_one(f"#f-{name}", Input).value = getattr(form, name)
        self._extra_staff = form.extra_staff
        self._version = form.version

    # ---- reading and checking the form -----------------------------------------

    def _read_form(self) -> DraftForm:
        values: dict[str, str] = {}
        for name, _ in _LAYOUT:
            if name in _SELECTS:
                v = self.query_one(f"#f-{name}", Select).value
                values[name] = v if isinstance(v, str) else ""
            else:
                values[name] = self.query_one(f"#f-{name}", Input).value
        return DraftForm(provision_id=self.provision_id or "NEW", version=self._version,
                         members=[replace(m) for m in self.members], extra_staff=self._extra_staff, **values)

    def _check(self, form: DraftForm):
        assert self.pm is not None
        return check(form, interventions=self._choices["interventions"], staff_ids=self._choices["staff"],
                     streams=self._choices["streams"], year=self.pm.calendar.bounds)

    @property
    def dirty(self) -> bool:
        return self.initial is not None and self._read_form() != self.initial

    @on(Input.Changed, "#builder-form Input")
    @on(Select.Changed, "#builder-form Select")
    def _field_changed(self) -> None:
        self.recalculate()

    @on(Select.Changed, "#f-intervention")
    def _intervention_changed(self, event: Select.Changed) -> None:
        """A new provision follows the chosen intervention's defaults until you change them."""
        if self.pm is None or (self.base and self.base.original) or not isinstance(event.value, str):
            return
        by_name = {i.name: i for i in self.pm.interventions}
        new, old = by_name.get(event.value), by_name.get(self._defaults_from)
        if new is None or new is old:
            return
        for field, attr in (("minutes", "default_minutes"), ("sessions", "default_sessions_per_week")):
            box = self.query_one(f"#f-{field}", Input)
            if box.value.strip() in ("", str(getattr(old, attr, ""))):
                box.value = str(getattr(new, attr))
        self._defaults_from = event.value

    def recalculate(self, force: bool = False) -> None:
        """Check every field and re-cost the draft: runs on every change."""
        if self.base is None or self.pm is None:
            return
        form = self._read_form()
        if form == self._last_form and not force:
            return
        self._last_form = form
        result = self._check(form)
        for name, _ in _LAYOUT:
            self._message(f"m-{name}", result.errors.get(name, ""))
        self._message("m-members", result.errors.get("members", ""))
        self._rate_hint(form)
        if result.provision is None:
            self.last_preview = None
            problems = ", ".join(label for name, label in _LAYOUT if name in result.errors) or "members"
            self._live(Text(f"Costs appear when these are right: {problems}.", style="bold"))
            self._show_members(None)
            return
        self.last_preview = preview(self.base, result.provision)
        self._show_live(self.last_preview, form)
        self._show_members(self.last_preview)

    def _message(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id, "") == text:
            return
        self._shown[widget_id] = text
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(text)
        widget.display = bool(text)

    def _rate_hint(self, form: DraftForm) -> None:
        assert self.pm is not None
        own = self.pm.staff_rates.get(form.staff)
        hint = "" if own is None else (f"own {format_gbp(own)}" if form.rate.strip() else f"uses {format_gbp(own)}")
        if self._shown.get("rate-hint") != hint:
            self._shown["rate-hint"] = hint
            self.query_one("#rate-hint", Static).update(hint, layout=False)

    def _show_live(self, pv: Preview, form: DraftForm) -> None:
        assert self.pm is not None and self.base is not None
        was = f" (was {format_gbp(pv.old_annual)})" if self.base.original is not None and pv.old_annual != pv.annual else ""
        line1 = Text.assemble(
            ("Weekly ", "bold"), format_gbp(pv.weekly), "   ",
            ("Annual ", "bold"), format_gbp(pv.annual), was, "   ",
            ("To date ", "bold"), format_gbp(pv.to_date),
        )
        run = (f"Runs {pv.first_day:%-d %b %Y} to {pv.last_day:%-d %b %Y} ({_weeks(pv)} weeks)"
               if pv.first_day and pv.last_day else "No school days in this run")
        counts = (f"{form.stream} counts toward the {format_gbp(self.base.threshold)} threshold"
                  if pv.counts_toward_threshold else f"{form.stream} does not count toward the threshold")
        over = f"{pv.over} of {len(pv.members)} pupils over it" if pv.members else "no pupils yet"
        usual = self._usual_group(form.intervention)
        pupils = f"{len(pv.members)} pupil{'s' if len(pv.members) != 1 else ''}"
        lines = [line1, Text(f"{run}; {pupils}{usual}."), Text(f"{counts}: {over}.")]
        if pv.outside_run:
            names = ", ".join(m.name for m in pv.outside_run)
            lines.append(Text(f"No sessions for {names}: their dates miss the run; check them (d).", style="bold"))
        if pv.removed:
            lines.append(Text("Removed: " + "; ".join(f"{m.name} {m.change_text}" for m in pv.removed)))
        self._live(Text("\n").join(lines))

    def _live(self, text: Text) -> None:
        # The panel has a fixed height, so a new figure needs a repaint, not a new layout.
        self.query_one("#live", Static).update(text, layout=False)

    def _usual_group(self, name: str) -> str:
        assert self.pm is not None
        item = next((i for i in self.pm.interventions if i.name == name), None)
        return f" (usual {item.default_group_size})" if item else ""

    def _show_members(self, pv: Preview | None) -> None:
        """Rebuild the table when the group changes; otherwise just rewrite the figures."""
        assert self.pm is not None and self.base is not None
        table = self.query_one("#members", MembersTable)
        shown = {m.upn: m for m in pv.members} if pv else {}
        layout = [(m.upn, dates_text(m)) for m in self.members]
        if layout == self._table_layout:
            for m in self.members:
                share, total = figures(shown.get(m.upn), self._wide)
                table.update_cell(m.upn, "share", share)
                table.update_cell(m.upn, "total", total)
            return
        self._table_layout = layout
        row = table.cursor_row
        table.clear()
        for m in self.members:
            pupil = self.base.pupils.get(m.upn)
            room = (26 if self._wide else 15) - 2
            year = year_label(pupil.year_group) if pupil else ""
            # Cut the name, never the year group: "Ava Clar Y11", not "Ava Clarke Y1".
            name = f"{pupil.name[:room - len(year) - 1]} {year}".strip() if pupil else m.upn
            table.add_row(f" {name[:room]:<{room}} ", dates_text(m), *figures(shown.get(m.upn), self._wide), key=m.upn)
        if self.members:
            table.move_cursor(row=min(row, len(self.members) - 1))

    # ---- members -----------------------------------------------------------------

    def action_add_pupil(self) -> None:
        self.query_one("#add-pupil", PupilSearch).focus()

    @on(Input.Changed, "#add-pupil")
    def _search(self, event: Input.Changed) -> None:
        matches = self.query_one("#matches", OptionList)
        self._message("m-add", "")
        if self.pm is None:
            return
        found = pupil_search.search(self.pm.pupils, event.value, limit=6)
        matches.clear_options()
        matches.add_options([
            Option(f"{m.pupil.name}  {year_label(m.pupil.year_group)} {m.pupil.reg_group}  {m.pupil.upn}", id=m.pupil.upn)
            for m in found
        ])
        matches.display = bool(found)
        if found:
            matches.highlighted = 0
        elif event.value.strip():
            self._message("m-add", "no pupil matches; try part of a name or the UPN")

    @on(Input.Submitted, "#add-pupil")
    def _add_highlighted(self) -> None:
        matches = self.query_one("#matches", OptionList)
        if matches.highlighted is None or not matches.option_count:
            self._message("m-add", "type part of a name or UPN, then Enter")
            return
        self.add_member(matches.get_option_at_index(matches.highlighted).id or "")

    @on(OptionList.OptionSelected, "#matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.add_member(event.option.id or "")

    def add_member(self, upn: str) -> bool:
        """Add a pupil to the group; refuses (with a message) a pupil already in it."""
        if self.base is None:
            return False
        pupil = self.base.pupils.get(upn)
        if any(m.upn == upn for m in self.members):
            name = pupil.name if pupil else upn
            self._message("m-add", f"{name} is already in this group")
            return False
        self.members.append(MemberRow(upn))
        search = self.query_one("#add-pupil", PupilSearch)
        search.value = ""
        self.query_one("#matches").display = False
        self.recalculate()
        return True

    def remove_member(self) -> None:
        table = self.query_one("#members", MembersTable)
        if not self.members:
            return
        del self.members[table.cursor_row]
        self.recalculate()

    def edit_member_dates(self) -> None:
        table = self.query_one("#members", MembersTable)
        if not self.members or self.pm is None or self.base is None:
            return
        index = table.cursor_row
        member = self.members[index]
        pupil = self.base.pupils.get(member.upn)

        def done(result: tuple[date | None, date | None] | None) -> None:
            if result is not None and index < len(self.members) and self.members[index].upn == member.upn:
                self.members[index] = MemberRow(member.upn, *result)
                self.recalculate()

        self.app.push_screen(
            MemberDatesScreen(pupil.name if pupil else member.upn, member.start, member.end, self.pm.calendar.bounds),
            done,
        )

    @on(DataTable.RowSelected, "#members")
    def _row_selected(self) -> None:
        self.edit_member_dates()

    # ---- save, delete, leave -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return self.provision_id is not None
        return True

    def action_save(self) -> None:
        if self.base is None or self.busy:
            return
        result = self._check(self._read_form())
        if result.provision is None:
            first = next((name for name, _ in _LAYOUT if name in result.errors), None)
            labels = ", ".join(label for name, label in _LAYOUT if name in result.errors) or "pupils"
            self.notify(f"Not saved: fix {labels} first.", severity="error")
            if first:
                self.query_one(f"#f-{first}").focus()
            return
        self.busy = True
        self._message("save-msg", "")
        self._save(result.provision, is_new=self.provision_id is None)

    @work(thread=True, exclusive=True, group="builder-save")
    def _save(self, prov: Provision, is_new: bool) -> None:
        from provmap_tui.store import provisions
        from provmap_tui.store.connection import transaction

        try:
            with self.ctx.db() as conn, transaction(conn):
                if is_new:
                    # Chosen inside the write lock, so two people never take the same id.
                    prov = prov.model_copy(update={"id": provisions.next_id(conn), "version": 0})
                provisions.save(conn, prov)
        except ProvmapError as exc:
            self.post_message(self.Failed(f"Not saved: {exc}"))
            return
        self.post_message(self.Done(prov.id, "Saved"))

    def action_delete(self) -> None:
        if self.provision_id is None or self.busy:
            return
        pid = self.provision_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._delete(pid, self._version)

        n = len(self.members)
        self.app.push_screen(
            ConfirmScreen(f"Delete provision {pid} ({self._read_form().intervention}, {n} pupils)?\n"
                          "Its cost comes off every member's total. This cannot be undone.", yes="Delete", no="Keep it"),
            answered,
        )

    @work(thread=True, exclusive=True, group="builder-save")
    def _delete(self, pid: str, version: int) -> None:
        from provmap_tui.store import provisions
        from provmap_tui.store.connection import transaction

        try:
            with self.ctx.db() as conn, transaction(conn):
                provisions.delete(conn, pid, version)
        except ProvmapError as exc:
            self.post_message(self.Failed(f"Not deleted: {exc}"))
            return
        self.post_message(self.Done(pid, "Deleted"))

    @on(Failed)
    def _failed(self, msg: Failed) -> None:
        self.busy = False
        self.notify(msg.text, severity="error", timeout=8)
        if msg.fatal:
            self.dismiss(None)
        else:
            self._message("save-msg", msg.text)

    @on(Done)
    def _done(self, msg: Done) -> None:
        self.busy = False
        changed = getattr(self.app, "data_changed", None)
        if callable(changed):
            changed()
        self.notify(f"{msg.verb} provision {msg.provision_id}.")
        self.dismiss(msg.provision_id if msg.verb == "Saved" else None)

    def action_leave(self) -> None:
        if self.query_one("#matches").display:
            self.query_one("#matches").display = False
            return
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Leave without saving? Your changes to this provision will be lost.",
                          yes="Leave, lose changes", no="Stay"),
            answered,
        )


def _weeks(pv: Preview) -> str:
    w = pv.weeks
    if w.denominator == 1:
        return str(w.numerator)
    tenths = w.numerator * 10 // w.denominator
    return f"{tenths // 10}.{tenths % 10}"
