"""One pupil: details, needs in plain English, passport, provisions and their costs."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from provmap_tui.domain.codes import SEN_STATUSES, year_label
from provmap_tui.domain.money import format_gbp
from provmap_tui.services import caseload
from provmap_tui.services.pupil_summary import PupilSummary
from provmap_tui.ui import threshold
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.keybar import key_lines
from provmap_tui.ui.pupil_form import PASSPORT


class PupilScreen(Screen[None]):
    """E edits details; A adds the pupil to a provision; Enter opens a provision;
    P writes the passport, V the panel evidence sheet, F sets the photo."""

    AUTO_FOCUS = "#pupil-provisions"
    BINDINGS = [
        Binding("escape", "back", "Back", id="pupil-back"),
        Binding("e", "edit", "Edit", tooltip="Edit details", id="pupil-edit"),
        Binding("a", "add", "Add", tooltip="Add to provision", id="pupil-add"),
        Binding("enter", "open_provision", "Open", tooltip="Open provision", priority=True, id="pupil-open"),
        Binding("p", "passport", "Passport", id="pupil-passport"),
        Binding("v", "panel_evidence", "Evidence", tooltip="Panel evidence", id="pupil-panel"),
        Binding("f", "photo", "Photo", id="pupil-photo"),
    ]

    def __init__(self, ctx: AppContext, upn: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.upn = upn
        self.summary: PupilSummary | None = None
        self.need_types: dict[str, tuple[str, str]] = {}
        self.choices: list[tuple[str, str]] = []
        self._loaded_version = -1

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="pupil-body"):
            yield Static("Loading...", id="pupil-details")
            yield Static("", id="pupil-needs")
            yield Static("", id="pupil-threshold")
            yield Static("", id="pupil-streams")
            yield DataTable(id="pupil-provisions", cursor_type="row", zebra_stripes=True)
            yield Static("", id="pupil-passport")
        yield key_lines()

    def on_mount(self) -> None:
        self.title = "Pupil"
        self.load()

    def on_screen_resume(self) -> None:
        if self._loaded_version not in (-1, self.app.data_version):  # type: ignore[attr-defined]
            self.load()

    @work(thread=True, exclusive=True, group="pupil-load")
    def load(self) -> None:
        from provmap_tui.domain.errors import ProvmapError
        from provmap_tui.services.pupil_summary import other_provisions, summarise
        from provmap_tui.store import pupils, snapshot

        version = self.app.data_version  # type: ignore[attr-defined]
        try:
            with self.ctx.db() as conn:
                pm = snapshot.load(conn)
                need_types = pupils.need_types(conn)
                has_photo = pupils.get_photo(conn, self.upn) is not None
            summary = summarise(pm, self.upn, need_types, self.app.as_of)  # type: ignore[attr-defined]
        except ProvmapError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show, summary, need_types, other_provisions(pm, self.upn), version,
                                  has_photo)

    def _show(self, s: PupilSummary, need_types: dict[str, tuple[str, str]],
              choices: list[tuple[str, str]], version: int, has_photo: bool) -> None:
        self.summary, self.need_types, self.choices = s, need_types, choices
        self._loaded_version = version
        p = s.pupil
        self.sub_title = p.name
        self.title = "Pupil"
        facts = [f"UPN {p.upn}", " ".join(x for x in (year_label(p.year_group), p.reg_group) if x)]
        if p.dob:
            facts.append(f"born {p.dob:%d %b %Y}")
        if p.sex:
            facts.append({"M": "male", "F": "female"}.get(p.sex, p.sex))
        if p.left_on:
            facts.append(f"left {p.left_on:%d %b %Y}")
        details = Text(p.name, style="bold")
        if p.legal_name != p.name:
            details.append(f" (legal name {p.legal_name})")
        details.append("\n" + ", ".join(f for f in facts if f))
        details.append(f"\nSEN status {p.sen_status}: {SEN_STATUSES.get(p.sen_status, '')}")
        if s.flags:
            details.append("   Flags: " + ", ".join(f"{c} ({label})" for c, label in s.flags))
        details.append("\nPhoto on file for the passport" if has_photo
                       else "\nNo photo: the passport shows initials (F sets one)")
        self.query_one("#pupil-details", Static).update(details)
        needs = Text()
        for rank, (code, label, plain) in enumerate(s.needs, 1):
            needs.append(f"{rank}. {code} {label}", style="bold" if rank == 1 else "")
            needs.append(f": {plain}\n" if plain else "\n")
        needs.rstrip()
        self.query_one("#pupil-needs", Static).update(needs or Text("No census need recorded."))
        line = threshold.sentence(s.counted, s.threshold)
        line.append(f"\nAll provision {format_gbp(s.annual)} a year, {format_gbp(s.to_date)} to "
                    f"{self.app.as_of:%d %b %Y}")  # type: ignore[attr-defined]
        self.query_one("#pupil-threshold", Static).update(line)
        streams = "  ".join(
            f"{code}{'*' if counts else ''} {format_gbp(a)} ({format_gbp(t)} to date)" for code, _, a, t, counts in s.by_stream
        )
        self.query_one("#pupil-streams", Static).update(
            f"By stream: {streams}  (* counts toward the threshold)" if streams else "No provision yet: A adds the pupil to one."
        )
        self._fill_table(s)
        passport = Text("Passport\n", style="bold")
        for key, label in PASSPORT:
            passport.append(f"{label}: ", style="bold")
            passport.append((getattr(p.passport, key) or "-") + "\n")
        self.query_one("#pupil-passport", Static).update(passport)

    def _fill_table(self, s: PupilSummary) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Id", key="id")
        table.add_column("Intervention", key="intervention", width=20 if self.size.width < 100 else None)
        table.add_column(Text("Hrs/wk", justify="right"), key="time")
        table.add_column(Text("Share", justify="right"), key="share")
        table.add_column("Stream", key="stream")
        table.add_column(Text("Annual", justify="right"), key="annual")
        table.add_column(Text("To date", justify="right"), key="to_date")
        table.add_column("Sessions", key="sessions")
        table.add_column("Staff", key="staff")
        for line in s.lines:
            table.add_row(
                line.provision_id,
                line.intervention,
                Text(caseload.hours_text(line.weekly_minutes), justify="right"),
                Text(f"1/{line.members} {line.share_percent}%", justify="right"),
                line.stream,
                Text(format_gbp(line.annual), justify="right"),
                Text(format_gbp(line.to_date), justify="right"),
                f"{line.minutes} min x{line.sessions_per_week}",
                line.staff,
                key=line.provision_id,
            )
        table.display = bool(s.lines)
        # A fixed height (header, rows, room for a scrollbar): auto height inside a
        # scrolling page is settled a frame late, which made the page jump.
        table.styles.height = min(len(s.lines), 10) + 2

    # Actions -----------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        if self.summary is None:
            return
        from provmap_tui.ui.forms import FormScreen
        from provmap_tui.ui.pupil_form import build_pupil, pupil_fields, save_pupil

        p = self.summary.pupil
        form = FormScreen(
            self.ctx, f"Edit {p.name} (F9 saves)", pupil_fields(p, self.need_types),
            lambda values: build_pupil(values, p.version), save_pupil,
        )
        self.app.push_screen(form, lambda saved: self.load() if saved else None)

    def action_add(self) -> None:
        if self.summary is None:
            return
        from provmap_tui.ui.screens.choose_provision import NEW, ChooseProvisionScreen

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == NEW:
                from provmap_tui.ui.screens.picker import PickerScreen

                self.app.push_screen(PickerScreen(self.ctx, add_upn=self.upn))
            else:
                from provmap_tui.ui.screens.builder import BuilderScreen

                self.app.push_screen(BuilderScreen(self.ctx, provision_id=choice, add_upn=self.upn))

        self.app.push_screen(ChooseProvisionScreen(self.summary.pupil.name, self.choices), chosen)

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_open_provision()

    def action_open_provision(self) -> None:
        table = self.query_one(DataTable)
        if self.summary is None or not self.summary.lines or table.cursor_row < 0:
            return
        from provmap_tui.ui.screens.builder import BuilderScreen

        pid = self.summary.lines[table.cursor_row].provision_id
        self.app.push_screen(BuilderScreen(self.ctx, provision_id=pid))

    # Passport, panel evidence and photo -------------------------------------------

    def action_passport(self) -> None:
        self.notify("Writing the passport...", timeout=2)
        self.write_passport()

    @work(thread=True, group="passport")
    def write_passport(self) -> None:
        from provmap_tui.domain.errors import ProvmapError
        from provmap_tui.ui.pdf_jobs import shown_path, write_passport

        try:
            path = write_passport(self.ctx, self.upn, self.app.as_of)  # type: ignore[attr-defined]
        except ProvmapError as exc:
            self.app.call_from_thread(self.notify, f"No passport written: {exc}", severity="error", timeout=12)
            return
        self.app.call_from_thread(self.notify, f"Passport written: {shown_path(path)}", timeout=8)

    def action_panel_evidence(self) -> None:
        self.notify("Writing the panel evidence sheet...", timeout=2)
        self.write_panel_evidence()

    @work(thread=True, group="panel-evidence")
    def write_panel_evidence(self) -> None:
        from provmap_tui.domain.errors import ProvmapError
        from provmap_tui.ui.pdf_jobs import shown_path, write_panel_evidence

        try:
            pdf, csv = write_panel_evidence(self.ctx, self.upn, self.app.as_of)  # type: ignore[attr-defined]
        except ProvmapError as exc:
            self.app.call_from_thread(self.notify, f"No evidence sheet written: {exc}", severity="error", timeout=12)
            return
        self.app.call_from_thread(
            self.notify, f"Panel evidence written: {shown_path(pdf)} and {csv.name}", timeout=10)

    def action_photo(self) -> None:
        from provmap_tui.ui.screens.photo import PhotoScreen

        name = self.summary.pupil.name if self.summary else self.upn

        def stored(size: int | None) -> None:
            if size is not None:
                self.load()  # storing the photo changed the pupil's version
                self.notify(f"Photo stored for {name} ({max(1, size // 1024)} KB); P writes the passport with it.")

        self.app.push_screen(PhotoScreen(self.ctx, self.upn, name), stored)
