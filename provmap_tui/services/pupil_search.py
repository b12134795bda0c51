"""Find a pupil by a few typed letters of a name or UPN (fuzzy, forgiving of gaps).

Used by the builder to add members; fast enough to run on every keystroke
over a 2,400-pupil school.
"""

from __future__ import annotations

from datetime import date

from collections.abc import Iterable
from dataclasses import dataclass

from provmap_tui.domain.fold import fold
from provmap_tui.domain.models import Pupil


@dataclass(frozen=True)
class Match:
    pupil: Pupil
    score: int


def _haystack(p: Pupil) -> str:
    names = {p.name, p.legal_name}
    return fold(" ".join(sorted(names)) + " " + p.upn)


def _subsequence_gaps(needle: str, hay: str) -> int | None:
    """Characters skipped to find needle in order inside hay; None if it is not there."""
    pos = -1
    gaps = 0
    for ch in needle:
        nxt = hay.find(ch, pos + 1)
        if nxt < 0:
            return None
        if pos >= 0:
            gaps += nxt - pos - 1
        pos = nxt
    return gaps


def score(query: str, p: Pupil) -> int | None:
    """Higher is better; None when the pupil does not match every word of the query."""
    hay = _haystack(p)
    total = 0
    for word in fold(query).split():
        at = hay.find(word)
        if at == 0 or (at > 0 and hay[at - 1] == " "):
            total += 100  # a word starts with it
        elif at > 0:
            total += 60
        else:
            gaps = _subsequence_gaps(word, hay)
            if gaps is None:
                return None
            total += max(1, 40 - gaps)
    return total


def search(pupils: Iterable[Pupil], query: str, limit: int = 8) -> list[Match]:
    """Best matches first (register pupils before others); pupils who have left are not offered."""
    query = query.strip()
    if not query:
        return []
    found = []
    today = date.today()
    for p in pupils:
        if p.has_left(today):
            continue
        s = score(query, p)
        if s is not None:
            found.append(Match(p, s))
    # Equal matches: pupils on the SEN register first, as they are the ones usually added.
    found.sort(key=lambda m: (-m.score, not m.pupil.on_register, m.pupil.surname, m.pupil.forename, m.pupil.upn))
    return found[:limit]
