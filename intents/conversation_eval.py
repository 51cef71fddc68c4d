"""Measuring follow-ups: a labelled set of multi-turn conversations.

The set is a list of ``{id, turns: [{text, expect, followup}, ...]}``; ``expect``
is as in :mod:`intents.evaluation` and ``followup`` says whether the turn only
makes sense after the earlier ones. :func:`evaluate_conversations` feeds the
turns through :meth:`Conversations.answer <intents.conversation.Conversations.answer>`,
the path every transport uses, with the conversations interleaved round-robin,
each under its own conversation id, so a context that leaks between
conversations shows up as misses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .content import Problem
from .conversation import Conversations
from .engine import Engine
from .evaluation import SPECIAL, Miss, Question, Report, _judge

#: The groups of turns measured separately.
GROUPS = ("follow-up", "standalone", "first turn")


@dataclass(frozen=True)
class Turn:
    question: Question
    followup: bool


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


@dataclass
class ConversationReport:
    counts: dict[str, int] = field(default_factory=dict)
    passed: dict[str, int] = field(default_factory=dict)
    confidently_wrong: int = 0
    false_emergencies: int = 0
    missing_disclaimer: int = 0
    misses: list[tuple[str, int, Miss]] = field(default_factory=list)

    def rate(self, group: str) -> float:
        total = self.counts.get(group, 0)
        return self.passed.get(group, 0) / total if total else 1.0


def parse_conversations(data: Any, *, known_ids: Iterable[str], path: str = "<data>", positions: dict | None = None) -> list[Conversation]:
    """Turn loaded YAML into conversations; raises ``ValueError`` listing every bad item."""
    positions = positions or {}
    known = set(known_ids)
    problems: list[str] = []
    out: list[Conversation] = []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of {{id: ..., turns: [...]}} conversations")
    seen: set[str] = set()
    for index, item in enumerate(data):
        label = f"conversation {index + 1}"
        line = positions.get((index,))
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("turns"), list) or not item["turns"]:
            problems.append(str(Problem(path, line, label, "needs 'id' and a non-empty list of 'turns'")))
            continue
        label = item["id"]
        if label in seen:
            problems.append(str(Problem(path, line, label, "repeats an earlier conversation id")))
        seen.add(label)
        turns = []
        for number, turn in enumerate(item["turns"]):
            where = positions.get((index, "turns", number), line)
            expect = turn.get("expect") if isinstance(turn, dict) else None
            values = tuple(expect) if isinstance(expect, list) else (expect,)
            if (
                not isinstance(turn, dict)
                or not isinstance(turn.get("text"), str)
                or not isinstance(turn.get("followup"), bool)
                or not values
                or not all(isinstance(v, str) and (v in known or v in SPECIAL) for v in values)
            ):
                problems.append(str(Problem(path, where, label, f"turn {number + 1} needs 'text', 'followup' (true/false) and 'expect' (known FAQ ids or {'/'.join(SPECIAL)})")))
                continue
            turns.append(Turn(Question(turn["text"], values, where), turn["followup"]))
        out.append(Conversation(label, tuple(turns)))
    if problems:
        raise ValueError("\n".join(problems))
    return out


def evaluate_conversations(engine: Engine, conversations: list[Conversation], *, stateless: bool = False) -> ConversationReport:
    """Answer every turn, conversations interleaved round-robin; ``stateless`` answers each turn on its own."""
    store = Conversations()
    report = ConversationReport()
    longest = max((len(c.turns) for c in conversations), default=0)
    for number in range(longest):
        for conversation in conversations:
            if number >= len(conversation.turns):
                continue
            turn = conversation.turns[number]
            reply = store.answer(engine, conversation.id, turn.question.text, stateless=stateless)
            groups = ["follow-up" if turn.followup else "standalone"] + (["first turn"] if number == 0 else [])
            scratch = Report()
            why = _judge(turn.question, reply, scratch)
            report.confidently_wrong += scratch.confidently_wrong
            if not reply.text.endswith(engine.disclaimer):
                report.missing_disclaimer += 1
            if reply.kind == "emergency" and turn.question.category != "emergency":
                report.false_emergencies += 1
            for group in groups:
                report.counts[group] = report.counts.get(group, 0) + 1
                if why is None:
                    report.passed[group] = report.passed.get(group, 0) + 1
            if why is not None:
                report.misses.append((conversation.id, number + 1, Miss(turn.question, reply, why)))
    return report


def format_conversation_report(report: ConversationReport, *, show_misses: bool = True) -> str:
    lines = [f"turns:                    {sum(report.counts.get(g, 0) for g in GROUPS[:2])}"]
    for group in GROUPS:
        lines.append(f"{group + ' top-1:':<26}{report.rate(group):.3f}  ({report.passed.get(group, 0)}/{report.counts.get(group, 0)})")
    lines += [
        f"confidently wrong:        {report.confidently_wrong}",
        f"false emergencies:        {report.false_emergencies}",
        f"missing disclaimer:       {report.missing_disclaimer}",
    ]
    if show_misses and report.misses:
        lines += ["", f"misses ({len(report.misses)}):"]
        for conversation, number, miss in report.misses:
            lines.append(f"  {conversation} turn {number} [{'/'.join(miss.question.expect)}] {miss.question.text!r}: {miss.why}")
    return "\n".join(lines)
