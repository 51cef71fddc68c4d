"""Scoring a question against the FAQ entries and the topics the FAQ does not cover.

Plain fuzzy nearest-neighbour matching is fooled by shared filler words, so
the score of a target (a FAQ entry or a not-covered topic) combines:

* ``overlap``: the best IDF-weighted F-score between the question's terms and
  one phrasing's terms. Words that appear in most entries ("dry needling")
  weigh almost nothing; words the FAQ never uses count against the match.
* ``coverage``: how much of the question the target's whole vocabulary
  explains: all its phrasings, and more weakly the words of its answer.
* ``fuzzy``: rapidfuzz ``token_sort_ratio`` between the term strings, which
  forgives typos that word-level correction missed, and ``ratio`` between
  the full normalised strings, which keeps the shape of the question
  ("what is ..." against "what can ... do for me").

A FAQ entry is a candidate only if it shares an informative term with the
question, or if one of its phrasings is made of common words only and shares
one of them (so "what is dry needling?" still finds its entry). A topic the
FAQ does not cover is a candidate only through its one-word keywords that no
FAQ entry uses (a phrase keyword such as "years old" acts only when it occurs
whole, through the engine's veto). Everything
that can be computed before a question arrives is computed in
:class:`Matcher`'s constructor.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from .analysis import Analysis, Analyzer
from .content import Content


@dataclass(frozen=True)
class Weights:
    """Tunable constants of the score. The defaults are measured, not guessed: see ``bench/``."""

    overlap: float = 0.40
    coverage: float = 0.30
    fuzzy_terms: float = 0.10
    fuzzy_text: float = 0.20
    #: >1 favours phrasings the question covers fully over questions the phrasing explains fully.
    beta: float = 1.5
    #: Weight of a question term the FAQ never uses: evidence the question is about something else.
    unknown: float = 0.5
    #: How much an answer-only term counts towards coverage, compared with a phrasing term.
    answer_factor: float = 0.5
    #: Terms used by more than this share of the targets are not informative on their own.
    informative_share: float = 0.2
    #: Added when a phrasing has exactly the question's terms (the strongest evidence short of the same words).
    same_terms: float = 0.04
    #: Taken off when the question opens with "who" or "why" and the entry answers the other kind, or
    #: with "how long" and the entry answers no duration.
    other_question: float = 0.08
    #: The second opinion (:meth:`Matcher.second_opinion`): added to every term count (smoothing) ...
    opinion_smoothing: float = 0.3
    #: ... and how much a term of an entry's answer counts there, against one phrasing using it.
    opinion_answer: float = 0.3


def _asks(normalized: str) -> str | None:
    """ "who", "why" or "how long" when a question opens with it (after a few words of greeting at most)."""
    words = normalized.split()[:5]
    for at, word in enumerate(words[:4]):
        if word in ("who", "why"):
            return word
        if word == "how" and words[at + 1 : at + 2] == ["long"]:
            return "how long"
    return None


@dataclass(frozen=True)
class Target:
    """Something a question can match: a FAQ entry or a not-covered topic."""

    id: str
    kind: str  # "faq" or "not_covered"


@dataclass(frozen=True)
class Scored:
    target: Target
    score: float  # 0-100


@dataclass(frozen=True)
class _Phrasing:
    target: int
    terms: frozenset[str]
    weight: float  # sum of the terms' IDF
    joined: str  # the terms, sorted, for fuzzy comparison
    text: str  # the normalised phrasing


class Matcher:
    """Index of every phrasing; :meth:`score` ranks the targets for one analysed question."""

    def __init__(self, content: Content, analyzer: Analyzer, *, weights: Weights | None = None) -> None:
        self.analyzer = analyzer
        self.weights = w = weights or Weights()
        self.targets: list[Target] = []
        texts: list[list[str]] = []
        answers: list[str] = []
        keys: list[str] = []  # not-covered topics are found through their keywords only
        for entry in content.faqs:
            self.targets.append(Target(entry.id, "faq"))
            texts.append(list(entry.phrasings))
            answers.append(entry.answer)
        for topic in content.not_covered:
            self.targets.append(Target(topic.id, "not_covered"))
            texts.append([*topic.keywords, *topic.examples])
            answers.append("")
            # Only one-word keywords: "years" alone is no sign of the age topic's "years old".
            keys.append(" ".join(k for k in topic.keywords if len(k.split()) == 1))

        analysed = [[analyzer.analyze(t) for t in group] for group in texts]
        answer_terms = [frozenset(analyzer.analyze(a).terms) if a else frozenset() for a in answers]
        #: Each FAQ entry's answer's terms, by id, read sentence by sentence so a long answer is read whole.
        self.answer_terms = {
            entry.id: frozenset(t for part in re.split(r"(?<=[.!?])\s+", entry.answer) for t in analyzer.analyze(part).terms)
            for entry in content.faqs
        }
        self.n_faqs = n_faqs = len(content.faqs)
        key_terms = [frozenset(analyzer.analyze(k).terms) for k in keys]
        # Document frequency over the phrasings; a word only answers use counts where it is used.
        # An answer that mentions scars in passing must not make "scar" a common word.
        df: dict[str, int] = {}
        answer_df: dict[str, int] = {}
        for index, group in enumerate(analysed):
            for term in {t for a in group for t in a.terms}:
                df[term] = df.get(term, 0) + 1
            for term in answer_terms[index]:
                answer_df[term] = answer_df.get(term, 0) + 1
        for term, count in answer_df.items():
            df.setdefault(term, count)
        n = len(self.targets)
        self.idf = {term: max(0.05, math.log((n + 1) / (count + 0.5))) for term, count in df.items()}
        limit = max(2, w.informative_share * n)
        self.informative = frozenset(term for term, count in df.items() if count <= limit)

        self.exact: dict[str, int] = {}
        self.bags: list[dict[str, float]] = []
        self.by_target: list[list[_Phrasing]] = []
        self.postings: dict[str, list[int]] = {}
        self.generic: dict[str, list[int]] = {}
        for index, group in enumerate(analysed):
            bag = dict.fromkeys(answer_terms[index], w.answer_factor)
            phrasings = []
            for analysis in group:
                self.exact.setdefault(analysis.normalized, index)
                terms = frozenset(analysis.terms)
                if not terms:
                    continue
                bag.update(dict.fromkeys(terms, 1.0))
                phrasings.append(
                    _Phrasing(index, terms, sum(self.idf[t] for t in terms), " ".join(sorted(terms)), analysis.normalized)
                )
                if index < n_faqs and not terms & self.informative:
                    # Made of common words only ("what is dry needling"): reachable through them.
                    for term in terms:
                        self.generic.setdefault(term, [])
                        if index not in self.generic[term]:
                            self.generic[term].append(index)
            self.bags.append(bag)
            self.by_target.append(phrasings)
            if index < n_faqs:
                for term in bag:
                    if term in self.informative:
                        self.postings.setdefault(term, []).append(index)
        self._index_not_covered(key_terms, n_faqs)
        # For each target, the phrasings (by position) that use each term.
        self._term_phrasings: list[dict[str, tuple[int, ...]]] = []
        for group in self.by_target:
            uses: dict[str, list[int]] = {}
            for at, phrasing in enumerate(group):
                for term in phrasing.terms:
                    uses.setdefault(term, []).append(at)
            self._term_phrasings.append({term: tuple(ats) for term, ats in uses.items()})
        self._strings = [([p.joined for p in group], [p.text for p in group]) for group in self.by_target]
        # The "who" or "why" an entry answers, when most of its phrasings ask it.
        self.asks: list[frozenset[str]] = []
        for group in texts[:n_faqs]:
            opened = [_asks(analyzer.analyze(t).normalized) for t in group]
            kinds = {k for k in opened if k and opened.count(k) * 10 >= 3 * len(group)}
            self.asks.append(frozenset(kinds))
        # The second opinion: each FAQ word's smoothed log-likelihood under every entry, from in how
        # many of the entry's phrasings it occurs (and, weaker, its answer).
        opinion: list[tuple[dict[str, float], float]] = []
        for index in range(n_faqs):
            counts = dict.fromkeys(answer_terms[index], w.opinion_answer)
            for analysis in analysed[index]:
                for term in set(analysis.terms):
                    counts[term] = counts.get(term, 0.0) + 1.0
            opinion.append((counts, sum(counts.values())))
        vocabulary = {term for counts, _ in opinion for term in counts}
        size = w.opinion_smoothing * len(vocabulary)
        self._opinion_logs = {
            term: tuple(
                math.log((counts.get(term, 0.0) + w.opinion_smoothing) / (total + size)) for counts, total in opinion
            )
            for term in vocabulary
        }
        # Phrasings by their exact term set: (target, normalised text) for the same-terms bonus.
        self.by_terms: dict[frozenset[str], list[tuple[int, str]]] = {}
        for phrasing in (p for group in self.by_target for p in group):
            self.by_terms.setdefault(phrasing.terms, []).append((phrasing.target, phrasing.text))

    def _index_not_covered(self, key_terms: list[frozenset[str]], n_faqs: int) -> None:
        """A not-covered topic is found only through keyword words no FAQ entry uses: a topic
        must not take "how long does it take" from an entry because its keywords say "how long"."""
        faq_terms = {term for bag in self.bags[:n_faqs] for term in bag}
        for offset, terms in enumerate(key_terms):
            for term in terms - faq_terms:
                if term in self.informative:
                    self.postings.setdefault(term, []).append(n_faqs + offset)

    def second_opinion(self, analysis: Analysis) -> tuple[str, float] | None:
        """The FAQ entry whose words are likeliest to produce the question's words, and how
        likely (0-1, against every entry): a naive Bayes reading of the same phrasings.

        It weighs each word by how often each entry uses it, where the score weighs the best
        single phrasing; when the two agree on an entry the score alone was unsure of, that
        is evidence for it. ``None`` when no word of the question is the FAQ's.
        """
        rows = [self._opinion_logs[t] for t in analysis.terms if t in self._opinion_logs]
        if not rows:
            return None
        logs = [sum(column) for column in zip(*rows)]
        top = max(logs)
        best = logs.index(top)
        return self.targets[best].id, 1.0 / sum(math.exp(value - top) for value in logs)

    def explains(self, analysis: Analysis) -> bool:
        """Do the phrasings of one FAQ entry use every term of the question?

        "how long does a session take" is told in the words of one entry; "what time is it in
        central time" borrows words from two, and "set a timer" uses words no entry has.
        """
        terms = analysis.terms
        if not terms:
            return False
        return any(all(bag.get(t, 0.0) >= 1.0 for t in terms) for bag in self.bags[: self.n_faqs])

    def weight(self, term: str) -> float:
        """The IDF of a term, or the weight of a term the FAQ never uses."""
        return self.idf.get(term, self.weights.unknown)

    def _term_weights(self, analysis: Analysis) -> dict[str, float]:
        """Each of the question's terms with its weight."""
        return {t: self.weight(t) for t in analysis.terms}

    def evidence_for(self, analysis: Analysis, target_id: str) -> bool:
        """Does the question share an informative term with the target *target_id*'s phrasings?"""
        bag = self.bags[self._target_at[target_id]]
        return any(t in self.informative and t in bag for t in analysis.terms)

    @cached_property
    def _target_at(self) -> dict[str, int]:
        return {target.id: index for index, target in enumerate(self.targets)}

    def candidates(self, analysis: Analysis) -> set[int]:
        """Targets sharing an informative term; entries with common-word phrasings only when
        most of the question is made of words the FAQ knows ("what is dry needling", not
        "what is the capital of France")."""
        terms = analysis.terms
        found = {index for term in terms for index in self.postings.get(term, ())}
        known = sum(self.idf[t] for t in terms if t in self.idf)
        if known >= 0.5 * sum(self.weight(t) for t in terms):
            found.update(index for term in terms for index in self.generic.get(term, ()))
        return found

    def components(
        self, analysis: Analysis, index: int, *, leave_out: str | None = None, weights: dict[str, float] | None = None
    ) -> tuple[float, float, float, float]:
        """(overlap, coverage, fuzzy_terms, fuzzy_text) of one target, each 0-1.

        *leave_out* names a normalised phrasing to ignore (the checker's "as if it were not listed").
        *weights* are the question's terms with their weights, when the caller has them already (every
        candidate of one question shares them: a long paste has dozens of terms).
        """
        if weights is None:
            weights = self._term_weights(analysis)
        total = sum(weights.values())
        bag = self.bags[index]
        coverage = sum(wt * bag[t] for t, wt in weights.items() if t in bag) / total
        beta2 = self.weights.beta**2
        joined = " ".join(sorted(weights))
        overlap = fuzzy_terms = fuzzy_text = 0.0
        phrasings = [p for p in self.by_target[index] if p.text != leave_out] if leave_out else self.by_target[index]
        # Only the phrasings that share a term with the question can overlap it: found through the terms.
        shared_by: dict[int, float] = {}
        for term, wt in weights.items():
            for at in self._term_phrasings[index].get(term, ()):
                shared_by[at] = shared_by.get(at, 0.0) + wt
        group = self.by_target[index]
        for at, shared in shared_by.items():
            phrasing = group[at]
            if leave_out and phrasing.text == leave_out:
                continue
            precision = shared / total
            recall = shared / phrasing.weight
            overlap = max(overlap, (1 + beta2) * precision * recall / (beta2 * precision + recall))
        if phrasings:  # rapidfuzz compares with all the phrasings in one call
            joins, texts = (([p.joined for p in phrasings], [p.text for p in phrasings]) if leave_out else self._strings[index])
            fuzzy_terms = process.extractOne(joined, joins, scorer=fuzz.token_sort_ratio)[1] / 100
            fuzzy_text = process.extractOne(analysis.normalized, texts, scorer=fuzz.ratio)[1] / 100
        return overlap, coverage, fuzzy_terms, fuzzy_text

    def score(self, analysis: Analysis, *, leave_out: bool = False, asks: str | None = None) -> list[Scored]:
        """Rank the candidate targets for one analysed question, best first (scores 0-100).

        A question that is exactly one of the phrasings scores 100 for its entry alone,
        unless *leave_out* is true: then it is scored as if that phrasing were not
        listed (the checker uses this to see which entry a phrasing really resembles).
        *asks* is "who" or "why" when the caller knows the question asks it in other words.
        """
        found = None if leave_out else self.exact.get(analysis.normalized)
        if found is not None:
            return [Scored(self.targets[found], 100.0)]
        if not analysis.terms:
            return []
        w = self.weights
        same = self.by_terms.get(frozenset(analysis.terms), ())
        told = asks is not None  # then every entry that answers another kind of question is the less likely
        asks = asks or _asks(analysis.normalized)
        told = told or asks == "how long"  # a duration: only the entries that answer one are as likely
        results = []
        weights = self._term_weights(analysis)
        for index in self.candidates(analysis):
            overlap, coverage, fuzzy_terms, fuzzy_text = self.components(
                analysis, index, leave_out=analysis.normalized if leave_out else None, weights=weights
            )
            score = w.overlap * overlap + w.coverage * coverage + w.fuzzy_terms * fuzzy_terms + w.fuzzy_text * fuzzy_text
            if any(t == index and not (leave_out and text == analysis.normalized) for t, text in same):
                score += w.same_terms
            if asks and index < self.n_faqs and (self.asks[index] or told) and asks not in self.asks[index]:
                score -= w.other_question  # "why would needles help" is not a "who does it" question
            results.append(Scored(self.targets[index], round(100 * min(score, 1.0), 1)))
        results.sort(key=lambda s: (-s.score, s.target.id))
        return results
