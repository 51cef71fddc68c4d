"""``bot.py check``: everything wrong or risky in a FAQ file, one line per problem.

On top of the schema rules of :func:`intents.content.check_content` it runs
every question and alternate through the engine (collisions: a phrasing that
would reach another entry, or only with a small margin) and measures each
answer's reading level.
"""

from __future__ import annotations

import re
from pathlib import Path

from .content import CLINIC_ANSWER, Content, ContentError, Path_, Problem, check_content, parse_content, parse_yaml, read_yaml
from .engine import Engine

#: Answers above this Flesch-Kincaid grade get a warning.
MAX_GRADE = 8.0

_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Estimate the syllables of an English word (the usual vowel-group heuristic).

    >>> [syllables(w) for w in ("needle", "the", "physical", "therapy", "released", "twitches")]
    [2, 1, 3, 3, 2, 2]
    """
    word = word.lower().strip("'")
    if len(word) <= 3:
        return 1
    if re.search(r"(?:[^td]ed|[^sxzhcg]es)$", word):
        word = word[:-2]
    elif word.endswith("e") and not re.search(r"[^aeiouy]le$", word):
        word = word[:-1]
    return max(1, len(_VOWEL_GROUPS.findall(word)))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of *text* (about the US school grade needed to read it).

    >>> reading_grade("The cat sat on the mat. It was warm.") < 2
    True
    >>> reading_grade("Neuromuscular reeducation necessitates comprehensive interdisciplinary evaluation.") > 12
    True
    """
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    total_syllables = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * total_syllables / len(words) - 15.59, 1)


def check_file(path: str | Path) -> list[Problem]:
    """Every problem with the FAQ file at *path*: YAML, schema, collisions, reading level."""
    name = str(path)
    try:
        data, positions = read_yaml(path)
    except ContentError as exc:
        return exc.problems
    return _check_data(data, positions, name)


def check_text(text: str, *, name: str = "<text>") -> list[Problem]:
    """:func:`check_file` for FAQ text not written to disk yet (a change about to be made)."""
    try:
        data, positions = parse_yaml(text, name=name)
    except ContentError as exc:
        return exc.problems
    return _check_data(data, positions, name)


def _check_data(data: object, positions: dict[Path_, int], name: str) -> list[Problem]:
    problems = check_content(data, path=name, positions=positions)
    if any(p.severity == "error" for p in problems):
        return problems
    content = parse_content(data, path=name, positions=positions)
    return problems + collisions(content, positions=positions) + reading_levels(content, positions=positions)


def _line(positions: dict[Path_, int], at: Path_) -> int | None:
    return positions.get(at)


def collisions(content: Content, *, positions: dict[Path_, int] | None = None) -> list[Problem]:
    """Phrasings that look as much like another entry as like their own.

    Each question and alternate is scored as if it were a patient's message and
    were not listed itself, so it has to find its entry through the others.
    Another entry scoring clearly higher (by the answer margin) is an error:
    patients asking this way would get that entry's answer. One scoring about
    as high is a warning: they will be asked "did you mean". Between two entries that list each
    other as ``related`` (known neighbours), it is a note.
    """
    positions = positions or {}
    engine = Engine(content)
    margin = engine.policy.margin
    problems: list[Problem] = []
    for index, entry in enumerate(content.faqs):
        for number, phrasing in enumerate(entry.phrasings):
            at: Path_ = ("faqs", index, "question") if number == 0 else ("faqs", index, "alternates", number - 1)
            analysis = engine.analyzer.analyze(phrasing)
            ranked = [s for s in engine.matcher.score(analysis, leave_out=True) if s.target.kind == "faq"]
            own = next((s.score for s in ranked if s.target.id == entry.id), 0.0)
            rival = next((s for s in ranked if s.target.id != entry.id), None)
            if rival is None or rival.score < own - margin:
                continue
            scores = f"{entry.id} {own:g}, {rival.target.id} {rival.score:g}"
            if rival.score >= own + margin:
                message = f"'{phrasing}' belongs to entry '{rival.target.id}' rather (scores: {scores})"
                problems.append(Problem(content.path, _line(positions, at), entry.id, message))
            else:
                how = "looks as much like" if rival.score >= own else "is close to"
                other = next((e for e in content.faqs if e.id == rival.target.id), None)
                neighbours = rival.target.id in entry.related or (other is not None and entry.id in other.related)
                if neighbours:  # the FAQ already says the two are related: information, not a fault
                    message = (f"'{phrasing}' {how} related entry '{rival.target.id}' (scores: {scores}); "
                               "patients who word it differently may be asked 'did you mean' between the two")
                    problems.append(Problem(content.path, _line(positions, at), entry.id, message, "note"))
                else:
                    message = f"'{phrasing}' {how} entry '{rival.target.id}' (scores: {scores}); patients may be asked 'did you mean'"
                    problems.append(Problem(content.path, _line(positions, at), entry.id, message, "warning"))
    return problems


def reading_levels(content: Content, *, positions: dict[Path_, int] | None = None, limit: float = MAX_GRADE) -> list[Problem]:
    """A warning for every answer above grade *limit*."""
    positions = positions or {}
    problems = []
    texts: list[tuple[Path_, str, str, str]] = [(("faqs", i, "answer"), e.id, "answer", e.answer) for i, e in enumerate(content.faqs)]
    texts += [
        (("not_covered", i, CLINIC_ANSWER), t.id, CLINIC_ANSWER, t.clinic_answer)
        for i, t in enumerate(content.not_covered)
        if t.clinic_answer
    ]
    for at, owner, key, text in texts:
        grade = reading_grade(text)
        if grade > limit:
            problems.append(
                Problem(content.path, _line(positions, at), owner,
                        f"{key} reads at grade {grade:g}; aim for {limit:g} or lower (shorter sentences, plainer words)", "warning")
            )
    return problems


def summary(problems: list[Problem], path: str) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    notes = sum(1 for p in problems if p.severity == "note")
    warnings = len(problems) - errors - notes
    state = "OK" if not errors else "NOT USABLE"
    line = f"{path}: {state}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return line + (f", {notes} note{'s' * (notes != 1)}" if notes else "")


__all__ = ["MAX_GRADE", "check_file", "check_text", "collisions", "reading_grade", "reading_levels", "summary", "syllables"]
