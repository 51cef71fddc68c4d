"""Phrases matched on stems: the shared tool of red flags, topic words and not-covered keywords.

A phrase is compared with a message word by word after both are normalised
and stemmed, so "ending it all" meets "end it all" and "swelling" meets
"swell". ``...`` inside a phrase allows up to :data:`GAP_WORDS` words in
between. Matching is exact on stems, never fuzzy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .text import normalize, stem

#: Words a "..." gap may skip.
GAP_WORDS = 8


def _same(word: str) -> str:
    return word


def words_of(text: str, *, form: Callable[[str], str] = stem) -> str:
    """Normalised *text*, each word put in *form* (its stem, by default)."""
    return " ".join(form(word) for word in normalize(text).split())


def stems_of(text: str) -> str:
    """Normalised *text* as a string of stems, the form phrases are matched on.

    >>> stems_of("Ending it ALL")
    'end it all'
    """
    return " ".join(stem(word) for word in normalize(text).split())


def compile_phrase(phrase: str, *, form: Callable[[str], str] = stem) -> re.Pattern[str]:
    """Compile a phrase into a regular expression over stemmed text.

    >>> bool(compile_phrase("bleeding ... not stop").search(stems_of("it is bleeding and will not stop")))
    True
    >>> bool(compile_phrase("pass out").search(stems_of("compass outline")))   # whole words only
    False
    """
    parts = [words_of(part, form=form) for part in phrase.split("...")]
    words = [re.escape(part) for part in parts if part]
    gap = r"\b(?: \w+){0," + str(GAP_WORDS) + r"}? ?\b"
    return re.compile(r"\b" + gap.join(words) + r"\b")


@dataclass(frozen=True)
class Stemmed:
    """A message in the form phrases are matched on: its stems as one string and as a set."""

    text: str
    words: frozenset[str]

    @classmethod
    def of(cls, normalized: str, *, stemmed: bool = True) -> Stemmed:
        stems = [stem(word) for word in normalized.split()] if stemmed else normalized.split()
        return cls(" ".join(stems), frozenset(stems))

    @classmethod
    def join(cls, words: Iterable[str]) -> Stemmed:
        """From words already in the form the phrases were compiled in."""
        words = tuple(words)
        return cls(" ".join(words), frozenset(words))


@dataclass(frozen=True)
class Phrase:
    source: str
    words: frozenset[str]  # stems that must all occur: a cheap test before the regex
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, phrase: str, *, form: Callable[[str], str] = stem) -> Phrase:
        words = frozenset(words_of(phrase.replace("...", " "), form=form).split())
        return cls(phrase, words, compile_phrase(phrase, form=form))

    def found(self, message: Stemmed) -> bool:
        return self.words <= message.words and self.pattern.search(message.text) is not None


class PhraseSet:
    """Phrases indexed by their longest word, so a message is only tested against likely ones.

    With ``stemmed=False`` words must match as written (after normalising): "needle" then
    does not find "needling". *form* puts each word in the form the messages will be in.

    >>> topics = PhraseSet(["dry needling", "trigger point", "e stim"])
    >>> topics.first(Stemmed.of("what are trigger points"))
    'trigger point'
    >>> topics.first(Stemmed.of("point me to the bank")) is None
    True
    """

    def __init__(self, phrases: Iterable[str], *, stemmed: bool = True, form: Callable[[str], str] | None = None) -> None:
        self._by_word: dict[str, list[tuple[int, Phrase]]] = {}
        form = form or (stem if stemmed else _same)
        for index, source in enumerate(phrases):
            phrase = Phrase.of(source, form=form)
            if phrase.words:
                key = max(phrase.words, key=len)
                self._by_word.setdefault(key, []).append((index, phrase))

    def found(self, message: Stemmed) -> list[str]:
        """Every phrase found in *message*, in the order they were given."""
        hits = [(i, p) for word in message.words for i, p in self._by_word.get(word, ()) if p.found(message)]
        return [p.source for _, p in sorted(hits, key=lambda hit: hit[0])]

    def where(self, message: Stemmed) -> list[tuple[str, int, int]]:
        """Every occurrence of every phrase in *message*: (phrase, index of its first word, index after its last)."""
        return [
            (p.source, message.text.count(" ", 0, match.start()), message.text.count(" ", 0, match.end()) + 1)
            for word in message.words
            for _, p in self._by_word.get(word, ())
            if p.words <= message.words
            for match in p.pattern.finditer(message.text)
        ]

    def last(self, message: Stemmed) -> str | None:
        """The phrase found furthest along in *message* (the longest, where two end together)."""
        hits = self.where(message)
        return max(hits, key=lambda hit: (hit[2], hit[2] - hit[1], hit[0]))[0] if hits else None

    def first(self, message: Stemmed) -> str | None:
        """The first phrase (in the order given) found in *message*, if any."""
        found = self.found(message)
        return found[0] if found else None
