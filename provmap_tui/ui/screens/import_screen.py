"""The Import screen (F6): choose an MIS export, see exactly what it would change, confirm.

Reading and writing run in thread workers (the file may be large, the machine slow);
they post messages back, and a progress bar shows how far they have got. Screen keys
are F7-F9 because the path box takes every letter and digit typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, DirectoryTree, Header, Input, Label, ProgressBar, Static

from provmap_tui.domain.errors import ProvmapError
from provmap_tui.services.mis_import import service
from provmap_tui.services.mis_import.plan import ImportPlan
from provmap_tui.services.mis_import.records import Problem
from provmap_tui.ui.context import AppContext
from provmap_tui.ui.keybar import key_lines
from provmap_tui.ui.screens.confirm import ConfirmScreen


class Tick(Checkbox):
    """A checkbox whose X shows only when ticked, so its state reads without colour too."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return "X" if self.value else " "


class ExportFiles(DirectoryTree):
    """Folders and the files an MIS export can be, with plain-text icons (old PuTTY fonts lack emoji)."""

    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "
    ICON_FILE = "  "

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in (".xml", ".csv", ".ctf", ".txt"))]


class ImportScreen(Screen):
    """Preview an MIS import as a table of changes, then apply it in one go."""

    TITLE = "Import"
    BINDINGS = [
        Binding("f7", "preview", "Preview", id="import-preview"),
        Binding("f8", "browse", "Browse", id="import-browse"),
        Binding("f9", "apply", "Import file", id="import-apply"),
        Binding("escape", "close_browser", "Close browser", id="import-close-browser"),
    ]

    class Previewed(Message):
        def __init__(self, plan: ImportPlan) -> None:
            super().__init__()
            self.plan = plan

    class Applied(Message):
        def __init__(self, plan: ImportPlan) -> None:
            super().__init__()
            self.plan = plan

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan: ImportPlan | None = None
        self.working = False  # a preview or import is running; one at a time

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="import-file-row"):
            yield Label("File ", id="import-file-label")
            yield Input(placeholder="path to a CTF (.xml) or CSV export; Enter previews", id="import-path")
        with Horizontal(id="import-options"):
            yield Tick("Skip invalid rows", id="import-skip-invalid", compact=True)
            yield Tick("Mark absent pupils as left", id="import-mark-left", compact=True)
        yield Static("Type a path (F8 browses), then Enter or F7 to see what it would change. "
                     "Nothing is written until you confirm.", id="import-summary")
        yield ProgressBar(id="import-progress", show_eta=False)
        yield DataTable(id="import-preview", cursor_type="row", zebra_stripes=True)
        yield key_lines()

    def on_mount(self) -> None:
        self.sub_title = "pupils from the MIS: CTF or CSV"
        table = self.query_one("#import-preview", DataTable)
        table.add_columns("Action", "UPN", "Name", "Details")
        self.query_one("#import-path", Input).focus()

    # -- choosing a file ---------------------------------------------------------------

    def action_browse(self) -> None:
        """Show a folder tree (made on first use: it reads the disk) or hide it again."""
        found = self.query("#import-browser")
        if not found:
            start = Path(self.query_one("#import-path", Input).value.strip() or ".").expanduser()
            folder = start if start.is_dir() else start.parent if start.parent.is_dir() else Path.cwd()
            browser = ExportFiles(str(folder), id="import-browser")
            self.mount(browser, after="#import-options")
            browser.focus()
        else:
            browser = found.first(DirectoryTree)
            browser.display = not browser.display
            if browser.display:
                browser.focus()
            else:
                self.query_one("#import-path", Input).focus()
        self.refresh_bindings()

    def _browser_open(self) -> bool:
        found = self.query("#import-browser")
        return bool(found) and found.first().display

    def action_close_browser(self) -> None:
        if self._browser_open():
            self.action_browse()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_browser":
            return self._browser_open()
        return True

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self.action_browse()
        self.action_preview()

    @on(Input.Submitted, "#import-path")
    def _submitted(self) -> None:
        self.action_preview()

    @on(Input.Changed, "#import-path")
    def _path_edited(self, event: Input.Changed) -> None:
        if self.plan is not None and event.value.strip() != self.plan.source:
            self.plan = None
            self.query_one("#import-preview", DataTable).clear()
            self._say("Press Enter or F7 to preview this file.")

    @on(Checkbox.Changed)
    def _option_changed(self) -> None:
        if self.plan is not None:
            self._show_plan(self.plan, done=False)

    # -- preview -----------------------------------------------------------------------

    def action_preview(self) -> None:
        if self.working:
            return
        text = self.query_one("#import-path", Input).value.strip()
        if not text:
            self._say("Type the path of the CTF or CSV file first (or F8 to browse).")
            return
        self.plan = None
        self._busy(f"Reading {text} ...")
        self._run_preview(Path(text).expanduser())

    @work(thread=True, group="import")
    def _run_preview(self, path: Path) -> None:
        try:
            with self.ctx.db() as conn:
                plan = service.preview(conn, path, today=self._today(), progress=self._progress_from_thread)
        except ProvmapError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Previewed(plan))

    def _today(self) -> date | None:
        """The app's date (fixed in tests): CTF ages and the day absent pupils are marked as left."""
        return getattr(self.app, "as_of", None)

    def _progress_from_thread(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._set_progress, done, total)

    def _set_progress(self, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        self.plan = message.plan
        self._idle()
        self._show_plan(message.plan, done=False)

    # -- apply -------------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.working:
            return
        plan = self.plan
        if plan is None:
            self._say("Preview a file first (F7); then F9 imports it.")
            return
        skip, leave = self._options()
        if plan.problems and not skip:
            self._say(f"{plan.skipped_rows} row(s) have problems (listed below); fix the file, or tick "
                      "'Skip invalid rows' to import the others.")
            return
        if leave and not plan.full_roll:
            self._say("This is a partial file, so it cannot say who has left; untick 'Mark absent pupils as left'.")
            return
        leaving = len(plan.absent) if leave else 0
        if not plan.writes and not leaving:
            self._say("Nothing to import: every pupil in the file is already up to date.")
            return
        question = f"Import {plan.source}: create {len(plan.created)}, update {len(plan.updated)}"
        if leaving:
            question += f", mark {leaving} as left"
        if plan.problems:
            question += f", skip {plan.skipped_rows} row(s) with problems"
        self.app.push_screen(ConfirmScreen(question + "?", "Import", "Cancel"), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes or self.plan is None:
            self._say("Not imported; nothing was written.")
            return
        skip, leave = self._options()
        self._busy("Importing ...")
        self._run_apply(self.plan, skip, leave)

    @work(thread=True, group="import")
    def _run_apply(self, plan: ImportPlan, skip: bool, leave: bool) -> None:
        try:
            with self.ctx.db() as conn:
                done = service.apply(conn, plan, skip_invalid=skip, mark_left=leave, today=self._today(),
                                     progress=self._progress_from_thread)
        except ProvmapError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Applied(done))

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        self.plan = None
        self._idle()
        self.app.data_changed()  # type: ignore[attr-defined]  # other screens reload when shown
        self._show_plan(message.plan, done=True)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._idle()
        self._say(f"Not imported: {message.text}")
        self.notify(message.text, title="Import refused", severity="error")

    # -- showing -----------------------------------------------------------------------

    def _options(self) -> tuple[bool, bool]:
        return (self.query_one("#import-skip-invalid", Checkbox).value,
                self.query_one("#import-mark-left", Checkbox).value)

    def _say(self, text: str) -> None:
        self.query_one("#import-summary", Static).update(text)

    def _busy(self, text: str) -> None:
        self.working = True
        self._say(text)
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("busy")

    def _idle(self) -> None:
        self.working = False
        self.query_one("#import-progress", ProgressBar).remove_class("busy")

    def _show_plan(self, plan: ImportPlan, done: bool) -> None:
        skip, leave = self._options()
        c = plan.counts()
        head = "Imported" if done else "Would import"
        text = (f"{head} {plan.kind} {Path(plan.source).name}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['skipped']} skipped")
        if plan.full_roll:
            left = "marked as left" if plan.marked_left else ("to mark as left" if leave else "not in the file")
            text += f", {c['absent']} {left}"
        if not done:
            if plan.problems and not skip:
                text += (f". Fix the file, or tick 'Skip invalid rows' to import the rest. First problem, "
                         f"{plan.problems[0]}")
            else:
                text += ". F9 to import." if plan.writes or (leave and plan.absent) else ". Nothing to change."
        self._say(text)
        table = self.query_one("#import-preview", DataTable)
        table.clear()
        rows = []
        for p in plan.problems:
            rows.append(("skip", p.upn, "", _problem_text(p)))
        for p in plan.created:
            rows.append(("create", p.upn, p.name, "new pupil"))
        for u in plan.updated:
            rows.append(("update", u.pupil.upn, u.pupil.name, "; ".join(str(ch) for ch in u.changes)))
        for a in plan.absent:
            rows.append(("left" if plan.marked_left else ("leave" if leave else "absent"), a.upn, a.name,
                         "not in the file"))
        table.add_rows(rows)


def _problem_text(p: Problem) -> str:
    """Where and why, for the Details column (the UPN has its own column)."""
    where = f"line {p.line}: " if p.line is not None else ""
    return f"{where}{p.field}: {p.reason}" if p.field else f"{where}{p.reason}"
