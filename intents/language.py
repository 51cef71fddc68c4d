"""Which language a message is written in: English, or one the bot has a reply for.

A message is English when at least half of its words are words the FAQ itself
uses (so typos, slang and medical words never count against it), or when too
few words are left to tell; only then is lingua's detector asked, restricted
to English and the languages ``faq.yaml`` has a reply in. Its models ship
inside the package; they are loaded once per process, on first need.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from .text import MAX_CHARS, normalize

#: The detector must be at least this sure of another language.
MIN_CONFIDENCE = 0.5
#: At least this share of the words must be unknown to the FAQ before the detector is asked.
MIN_UNKNOWN_SHARE = 0.5
#: ... and at least this many of them; fewer is "too short to tell".
MIN_UNKNOWN_WORDS = 2

_WORD = re.compile(r"[^\W\d_]+")
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in ("en", *codes)]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _latin(text: str) -> bool:
    if text.isascii():
        return True
    return all(ch.isascii() or not ch.isalpha() or "\u00c0" <= ch <= "\u024f" for ch in text)


class LanguageGuesser:
    """Tells English from the languages in *codes* (ISO 639-1), using the FAQ's own words as English."""

    def __init__(self, codes: Iterable[str], known_words: Iterable[str]) -> None:
        self.codes = tuple(sorted(set(codes) - {"en"}))
        self.known = frozenset(known_words)

    def guess(self, text: str, hint: str | None = None) -> str | None:
        """The code of the other language *text* is written in, or ``None`` for English (or unknown).

        *hint* (a Telegram ``language_code`` such as ``es`` or ``pt-br``) decides only when the
        text is too short to tell and has no English word of the FAQ.
        """
        if not self.codes or not text:
            return None
        text = text[:MAX_CHARS]
        words = _WORD.findall(text.lower())
        if not words:
            return None
        if _latin(text):
            unknown = [w for w in words if w not in self.known and normalize(w) not in self.known]
            if len(unknown) < MIN_UNKNOWN_WORDS:
                short = hint.split("-")[0].lower() if hint else None
                return short if short in self.codes and len(unknown) == len(words) else None
            if len(unknown) < MIN_UNKNOWN_SHARE * len(words):
                return None
        with _lock:
            values = _detector(self.codes).compute_language_confidence_values(text)
        if not values:
            return None
        top = values[0]
        code = top.language.iso_code_639_1.name.lower()
        if code == "en" or code not in self.codes:
            return None
        if _latin(text) and top.value < MIN_CONFIDENCE:
            return None
        return code
