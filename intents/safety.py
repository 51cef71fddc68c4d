"""Red flags: messages that may describe an emergency.

Checked before anything else. Patterns are plain phrases from ``faq.yaml``;
``...`` inside a pattern allows up to eight words in between, so
``bleeding ... not stop`` matches "the spot is bleeding and it will not stop".
Matching is on normalised words, never fuzzy: a guess here must not turn an
ordinary question into an emergency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .content import RedFlag
from .text import normalize


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a red-flag phrase into a regular expression over normalised text.

    >>> bool(compile_pattern("bleeding ... not stop").search("it is bleeding and will not stop"))
    True
    >>> bool(compile_pattern("pass out").search("compass outline"))   # whole words only
    False
    """
    parts = [normalize(part) for part in pattern.split("...")]
    words = [re.escape(part) for part in parts if part]
    return re.compile(r"\b" + r"\b(?: \w+){0,8}? ?\b".join(words) + r"\b")


class RedFlagDetector:
    """Finds the first red flag whose pattern occurs in a message."""

    def __init__(self, red_flags: Iterable[RedFlag]) -> None:
        self._patterns = [(flag, compile_pattern(p)) for flag in red_flags for p in flag.patterns]

    def detect(self, normalized: str) -> RedFlag | None:
        """Return the red flag raised by already-normalised text, if any."""
        for flag, pattern in self._patterns:
            if pattern.search(normalized):
                return flag
        return None
