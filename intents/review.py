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
    members: tuple[int, ...] = ()  # positions of the questions in the list given to :func:`review`


def group_questions(questions: Sequence[str], *, cutoff: float = GROUP_CUTOFF) -> list[list[str]]:
    """Greedy grouping by ``token_sort_ratio`` of the normalised text; biggest group first.

    >>> group_questions(["How much is it?", "how much is it", "Is it safe when pregnant?", "how much is it??"])
    [['How much is it?', 'how much is it', 'how much is it??'], ['Is it safe when pregnant?']]
    """
    return [[questions[i] for i in members] for members in _group_positions(questions, cutoff=cutoff)]


def _group_positions(questions: Sequence[str], *, cutoff: float = GROUP_CUTOFF) -> list[list[int]]:
    groups: list[tuple[str, list[int]]] = []
    for position, question in enumerate(questions):
        key = normalize(question)
        for leader, members in groups:
            if fuzz.token_sort_ratio(key, leader, score_cutoff=cutoff):
                members.append(position)
                break
        else:
            groups.append((key, [position]))
    ordered = sorted(groups, key=lambda g: -len(g[1]))  # stable: first seen first among equals
    return [members for _, members in ordered]


def review(questions: Sequence[tuple[str, str | None]], engine: Engine, *, limit: int | None = None) -> list[Group]:
    """Groups of unanswered (question, not-covered topic) pairs, most frequent first.

    Questions that reached the same not-covered topic form one group; the
    others are grouped by similarity and shown with the nearest FAQ entry.
    """
    by_topic: dict[str, list[int]] = {}
    loose: list[int] = []
    for position, (question, topic) in enumerate(questions):
        (by_topic.setdefault(topic, []) if topic else loose).append(position)
    out = []
    for topic, positions in by_topic.items():
        members = [questions[i][0] for i in positions]
        out.append(Group(max(members, key=members.count), len(members), tuple(members), None, 0.0, topic, tuple(positions)))
    for group in _group_positions([questions[i][0] for i in loose]):
        positions = [loose[i] for i in group]
        members = [questions[i][0] for i in positions]
        example = max(members, key=members.count)
        ranked = [(e, s) for e, s in engine.rank(example, limit=1) if s >= engine.policy.clarify_threshold]
        nearest, score = (ranked[0][0].id, ranked[0][1]) if ranked else (None, 0.0)
        out.append(Group(example, len(members), tuple(members), nearest, score, None, tuple(positions)))
    out.sort(key=lambda g: -g.count)
    return out[:limit]


def format_groups(groups: Sequence[Group], *, numbers: Sequence[int] | None = None) -> list[str]:
    """One line per group; with *numbers*, each line starts with its group number (for ``teach``)."""
    lines = []
    for index, group in enumerate(groups):
        if group.topic:
            nearest = f"not covered: {group.topic}"
        elif group.nearest:
            nearest = f"nearest: {group.nearest} ({group.nearest_score:g})"
        else:
            nearest = "nearest: none (a new entry?)"
        number = f"#{numbers[index]:<4}" if numbers is not None else ""
        lines.append(f"{number}{group.count:>4}  {group.example!r}  {nearest}")
    return lines


def format_totals(kinds: Mapping[str, int], topics: Mapping[str, int], *, top: int = 5) -> list[str]:
    lines = ["Replies by kind: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])) or "none")]
    best = sorted(topics.items(), key=lambda kv: -kv[1])[:top]
    lines.append("Most asked topics: " + (", ".join(f"{k} {v}" for k, v in best) or "none"))
    return lines
