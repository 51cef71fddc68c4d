"""Worried patients: finding a worry ("I'm scared of needles") in a message.

The worry's words are taken out before the rest of the message is matched, so
"scared" is never read as a typo of "scar" and "I almost backed out" is not
matched against the FAQ at all.

>>> from intents.content import Worried
>>> finder = WorryFinder([Worried("nervous", ("nervous", "backed out"), "It's normal.", "what-does-it-feel-like")])
>>> worry, rest = finder.find("I'm nervous, does it hurt?")
>>> worry.id, rest
('nervous', 'i am does it hurt')
>>> finder.find("does it hurt?")[0] is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

from .content import Worried
from .text import normalize


class WorryFinder:
    def __init__(self, worries: Iterable[Worried]) -> None:
        # Longest patterns first, so "scared of needles" wins over "scared".
        pairs = [(normalize(p).split(), worry) for worry in worries for p in worry.patterns]
        self._patterns = sorted((pair for pair in pairs if pair[0]), key=lambda pair: -len(pair[0]))

    def find(self, text: str) -> tuple[Worried | None, str]:
        """The first worry in *text* and the text without its words (normalised); ``(None, text)`` if none."""
        words = normalize(text).split()
        for pattern, worry in self._patterns:
            n = len(pattern)
            for i in range(len(words) - n + 1):
                if words[i : i + n] == pattern:
                    return worry, " ".join(words[:i] + words[i + n :])
        return None, text
