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


# A general question about what treatment can cause ("can dry needling cause fainting?") is
# not a report of an emergency, as long as nobody in it is having the symptom.
_GENERAL_QUESTION = re.compile(
    r"^(can|could|does|do|will|would|might|may|is|are)\b.*"
    r"\b(cause|causes|lead to|make you|make people|give you|risk|risks|chance|possible|common|happen|side effects?)\b"
)
_SOMEONE_AFFECTED = re.compile(
    r"\b(i|me|my|mine|myself|we|us|our|he|him|his|she|her|they|them|their|someone|somebody|patient|now|currently|still)\b"
)


def is_general_question(normalized: str) -> bool:
    """True for a question about what can happen in general, with nobody affected now.

    >>> is_general_question("can dry needling cause fainting")
    True
    >>> is_general_question("can dry needling cause fainting because i feel faint now")
    False
    >>> is_general_question("i passed out after the needling")
    False
    """
    return bool(_GENERAL_QUESTION.search(normalized)) and not _SOMEONE_AFFECTED.search(normalized)


class RedFlagDetector:
    """Finds the first red flag whose pattern occurs in a message."""

    def __init__(self, red_flags: Iterable[RedFlag]) -> None:
        # Each pattern with the words it needs: only patterns whose words all occur run their regex.
        self._patterns = [
            (frozenset(normalize(p.replace("...", " ")).split()), compile_pattern(p), flag)
            for flag in red_flags
            for p in flag.patterns
        ]

    def detect(self, normalized: str) -> RedFlag | None:
        """Return the red flag raised by already-normalised text, if any.

        A general question about risks raises none: the not-covered topics
        answer it ("ask your physical therapist about risks").
        """
        words = set(normalized.split())
        for needed, pattern, flag in self._patterns:
            if needed <= words and pattern.search(normalized):
                return None if is_general_question(normalized) else flag
        return None
