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

import re
from collections.abc import Iterable

from .content import Worried
from .text import normalize


# Everything of a word but the marks that end a sentence, a question or a clause ("i'm scared, what
# will it feel like" keeps its comma, so the question after it is still read apart).
_MARKS = re.compile(r"[^.?!;,]+")


class WorryFinder:
    def __init__(self, worries: Iterable[Worried]) -> None:
        # Patterns by their first word, longest first, so "scared of needles" wins over "scared of".
        self._by_first: dict[str, list[tuple[list[str], Worried]]] = {}
        self._order: dict[str, int] = {}
        for worry in worries:
            self._order.setdefault(worry.id, len(self._order))
            for pattern in worry.patterns:
                words = normalize(pattern).split()
                if words:
                    self._by_first.setdefault(words[0], []).append((words, worry))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda pair: -len(pair[0]))

    def find(self, text: str, *, normalized: bool = False) -> tuple[Worried | None, str]:
        """The worry in *text* and the text without its words (normalised); ``(None, text)`` if none.

        The longest matching pattern wins; on a tie, the worry listed first.
        """
        words = (text if normalized else normalize(text)).split()
        found = self._best(words)
        if found is None:
            return None, text
        worry, start, end = found
        return worry, " ".join(words[:start] + words[end:])

    def cut(self, text: str) -> tuple[Worried | None, str]:
        """Like :meth:`find`, but the rest keeps the message's own words and punctuation, so its
        sentences and questions stay apart ("I'm nervous about my first appointment. What will I feel?").

        >>> finder = WorryFinder([Worried("nervous", ("nervous about",), "It's normal.", "what-does-it-feel-like")])
        >>> finder.cut("I'm nervous about my first visit. What will I feel?")[1]
        "I'm my first visit. What will I feel?"
        """
        words = normalize(text).split()
        found = self._best(words)
        if found is None:
            return None, text
        tokens = text.split()
        owner = [at for at, token in enumerate(tokens) for _ in normalize(token).split()]
        if len(owner) != len(words):  # a message longer than is read: the words alone
            return self.find(text)
        worry, start, end = found
        cut = set(owner[start:end])
        # a word taken out keeps the marks that end a sentence, a question or a clause
        kept = [token if at not in cut else _MARKS.sub("", token) for at, token in enumerate(tokens)]
        return worry, " ".join(token for token in kept if token)

    def _best(self, words: list[str]) -> tuple[Worried, int, int] | None:
        best: tuple[tuple[int, int], int, int, Worried] | None = None
        for i, word in enumerate(words):
            for pattern, worry in self._by_first.get(word, ()):
                if words[i : i + len(pattern)] == pattern:
                    rank = (-len(pattern), self._order[worry.id])
                    if best is None or rank < best[0]:
                        best = (rank, i, i + len(pattern), worry)
        if best is None:
            return None
        _, start, end, worry = best
        return worry, start, end
