"""Smalltalk: greetings, thanks, goodbyes, "who are you", "help".

A message is smalltalk only when the whole of it is close to one of the
patterns: "hi, does it hurt?" is a question with a greeting in front, and the
FAQ matcher answers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .analysis import MIN_TYPO_LENGTH, english_words
from .content import Smalltalk
from .text import normalize

#: How close (rapidfuzz ratio, 0-100) the whole message must be to a pattern.
SMALLTALK_CUTOFF = 86
#: Messages with more words than this are never smalltalk.
MAX_SMALLTALK_WORDS = 10

# Words that say nothing on their own; "cheers, that's really helpful" is made of "cheers" and "helpful".
_FILLERS = frozenset(
    "a an the that this these is it its so really very much you your i me my for and to oh well just all am are "
    "was be of there here now again too then exactly actually kindly most lol haha lmao hehe with today".split()
    # what only says that something is said: "just wanted to say thanks"
    + "wanted say".split()
    # whom it is said to: "cheers mate", "thanks guys", "hi folks"
    + "mate mates buddy pal dude bro guys folks sir maam madam dear team everyone everybody y all".split()
)


# Words that ask for the same thing: "what sorts of questions" is "what kinds of questions".
_SAME_WORD = {"sort": "kind", "sorts": "kind", "kinds": "kind", "type": "kind", "types": "kind"}
# Said to the bot: a pattern with one of these matches only a message with one too.
_TO_YOU = frozenset("you your u ya yourself".split())

# A question to the bot asked inside a sentence: "dying to know what you can help me with" asks it.
_EMBEDDED = re.compile(
    r"^(?:(?:i am|i m|im|i was|just|so|really)\s+)*(?:dying to know|want to know|wanna know|would like to know"
    r"|wondering|curious|curious to know|keen to know|tell me)\s+(?=(?:what|who|how)\b)"
)

_LAUGH = re.compile(r"\b(?:lol|haha|hahaha|lmao|hehe)\b")

# A letter typed three times or more is one letter drawn out: "heyyy", "thanksss", "byeee".
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")

# A message that starts with one of these asks something, unless it is a pattern itself.
_ASKING = frozenset("how why when where does do did will would should could".split())


def _core(norm: str) -> tuple[str, ...]:
    """The words of *norm* that are no fillers, each as the word it stands for."""
    return tuple(_SAME_WORD.get(w, w) for w in norm.split() if w not in _FILLERS)


class SmalltalkMatcher:
    """Recognises smalltalk by fuzzy whole-message comparison.

    >>> from intents.content import Smalltalk
    >>> m = SmalltalkMatcher([Smalltalk("greeting", ("hello", "good morning"), "Hi!")])
    >>> m.match("Helo!!").id, m.match("good mornin").id
    ('greeting', 'greeting')
    >>> m.match("hello, what is a trigger point?") is None   # a question with a greeting
    True
    >>> m.match("well hello there good morning").id   # only smalltalk words
    'greeting'
    >>> SmalltalkMatcher([Smalltalk("help", ("how does this bot work",), "...")], topic_words={"how", "does", "work"}).match(
    ...     "how does it work") is None   # words a FAQ question uses too
    True

    """

    def __init__(
        self, intents: Iterable[Smalltalk], *, topic_words: Iterable[str] = (), spellings: Mapping[str, str] | None = None
    ) -> None:
        self._topic_words = frozenset(topic_words)
        # The short forms people type ("who r u", "thank u"), read as the FAQ's spellings say.
        self._spellings = {normalize(k): normalize(v) for k, v in (spellings or {}).items()}
        self._patterns = [(intent, normalize(p)) for intent in intents for p in intent.patterns]
        self._patterns = [(intent, p) for intent, p in self._patterns if p]
        self._texts = [p for _, p in self._patterns]
        self._exact = {}
        self._words: dict[str, list[Smalltalk]] = {}
        for intent, pattern in self._patterns:
            self._exact.setdefault(pattern, intent)
            for word in set(pattern.split()) - _FILLERS:
                if intent not in self._words.setdefault(word, []):
                    self._words[word].append(intent)
        self._typo_choices = sorted(w for w in self._words if len(w) >= MIN_TYPO_LENGTH - 1)
        # Each pattern without its filler words ("what can you do" is "what can do"), when two or more are left.
        self._cores: dict[tuple[str, ...], tuple[Smalltalk, bool]] = {}
        for intent, pattern in self._patterns:
            core = _core(pattern)
            if len(core) >= 2:
                self._cores.setdefault(core, (intent, bool(_TO_YOU.intersection(pattern.split()))))

    def match(self, text: str, *, normalized: bool = False, fuzzy: bool = True) -> Smalltalk | None:
        """The smalltalk *text* is, or ``None``. *fuzzy* False: only a pattern itself or smalltalk words,
        for a part of a longer message."""
        norm = text if normalized else normalize(text)
        norm = " ".join(self._spellings.get(w, w) for w in _DRAWN_OUT.sub(r"\1", norm).split())
        norm = _EMBEDDED.sub("", norm)
        if not norm or len(norm.split()) > MAX_SMALLTALK_WORDS:
            return None
        if norm in self._exact:
            return self._exact[norm]
        if _LAUGH.search(norm):  # a pattern with a laugh beside it: "lol ok", "thanks haha"
            said = self._exact.get(" ".join(_LAUGH.sub(" ", norm).split()))
            if said is not None:
                return said
        said = self._cores.get(_core(norm))  # a pattern with filler words added: "what can you actually do"
        if said is not None and (not said[1] or _TO_YOU.intersection(norm.split())):
            return said[0]
        if not fuzzy:
            return self._by_words(norm)
        best = process.extractOne(norm, self._texts, scorer=fuzz.ratio, score_cutoff=SMALLTALK_CUTOFF)
        if best is not None:
            return self._patterns[best[2]][0]
        return self._by_words(norm)

    def is_pattern(self, text: str) -> bool:
        """Is already-normalised *text* one of the patterns itself?"""
        return text in self._exact

    def _by_words(self, norm: str) -> Smalltalk | None:
        """Smalltalk when every word that matters is a smalltalk word ("ok goodbye", "cheers, very helpful").

        At least one of them must be a word the FAQ's questions never use, so "how does it
        work" (words of "how does this bot work") stays a question. The intent whose patterns
        share most of the words wins; the first listed on a tie.
        """
        words = [self._spelled(w) for w in norm.split() if w not in _FILLERS]
        if not words or any(w not in self._words for w in words):
            return None
        if norm.split()[0] in _ASKING:  # "how soon does it start working" is made of smalltalk words, and asks
            return None
        if all(w in self._topic_words for w in words):
            return None
        votes: dict[str, int] = {}
        order: dict[str, Smalltalk] = {}
        for word in words:
            for intent in self._words[word]:
                votes[intent.id] = votes.get(intent.id, 0) + 1
                order.setdefault(intent.id, intent)
        return max(order.values(), key=lambda intent: votes[intent.id])

    def _spelled(self, word: str) -> str:
        """*word*, or the smalltalk word one typing slip away when *word* is no English word ("thnaks",
        "helpfull"). A correctly spelled word is never changed."""
        if word in self._words:
            return word
        if len(word) >= 3 and word[-1] == word[-2] and word[:-1] in self._words and word not in english_words():
            return word[:-1]  # the last letter typed twice: "heyy", "okk", "thxx"
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha() or word in english_words():
            return word
        near = process.extractOne(word, self._typo_choices, scorer=OSA.distance, score_cutoff=1)
        return near[0] if near else word
