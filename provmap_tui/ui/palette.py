"""Ctrl+P: jump to any pupil (by name or UPN), provision or intervention."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from provmap_tui.ui import nav

if TYPE_CHECKING:
    from provmap_tui.services.jump import Target

MAX_HITS = 40


class ProvmapCommands(Provider):
    """Pupils, provisions and interventions, loaded once per palette opening."""

    async def startup(self) -> None:
        ctx = self.app.ctx  # type: ignore[attr-defined]

        def load() -> list[Target]:
            from provmap_tui.services.jump import targets  # the store's models load off the start-up path

            with ctx.db() as conn:
                return targets(conn)

        self._targets = await asyncio.to_thread(load)

    def _run(self, target: Target) -> None:
        app = self.app
        if target.kind == "pupil":
            app.open_pupil(target.key)  # type: ignore[attr-defined]
        elif target.kind == "provision":
            app.open_provision(provision_id=target.key)  # type: ignore[attr-defined]
        else:
            app.open_provision(intervention=target.key)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for place in nav.PLACES:
            yield DiscoveryHit(
                f"Go to {place.label}", partial(self.app.run_action, f"app.goto('{place.mode}')"),
                help=f"Key {place.keys.split(',')[0].upper()}",
            )

    async def search(self, query: str) -> Hits:
        """The best MAX_HITS matches of every kind, not the first ones found."""
        matcher = self.matcher(query)
        lowered = query.lower().strip()
        scored: list[tuple[float, Target]] = []
        for target in self._targets:
            text = target.text
            # Cheap containment test first: the fuzzy matcher is slow over thousands of names.
            if lowered and lowered not in text.lower() and not _initials_match(lowered, text):
                continue
            score = matcher.match(text)
            if score > 0:
                scored.append((score, target))
        scored.sort(key=lambda hit: -hit[0])
        for score, target in scored[:MAX_HITS]:
            yield Hit(score, matcher.highlight(target.text), partial(self._run, target), help=target.help)


def _initials_match(query: str, text: str) -> bool:
    """'jsm' finds 'Jo Smith': every query letter in order."""
    it = iter(text.lower())
    return all(ch in it for ch in query if ch != " ")
