"""Scoring a question against the FAQ entries and the topics the FAQ does not cover.

Plain fuzzy nearest-neighbour matching is fooled by shared filler words, so
the score of a target (a FAQ entry or a not-covered topic) combines:

* ``overlap``: the best IDF-weighted F1 between the question's terms and one
  phrasing's terms (words that appear in most entries, such as "dry
  needling", weigh almost nothing; words the FAQ never uses count against);
* ``coverage``: how much of the question the target's whole vocabulary
  (all its phrasings, and more weakly its answer) explains;
* ``fuzzy``: rapidfuzz ``token_sort_ratio`` between the term strings, which
  forgives the typos that word-level correction missed.

A target is only a candidate if it shares at least one informative term with
the question (or a phrasing matches the whole question exactly). Everything
that can be computed ahead of a question is computed in :class:`Matcher`'s
constructor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .analysis import Analysis, Analyzer
from .content import Content

#: Weight of a question term the FAQ never uses: it is evidence the question is about something else.
UNKNOWN_TERM_WEIGHT = 2.0
#: Terms present in more than this share of the targets are not informative on their own.
INFORMATIVE_SHARE = 0.2
#: How much an answer-only term counts towards coverage, compared with a phrasing term.
ANSWER_TERM_FACTOR = 0.5

W_OVERLAP = 0.55
W_COVERAGE = 0.25
W_FUZZY = 0.20


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


class Matcher:
    """Index of every phrasing; :meth:`score` ranks the targets for one analysed question."""

    def __init__(self, content: Content, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.targets: list[Target] = []
        per_target_texts: list[list[str]] = []
        answer_texts: list[str] = []
        for entry in content.faqs:
            self.targets.append(Target(entry.id, "faq"))
            per_target_texts.append(list(entry.phrasings))
            answer_texts.append(entry.answer)
        for topic in content.not_covered:
            self.targets.append(Target(topic.id, "not_covered"))
            per_target_texts.append([*topic.keywords, *topic.examples])
            answer_texts.append("")

        analysed = [[analyzer.analyze(t) for t in texts] for texts in per_target_texts]
        df: dict[str, int] = {}
        for target_analyses in analysed:
            for term in {t for a in target_analyses for t in a.terms}:
                df[term] = df.get(term, 0) + 1
        n = len(self.targets)
        self.idf = {term: max(0.05, math.log((n + 1) / (count + 0.5))) for term, count in df.items()}
        limit = max(2, INFORMATIVE_SHARE * n)
        self.informative = frozenset(term for term, count in df.items() if count <= limit)

        self.exact: dict[str, int] = {}
        self.phrasings: list[_Phrasing] = []
        self.postings: dict[str, list[int]] = {}
        self.bags: list[dict[str, float]] = []
        for index, target_analyses in enumerate(analysed):
            bag: dict[str, float] = {}
            for a in analyzer.analyze(answer_texts[index]).terms if answer_texts[index] else ():
                if a in self.idf:
                    bag[a] = ANSWER_TERM_FACTOR
            for analysis in target_analyses:
                self.exact.setdefault(analysis.normalized, index)
                terms = frozenset(analysis.terms)
                if not terms:
                    continue
                for term in terms:
                    bag[term] = 1.0
                self.phrasings.append(
                    _Phrasing(index, terms, sum(self.idf[t] for t in terms), " ".join(sorted(terms)))
                )
            self.bags.append(bag)
            for term in bag:
                if term in self.informative:
                    self.postings.setdefault(term, []).append(index)
        self.by_target: list[list[_Phrasing]] = [[] for _ in self.targets]
        for phrasing in self.phrasings:
            self.by_target[phrasing.target].append(phrasing)
        # Targets with a phrasing made only of common words ("what is dry needling") stay
        # reachable by questions that have no informative word either.
        self.generic: dict[str, list[int]] = {}
        for phrasing in self.phrasings:
            if not phrasing.terms & self.informative:
                for term in phrasing.terms:
                    if phrasing.target not in self.generic.setdefault(term, []):
                        self.generic[term].append(phrasing.target)

    def weight(self, term: str) -> float:
        return self.idf.get(term, UNKNOWN_TERM_WEIGHT)

    def score(self, analysis: Analysis) -> list[Scored]:
        """Rank the targets for one analysed question, best first; only candidates are returned."""
        exact = self.exact.get(analysis.normalized)
        if exact is not None:
            return [Scored(self.targets[exact], 100.0)]
        terms = analysis.terms
        if not terms:
            return []
        weights = {t: self.weight(t) for t in terms}
        total = sum(weights.values())
        candidates = {index for term in terms for index in self.postings.get(term, ())}
        candidates.update(index for term in terms for index in self.generic.get(term, ()))
        joined = " ".join(sorted(terms))
        results: list[Scored] = []
        for index in candidates:
            bag = self.bags[index]
            coverage = sum(w * bag.get(t, 0.0) for t, w in weights.items()) / total
            overlap = 0.0
            fuzzy = 0.0
            for phrasing in self.by_target[index]:
                shared = sum(weights[t] for t in phrasing.terms if t in weights)
                if shared:
                    precision = shared / total
                    recall = shared / phrasing.weight
                    overlap = max(overlap, 2 * precision * recall / (precision + recall))
                fuzzy = max(fuzzy, fuzz.token_sort_ratio(joined, phrasing.joined) / 100)
            score = W_OVERLAP * overlap + W_COVERAGE * coverage + W_FUZZY * fuzzy
            results.append(Scored(self.targets[index], round(100 * score, 1)))
        results.sort(key=lambda s: -s.score)
        return results


def best_of(scored: Sequence[Scored], kind: str) -> list[Scored]:
    return [s for s in scored if s.target.kind == kind]
