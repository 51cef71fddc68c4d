"""Grouping what patients asked that the bot could not answer, for staff to review.

Pure functions over plain strings: the transport layer reads the questions
from the log and prints or sends what these return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .engine import Engine
from .text import normalize

#: Two questions belong together when their words are at least this similar (rapidfuzz, 0-100).
GROUP_CUTOFF = 75.0


@dataclass(frozen=True)
class Group:
    example: str
    count: int
    questions: tuple[str, ...]
    nearest: str | None  # the closest FAQ entry, if any
    nearest_score: float
    topic: str | None = None  # the not-covered topic these questions reached, if any


def group_questions(questions: Sequence[str], *, cutoff: float = GROUP_CUTOFF) -> list[list[str]]:
    """Greedy grouping by ``token_sort_ratio`` of the normalised text; biggest group first.

    >>> group_questions(["How much is it?", "how much is it", "Is it safe when pregnant?", "how much is it??"])
    [['How much is it?', 'how much is it', 'how much is it??'], ['Is it safe when pregnant?']]
    """
    groups: list[tuple[str, list[str]]] = []
    for question in questions:
        key = normalize(question)
        for leader, members in groups:
            if fuzz.token_sort_ratio(key, leader, score_cutoff=cutoff):
                members.append(question)
                break
        else:
            groups.append((key, [question]))
    ordered = sorted(groups, key=lambda g: -len(g[1]))  # stable: first seen first among equals
    return [members for _, members in ordered]


def review(questions: Sequence[tuple[str, str | None]], engine: Engine, *, limit: int | None = None) -> list[Group]:
    """Groups of unanswered (question, not-covered topic) pairs, most frequent first.

    Questions that reached the same not-covered topic form one group; the
    others are grouped by similarity and shown with the nearest FAQ entry.
    """
    by_topic: dict[str, list[str]] = {}
    loose: list[str] = []
    for question, topic in questions:
        (by_topic.setdefault(topic, []) if topic else loose).append(question)
    out = []
    for topic, members in by_topic.items():
        out.append(Group(max(members, key=members.count), len(members), tuple(members), None, 0.0, topic))
    for members in group_questions(loose):
        example = max(members, key=members.count)
        ranked = [(e, s) for e, s in engine.rank(example, limit=1) if s >= engine.policy.clarify_threshold]
        nearest, score = (ranked[0][0].id, ranked[0][1]) if ranked else (None, 0.0)
        out.append(Group(example, len(members), tuple(members), nearest, score))
    out.sort(key=lambda g: -g.count)
    return out[:limit]


def format_groups(groups: Sequence[Group]) -> list[str]:
    lines = []
    for group in groups:
        if group.topic:
            nearest = f"not covered: {group.topic}"
        elif group.nearest:
            nearest = f"nearest: {group.nearest} ({group.nearest_score:g})"
        else:
            nearest = "nearest: none (a new entry?)"
        lines.append(f"{group.count:>4}  {group.example!r}  {nearest}")
    return lines


def format_totals(kinds: Mapping[str, int], topics: Mapping[str, int], *, top: int = 5) -> list[str]:
    lines = ["Replies by kind: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])) or "none")]
    best = sorted(topics.items(), key=lambda kv: -kv[1])[:top]
    lines.append("Most asked topics: " + (", ".join(f"{k} {v}" for k, v in best) or "none"))
    return lines
