"""Red flags: messages that may describe an emergency.

Checked before anything else, on the whole message. A fixed list of phrases
cannot hold every way a frightened person writes "the blood keeps coming", so
a red flag is raised two ways, both written in ``faq.yaml``:

* ``patterns``: phrases that are enough on their own ("can not breathe").
  ``...`` inside a phrase allows up to eight words in between.
* ``signs``: combinations of concepts. Each concept is a named group of words
  under ``emergency_words`` (``blood``, ``heavy``, ``airway``, ...); a sign
  such as ``[blood, heavy]`` holds when the message has a word or phrase of
  every group it names, anywhere in it ("there is so much blood, it is soaking
  through").

Words are compared by their stems, so "ending it all" meets "end it all" and
"swelling" meets "swell". Matching is never fuzzy: a guess here must not turn
an ordinary question into an emergency. A general question about risks, with
nobody in it having the symptom ("can dry needling make you faint?"), raises
no flag: the not-covered topics refer it to the therapist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .content import RedFlag
from .phrases import PhraseSet, Stemmed

# A general question about what treatment can cause ("can dry needling cause fainting?") is
# not a report of an emergency, as long as nobody in it is having the symptom.
_GENERAL_QUESTION = re.compile(
    r"^(can|could|does|do|will|would|might|may|is|are|what|how)\b.*"
    r"\b(cause|causes|caused|lead to|make you|make people|give you|risk|risks|chance|possible|common|happen|happens"
    r"|side effects?|normal|ever|anyone|people|someone|somebody|worry|worried|dangerous|safe"
    r"|help|helps|treat|treats|work for|good for|used for)\b"
    r"|\b(what happens if|what happens when|what if|what to do if|what do you do if|in case|wants to know"
    r"|wondering (if|whether|what)|asking (if|whether|what))\b"
)
_SOMEONE_AFFECTED = re.compile(
    r"\b(i|me|my|mine|myself|we|us|our|he|him|his|she|her|they|them|their|now|currently|still|right now"
    r"|wife|husband|son|daughter|mom|mum|dad|friend|partner|baby)\b"
)


def is_general_question(normalized: str) -> bool:
    """True for a question about what can happen in general, with nobody affected now.

    >>> is_general_question("can dry needling cause fainting")
    True
    >>> is_general_question("could someone have a seizure from the e stim")
    True
    >>> is_general_question("can dry needling cause fainting because i feel faint now")
    False
    >>> is_general_question("i passed out after the needling")
    False
    """
    return bool(_GENERAL_QUESTION.search(normalized)) and not _SOMEONE_AFFECTED.search(normalized)


class RedFlagDetector:
    """Finds the first red flag (in file order) whose phrase or sign occurs in a message.

    Every phrase and every word group is indexed by its words, so a message is only tested
    against the phrases its own words could complete.
    """

    def __init__(self, red_flags: Iterable[RedFlag], words: Mapping[str, Iterable[str]] | None = None) -> None:
        self._flags = list(red_flags)
        self._pattern_flag: dict[str, int] = {}
        for index, flag in enumerate(self._flags):
            for pattern in flag.patterns:
                self._pattern_flag.setdefault(pattern, index)
        self._patterns = PhraseSet(self._pattern_flag)
        self._groups = {name: PhraseSet(phrases) for name, phrases in (words or {}).items()}
        self._signs = [(index, sign) for index, flag in enumerate(self._flags) for sign in flag.signs]

    def detect(self, normalized: str) -> RedFlag | None:
        """Return the red flag raised by already-normalised text, if any."""
        message = Stemmed.of(normalized)
        found = [self._pattern_flag[p] for p in self._patterns.found(message)]
        present: dict[str, bool] = {}
        for index, sign in self._signs:
            if found and index >= min(found):
                break
            if all(present.setdefault(name, self._groups[name].first(message) is not None) for name in sign):
                found.append(index)
                break
        if not found:
            return None
        return None if is_general_question(normalized) else self._flags[min(found)]
