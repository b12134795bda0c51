"""How a cost against the threshold looks: a bar and a word, so it reads without colour."""

from __future__ import annotations

from fractions import Fraction

from rich.text import Text

from provmap_tui.domain.costing import threshold_status
from provmap_tui.domain.money import format_gbp

BAR_WIDTH = 5


def bar(counted: int, threshold: int, width: int = BAR_WIDTH) -> str:
    """█ for each filled fifth (or width-th) of the threshold, ░ for the rest."""
    if not threshold:
        filled = width if counted else 0
    else:
        filled = min(width, int(Fraction(counted * width, threshold)))
    return "█" * filled + "░" * (width - filled)


def percent(counted: int, threshold: int) -> int:
    if not threshold:
        return 100 if counted else 0
    return int(Fraction(counted * 100, threshold))


def cell(counted: int, threshold: int) -> Text:
    """"▲OVER 112%" (bold), "█████ 85%◆" near it, or "██░░░ 40%" under it."""
    status, _ = threshold_status(counted, threshold)
    pct = percent(counted, threshold)
    if status == "over":
        return Text(f"▲OVER {pct:>3}%", style="bold red")
    if status == "near":
        return Text(f"{bar(counted, threshold)}{pct:>3}%◆", style="yellow")
    return Text(f"{bar(counted, threshold)}{pct:>3}% ", style="green" if counted else "dim")


def sentence(counted: int, threshold: int) -> Text:
    """The pupil screen's line: what is counted, and by how much it is over or under."""
    status, margin = threshold_status(counted, threshold)
    base = f"Counted {format_gbp(counted)} of the {format_gbp(threshold, whole=True)} threshold ({percent(counted, threshold)}%): "
    if status == "over":
        return Text(base + f"▲ OVER by {format_gbp(margin)}", style="bold red")
    if status == "near":
        return Text(base + f"◆ near it, {format_gbp(margin)} headroom", style="yellow")
    return Text(base + f"{format_gbp(margin)} headroom")
