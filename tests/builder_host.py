"""A tiny app that hosts one builder/picker/budget screen, for tests and trying them out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App

from provmap_tui.resources import data_dir
from provmap_tui.ui.context import AppContext

AS_OF = date(2027, 1, 15)


def style_files() -> list[str]:
    files = sorted(data_dir("styles").glob("*.tcss"), key=lambda p: (p.name != "app.tcss", p.name))
    return [str(p) for p in files]


class Host(App):
    CSS_PATH = style_files()

    def __init__(self, db: Path, make_screen, as_of: date = AS_OF) -> None:
        super().__init__()
        self.ctx = AppContext(Path(db))
        self.as_of = as_of
        self.data_version = 0
        self._make_screen = make_screen
        self.results: list[object] = []

    def data_changed(self) -> None:
        self.data_version += 1

    def on_mount(self) -> None:
        self.push_screen(self._make_screen(self.ctx), self.results.append)

    def on_unmount(self) -> None:
        self.ctx.close()


if __name__ == "__main__":
    import sys

    from importlib import import_module

    db, which, *rest = sys.argv[1:]
    module = import_module(f"provmap_tui.ui.screens.{which}")
    if which == "builder":
        Host(Path(db), lambda ctx: module.BuilderScreen(ctx, provision_id=rest[0] if rest else None)).run()
    else:
        Host(Path(db), lambda ctx: getattr(module, f"{which.title()}Screen")(ctx)).run()
