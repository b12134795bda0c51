"""Set a pupil's photo from a file path (PNG or JPEG, checked and shrunk by services.images)."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from provmap_tui.ui.context import AppContext


class PhotoScreen(ModalScreen[int | None]):
    """Enter stores the picture (dismissing with its stored size); a bad file shows why beside the field."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="photo-cancel")]

    def __init__(self, ctx: AppContext, upn: str, name: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.upn = upn
        self.pupil_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="photo-box"):
            yield Static(f"Photo for {self.pupil_name}", id="photo-title")
            yield Input(placeholder="Path to a .png or .jpg file, e.g. ~/photos/amy.jpg", id="photo-path")
            yield Static("", id="photo-error")
            yield Static("Enter stores the photo, Esc cancels", id="photo-keys")

    @on(Input.Submitted, "#photo-path")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._error("photo file: give the path of a .png or .jpg file")
            return
        self.query_one("#photo-error", Static).update("Checking the picture...")
        self.store(Path(text).expanduser())

    @on(Input.Changed, "#photo-path")
    def _typing(self) -> None:
        self.query_one("#photo-error", Static).update("")

    @work(thread=True, exclusive=True, group="photo")
    def store(self, path: Path) -> None:
        from provmap_tui.domain.errors import ProvmapError
        from provmap_tui.ui.pdf_jobs import set_photo

        try:
            size = set_photo(self.ctx, self.upn, path)
        except ProvmapError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self.dismiss, size)

    def _error(self, message: str) -> None:
        self.query_one("#photo-error", Static).update(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
