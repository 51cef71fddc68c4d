"""Smalltalk: greetings, thanks, goodbyes, "who are you", "help".

A message is smalltalk only when the whole of it is close to one of the
patterns: "hi, does it hurt?" is a question with a greeting in front, and the
FAQ matcher answers it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from .content import Smalltalk
from .text import normalize

#: How close (rapidfuzz ratio, 0-100) the whole message must be to a pattern.
SMALLTALK_CUTOFF = 86
#: Messages with more words than this are never smalltalk.
MAX_SMALLTALK_WORDS = 8


class SmalltalkMatcher:
    """Recognises smalltalk by fuzzy whole-message comparison.

    >>> from intents.content import Smalltalk
    >>> m = SmalltalkMatcher([Smalltalk("greeting", ("hello", "good morning"), "Hi!")])
    >>> m.match("Helo!!").id, m.match("good mornin").id
    ('greeting', 'greeting')
    >>> m.match("hello, what is a trigger point?") is None   # a question with a greeting
    True
    """

    def __init__(self, intents: Iterable[Smalltalk]) -> None:
        self._patterns = [(intent, normalize(p)) for intent in intents for p in intent.patterns]
        self._patterns = [(intent, p) for intent, p in self._patterns if p]
        self._exact = {}
        for intent, pattern in self._patterns:
            self._exact.setdefault(pattern, intent)

    def match(self, text: str, *, normalized: bool = False) -> Smalltalk | None:
        norm = text if normalized else normalize(text)
        if not norm or len(norm.split()) > MAX_SMALLTALK_WORDS:
            return None
        if norm in self._exact:
            return self._exact[norm]
        best: tuple[float, Smalltalk | None] = (0.0, None)
        for intent, pattern in self._patterns:
            score = fuzz.ratio(norm, pattern, score_cutoff=SMALLTALK_CUTOFF)
            if score > best[0]:
                best = (score, intent)
        return best[1]
