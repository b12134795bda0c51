"""The builder's group: the members table and the pupil search box, and how a
member's dates and figures read in them."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, Input, OptionList

from provmap_tui.domain.money import format_gbp
from provmap_tui.services.builder_preview import MemberPreview
from provmap_tui.services.provision_form import MemberRow


class MembersTable(DataTable):
    """The group's pupils; x removes the highlighted one, Enter or d sets their dates."""

    BINDINGS = [
        Binding("x,delete", "remove_member", "Remove pupil", id="builder-remove-member"),
        Binding("d", "member_dates", "Join/leave dates", id="builder-member-dates"),
    ]

    def action_remove_member(self) -> None:
        self.screen.remove_member()  # type: ignore[attr-defined]

    def action_member_dates(self) -> None:
        self.screen.edit_member_dates()  # type: ignore[attr-defined]


class PupilSearch(Input):
    """Type a name or UPN; Up/Down choose among the matches, Enter adds the pupil."""

    BINDINGS = [
        Binding("down", "move(1)", "Next match", show=False, id="builder-match-next"),
        Binding("up", "move(-1)", "Previous match", show=False, id="builder-match-prev"),
    ]

    def action_move(self, step: int) -> None:
        matches = self.screen.query_one("#matches", OptionList)
        if matches.option_count:
            current = matches.highlighted if matches.highlighted is not None else -step
            matches.highlighted = max(0, min(matches.option_count - 1, current + step))


def figures(mp: MemberPreview | None, wide: bool) -> tuple[Text, Text]:
    """A member's share and counted total before -> after, in words."""
    if mp is None:
        return Text(f"{'-':>9} "), Text(" -")
    return (Text(f"{format_gbp(mp.share):>9} "),
            Text(" " + (mp.change_text if wide else mp.short_text), style="bold" if mp.status == "over" else ""))


def dates_text(m: MemberRow) -> str:
    if m.start and m.end:
        return f"{m.start:%d/%m}-{m.end:%d/%m}"
    if m.start:
        return f"from {m.start:%d/%m}"
    if m.end:
        return f"to {m.end:%d/%m}"
    return "whole run"
