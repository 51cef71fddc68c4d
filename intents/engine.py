"""The one answer call: a message in, a :class:`Reply` out.

Order of checks: emergency red flags, smalltalk, topics the FAQ does not
cover, then the FAQ itself (a confident answer, a "did you mean", or an
honest fallback). Every reply's text ends with the clinic's disclaimer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from .analysis import Analysis, Analyzer
from .content import Content, FaqEntry, NotCovered, load_content
from .matcher import Matcher, Scored, Weights
from .phrases import PhraseSet, Stemmed
from .safety import RedFlagDetector
from .smalltalk import SmalltalkMatcher
from .text import normalize, reflow

#: How close (rapidfuzz ratio) a message must be to a FAQ phrasing to count as asking it.
NEAR_COPY = 90.0
# The treatment meant as "it": "does it hurt", "how long does it take", "is this painful".
_REFERS_TO_IT = re.compile(
    r"\b(does|did|do|will|would|can|could|is|was|are|should|might|has|have)\s+(it|this|that|they|these|those)\s+\w"
)

#: Reply kinds :meth:`Engine.answer` can return.
KINDS = ("emergency", "smalltalk", "faq", "clarify", "fallback")



@dataclass(frozen=True)
class Policy:
    """When the bot answers, asks, or says it does not know (scores are 0-100)."""

    #: A FAQ answer needs at least this score ...
    answer_threshold: float = 50.0
    #: ... and this lead over the next FAQ entry; otherwise the bot asks.
    margin: float = 6.0
    #: Below this, nothing fits and the bot says so.
    clarify_threshold: float = 35.0
    #: Suggestions offered when unsure: at most this many, within this distance of the best.
    max_suggestions: int = 3
    suggestion_spread: float = 15.0


@dataclass(frozen=True)
class Suggestion:
    faq_id: str
    question: str


@dataclass(frozen=True)
class Reply:
    """What the bot says to one message.

    ``body`` is the reply without the disclaimer; ``text`` is the whole reply,
    always ending with the disclaimer. ``faq_id`` is set only for kind
    ``faq``; ``intent`` names the smalltalk, red flag or not-covered topic
    that answered, when one did.
    """

    kind: str
    body: str
    text: str
    faq_id: str | None = None
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    intent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract of ``bot.py ask --json``."""
        return {
            "kind": self.kind,
            "faq_id": self.faq_id,
            "score": self.score,
            "suggestions": [{"faq_id": s.faq_id, "question": s.question} for s in self.suggestions],
            "text": self.text,
        }


