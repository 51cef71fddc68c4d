"""Measuring the engine on a labelled question set.

The set is a list of ``{q: message, expect: ...}`` items, where ``expect`` is a
FAQ id, a list of acceptable FAQ ids, or one of ``out-of-scope``,
``smalltalk`` and ``emergency``. :func:`parse_questions` checks plain data,
:func:`evaluate` runs an engine over it; neither touches files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .content import Problem
from .engine import Engine, Reply
from .text import normalize

SPECIAL = ("out-of-scope", "smalltalk", "emergency")
_RAW_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|\[\s*(add|todo|tbd|fixme)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    text: str
    expect: tuple[str, ...]  # acceptable FAQ ids, or one special label
    line: int | None = None

    @property
    def category(self) -> str:
        return self.expect[0] if self.expect[0] in SPECIAL else "in-scope"


@dataclass(frozen=True)
class Miss:
    question: Question
    reply: Reply
    why: str


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    passed: dict[str, int] = field(default_factory=dict)
    clarified: int = 0
    #: Out-of-scope messages answered with a "did you mean" list of FAQ topics.
    suggested_out_of_scope: int = 0
    #: Out-of-scope messages answered with an FAQ entry.
    answered_out_of_scope: int = 0
    #: Replies that show a raw {placeholder} or a bracketed to-do.
    raw_placeholders: int = 0
    confidently_wrong: int = 0
    false_emergencies: int = 0
    missing_disclaimer: int = 0
    misses: list[Miss] = field(default_factory=list)

    def rate(self, category: str) -> float:
        total = self.counts.get(category, 0)
        return self.passed.get(category, 0) / total if total else 1.0

    @property
    def metrics(self) -> dict[str, float]:
        in_scope = self.counts.get("in-scope", 0)
        return {
            "in_scope_top1": self.rate("in-scope"),
            "clarified_rate": self.clarified / in_scope if in_scope else 0.0,
            "out_of_scope_rejection": self.rate("out-of-scope"),
            "smalltalk_recall": self.rate("smalltalk"),
            "emergency_recall": self.rate("emergency"),
            "false_emergencies": float(self.false_emergencies),
            "confidently_wrong": float(self.confidently_wrong),
            "confidently_wrong_rate": self.confidently_wrong / total if (total := sum(self.counts.values())) else 0.0,
            "out_of_scope_answered": self.answered_out_of_scope / oos if (oos := self.counts.get("out-of-scope", 0)) else 0.0,
            "out_of_scope_suggested": self.suggested_out_of_scope / oos if oos else 0.0,
            "raw_placeholders": float(self.raw_placeholders),
            "missing_disclaimer": float(self.missing_disclaimer),
        }


def parse_questions(data: Any, *, known_ids: Iterable[str], path: str = "<data>", positions: dict | None = None) -> list[Question]:
    """Turn loaded YAML into questions; raises ``ValueError`` listing every bad item."""
    positions = positions or {}
    known = set(known_ids)
    problems: list[str] = []
    out: list[Question] = []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of {{q: ..., expect: ...}} items")
    for index, item in enumerate(data):
        line = positions.get((index,))
        label = f"item {index + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            problems.append(str(Problem(path, line, label, "needs 'q' (the message) and 'expect'")))
            continue
        expect = item.get("expect")
        values = tuple(expect) if isinstance(expect, list) else (expect,)
        if not values or not all(isinstance(v, str) for v in values):
            problems.append(str(Problem(path, line, label, "'expect' must be a FAQ id, a list of ids, or out-of-scope/smalltalk/emergency")))
            continue
        unknown = [v for v in values if v not in known and v not in SPECIAL]
        if unknown:
            problems.append(str(Problem(path, line, label, f"expects unknown FAQ id {', '.join(unknown)}")))
            continue
        out.append(Question(item["q"], values, line))
    if problems:
        raise ValueError("\n".join(problems))
    return out


def leave_out(data: dict[str, Any], questions: Iterable[Question], *, cutoff: float = 85.0) -> dict[str, Any]:
    """FAQ *data* without the alternates that are near-copies (rapidfuzz ratio >= *cutoff*) of *questions*.

    Measuring on a question set after this estimates how the bot does on
    phrasings nobody wrote into the FAQ. *data* is not changed.
    """
    keys = [normalize(q.text) for q in questions]
    out = dict(data)
    out["faqs"] = [
        {**entry, "alternates": [a for a in entry.get("alternates") or [] if not any(fuzz.ratio(normalize(a), k) >= cutoff for k in keys)]}
        for entry in data["faqs"]
    ]
    return out


def evaluate(engine: Engine, questions: Iterable[Question]) -> Report:
    """Answer every question and score the replies."""
    report = Report()
    for question in questions:
        reply = engine.answer(question.text)
        category = question.category
        report.counts[category] = report.counts.get(category, 0) + 1
        if not reply.text.endswith(engine.disclaimer):
            report.missing_disclaimer += 1
        if reply.kind == "emergency" and category != "emergency":
            report.false_emergencies += 1
        if _RAW_PLACEHOLDER.search(reply.text):
            report.raw_placeholders += 1
        if category == "out-of-scope" and reply.kind == "clarify":
            report.suggested_out_of_scope += 1
        if category == "out-of-scope" and reply.kind == "faq":
            report.answered_out_of_scope += 1
        why = _judge(question, reply, report)
        if why is None:
            report.passed[category] = report.passed.get(category, 0) + 1
        else:
            report.misses.append(Miss(question, reply, why))
    return report


def _judge(question: Question, reply: Reply, report: Report) -> str | None:
    """Return why *reply* is wrong for *question*, or ``None`` when it is right."""
    category = question.category
    if category == "in-scope":
        if reply.kind == "faq" and reply.faq_id in question.expect:
            return None
        if reply.kind == "faq":
            report.confidently_wrong += 1
            return f"answered {reply.faq_id} (wrong)"
        if reply.kind == "clarify":
            report.clarified += 1
            offered = [s.faq_id for s in reply.suggestions]
            hit = "right one offered" if set(offered) & set(question.expect) else "right one not offered"
            return f"asked to clarify: {', '.join(offered)} ({hit})"
        return f"got {reply.kind}"
    if category == "out-of-scope":
        if reply.kind == "faq":
            report.confidently_wrong += 1
            return f"answered {reply.faq_id} (should not answer)"
        if reply.kind == "emergency":
            return "treated as an emergency"
        return None
    if reply.kind == category:
        return None
    return f"got {reply.kind}{' ' + reply.faq_id if reply.faq_id else ''}"


def format_report(report: Report, *, show_misses: bool = True) -> str:
    """The report as the text ``bot.py eval`` prints."""
    m = report.metrics
    total = sum(report.counts.values())
    lines = [
        f"questions:                {total}",
        f"in-scope top-1 accuracy:  {m['in_scope_top1']:.3f}  ({report.passed.get('in-scope', 0)}/{report.counts.get('in-scope', 0)})",
        f"clarified rate:           {m['clarified_rate']:.3f}  ({report.clarified}/{report.counts.get('in-scope', 0)})",
        f"out-of-scope rejection:   {m['out_of_scope_rejection']:.3f}  ({report.passed.get('out-of-scope', 0)}/{report.counts.get('out-of-scope', 0)})",
        f"smalltalk recall:         {m['smalltalk_recall']:.3f}  ({report.passed.get('smalltalk', 0)}/{report.counts.get('smalltalk', 0)})",
        f"emergency recall:         {m['emergency_recall']:.3f}  ({report.passed.get('emergency', 0)}/{report.counts.get('emergency', 0)})",
        f"false emergencies:        {report.false_emergencies}",
        f"confidently wrong:        {report.confidently_wrong}  ({m['confidently_wrong_rate']:.1%} of all)",
        f"out-of-scope answered:    {m['out_of_scope_answered']:.3f}  (with a FAQ entry)",
        f"out-of-scope suggested:   {m['out_of_scope_suggested']:.3f}  (with a 'did you mean' list)",
        f"raw placeholders:         {report.raw_placeholders}",
        f"missing disclaimer:       {report.missing_disclaimer}",
    ]
    if show_misses and report.misses:
        lines.append("")
        lines.append(f"misses ({len(report.misses)}):")
        for miss in report.misses:
            expect = "/".join(miss.question.expect)
            lines.append(f"  [{expect}] {miss.question.text!r}: {miss.why} (score {miss.reply.score})")
    return "\n".join(lines)