class Engine:
    """Answers messages from one :class:`Content`. Build once, then call :meth:`answer` per message."""

    def __init__(self, content: Content, *, policy: Policy | None = None, weights: Weights | None = None) -> None:
        self.content = content
        self.policy = policy or Policy()
        vocabulary = [
            text
            for entry in content.faqs
            for text in (*entry.phrasings, entry.answer)
        ]
        vocabulary += [text for topic in content.not_covered for text in (*topic.keywords, *topic.examples)]
        vocabulary += [p for intent in content.smalltalk for p in intent.patterns]
        self.analyzer = Analyzer(synonyms=content.synonyms, spellings=content.spellings, vocabulary=vocabulary)
        self.matcher = Matcher(content, self.analyzer, weights=weights)
        self.red_flags = RedFlagDetector(content.red_flags, content.emergency_words)
        faq_words = {w for entry in content.faqs for p in entry.phrasings for w in normalize(p).split()}
        self.smalltalk = SmalltalkMatcher(content.smalltalk, topic_words=faq_words)
        self._faqs = {entry.id: entry for entry in content.faqs}
        self._answers = {entry.id: content.fill(entry.answer) for entry in content.faqs}
        # Every not-covered keyword, in file order, so the first topic listed wins a tie.
        self._keyword_topics = {keyword: topic for topic in reversed(content.not_covered) for keyword in topic.keywords}
        self._vetoes = PhraseSet(keyword for topic in content.not_covered for keyword in topic.keywords)
        self.topic_words = PhraseSet(content.topic_words, stemmed=False)
        self.shared_topic_words = PhraseSet(content.shared_topic_words, stemmed=False)
        self._phrasings = [normalize(p) for entry in content.faqs for p in entry.phrasings]
        self.disclaimer = reflow(content.disclaimer)
        # Every fixed text with its placeholders filled, once.
        self._messages = {key: content.fill(text) for key, text in content.messages.items()}
        self._replies = {
            (type(item).__name__, item.id): content.fill(item.reply)
            for item in (*content.red_flags, *content.smalltalk, *content.not_covered)
        }

    @classmethod
    def from_file(cls, path: str | Path) -> Engine:
        """Load and validate a FAQ file; raises :class:`~intents.content.ContentError`."""
        return cls(load_content(path))

    # ------------------------------------------------------------------ replies

    def reply(self, kind: str, body: str, **fields: Any) -> Reply:
        """Build a reply of *kind* whose text ends with the disclaimer."""
        body = body.strip()
        text = f"{body}\n\n{self.disclaimer}" if body else self.disclaimer
        return Reply(kind=kind, body=body, text=text, **fields)

    def message(self, key: str, kind: str = "info") -> Reply:
        """A fixed message from the ``messages`` section (welcome, help, about, ...)."""
        return self.reply(kind, self._messages[key], intent=key)

    def faq(self, faq_id: str) -> Reply | None:
        """The answer of one entry, as if it had been matched; ``None`` for an unknown id."""
        entry = self._faqs.get(faq_id)
        if entry is None:
            return None
        return self.reply("faq", self._answers[entry.id], faq_id=entry.id, score=100.0)

    def entry(self, faq_id: str) -> FaqEntry | None:
        return self._faqs.get(faq_id)

    def fallback(self, *, score: float = 0.0) -> Reply:
        """The honest "not in my FAQ" reply, pointing to /topics and the clinic."""
        return self.reply("fallback", self._messages["fallback"], score=score)

    # ------------------------------------------------------------------ matching

    def rank(self, text: str, *, limit: int = 5) -> list[tuple[FaqEntry, float]]:
        """The best FAQ entries for *text* with their scores, even when unsure (for inline search)."""
        analysis = self.analyzer.analyze(text)
        ranked = [s for s in self.matcher.score(analysis) if s.target.kind == "faq"]
        return [(self._faqs[s.target.id], s.score) for s in ranked[:limit]]

    def answer(self, text: str) -> Reply:
        """Turn one incoming message into a reply. Never raises for any string."""
        norm = normalize(text if isinstance(text, str) else "")
        if not norm:
            return self.fallback()

        flag = self.red_flags.detect(norm)
        if flag is not None:
            return self.reply("emergency", self._replies["RedFlag", flag.id], intent=flag.id)

        chat = self.smalltalk.match(norm, normalized=True)
        if chat is not None:
            return self.reply("smalltalk", self._replies["Smalltalk", chat.id], intent=chat.id)

        analysis = self.analyzer.analyze(norm, normalized=True)
        topic = self.veto(analysis)
        if topic is not None:
            return self._not_covered(topic.id)
        if not self.about_topic(analysis):
            return self.fallback()

        ranked = self.matcher.score(analysis)
        if not ranked:
            return self.fallback()
        best = ranked[0]
        if best.target.kind == "not_covered":
            return self._not_covered(best.target.id, best.score)
        faqs = [s for s in ranked if s.target.kind == "faq"]
        runner_up = faqs[1].score if len(faqs) > 1 else 0.0
        policy = self.policy
        if best.score >= policy.answer_threshold and best.score - runner_up >= policy.margin:
            entry = self._faqs[best.target.id]
            return self.reply("faq", self._answers[entry.id], faq_id=entry.id, score=best.score)
        if best.score >= policy.clarify_threshold:
            return self._clarify(faqs, best)
        return self.fallback(score=best.score)

    def veto(self, analysis: Analysis) -> NotCovered | None:
        """The not-covered topic one of whose keywords occurs in the message, if any."""
        keyword = self._vetoes.first(Stemmed.join(analysis.words))
        return None if keyword is None else self._keyword_topics[keyword]

    def about_topic(self, analysis: Analysis) -> bool:
        """Is there evidence that the message is about this FAQ's subject at all?

        One of the ``topic_words`` ("dry needling", "trigger point", ...), or of the
        ``shared_topic_words`` ("needle", "pain", ...) in words the FAQ knows; or the treatment
        meant as "it" ("does it hurt?", "how long does it take?") in words the FAQ knows; or
        every word of the message used by one entry's phrasings ("how long is a session"); or
        a near-copy of a FAQ phrasing. Shared verbs ("reset", "release", "work") are not
        evidence: "how do I reset my tv remote" is not about trigger points.
        """
        words = Stemmed.join(analysis.tokens)
        if self.topic_words.first(words):
            return True
        all_known = all(t in self.matcher.idf for t in analysis.terms)
        shared = self.shared_topic_words.found(words)
        if shared and (all_known or len(set(shared)) >= 2):
            return True
        if _REFERS_TO_IT.search(analysis.normalized) and all_known:
            return True
        terms = analysis.terms
        if (len(terms) >= 2 or set(terms) <= self.analyzer.canonical_terms) and self.matcher.explains(analysis):
            return True
        return process.extractOne(analysis.normalized, self._phrasings, scorer=fuzz.ratio, score_cutoff=NEAR_COPY) is not None

    def _clarify(self, faqs: list[Scored], best: Scored) -> Reply:
        policy = self.policy
        floor = max(policy.clarify_threshold, best.score - policy.suggestion_spread)
        picks = [s for s in faqs if s.score >= floor][: policy.max_suggestions]
        suggestions = tuple(Suggestion(s.target.id, self._faqs[s.target.id].question) for s in picks)
        lines = "\n".join(f"\u2022 {s.question}" for s in suggestions)
        body = f"{self._messages['clarify']}\n{lines}"
        return self.reply("clarify", body, score=best.score, suggestions=suggestions)

    def _not_covered(self, topic_id: str, score: float = 0.0) -> Reply:
        body = self._messages["not_covered"] + " " + self._replies["NotCovered", topic_id]
        return self.reply("fallback", body, score=score, intent=topic_id)



