"""Answer quality on the labelled question sets: later changes cannot silently lower it.

`dev-questions.yaml` is the team's labelled set. Its near-copies are part of
the FAQ's alternates, so a second measurement removes them from the FAQ first
(`leave_out`), which estimates how the bot does on phrasings nobody has seen.
The other sets were written from the article by authors who never saw the FAQ;
each file's header gives its first run, measured before the changes it led to.
Every set's floor is the figure measured when it was last raised: on every set,
every emergency is caught and every reply ends with the disclaimer and shows no
raw placeholder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from intents import Engine, parse_content, read_yaml
from intents.evaluation import Report, evaluate, leave_out, parse_questions

from .conftest import DATA, FAQ_PATH


@dataclass(frozen=True)
class Floor:
    """What one labelled set must keep: ``None`` leaves a measure unchecked."""

    name: str
    #: At least this many questions of each category, so a shrunken file cannot pass.
    counts: dict[str, int] = field(default_factory=dict)
    top1: float | None = None  # in-scope answered with the right entry, at least
    clarified: float | None = None  # in-scope answered "did you mean" when one entry was right, at most
    wrong: float | None = None  # confidently wrong answers among all its questions, at most (a share)
    refused: float | None = None  # out-of-scope questions refused, at least
    answered: float | None = None  # out-of-scope questions answered with an entry, at most
    suggested: float | None = None  # out-of-scope questions offered a "did you mean" list, at most
    smalltalk: float | None = None  # smalltalk recognised, at least
    false_alarms: int = 0  # ordinary messages treated as emergencies, at most


FLOORS = [
    Floor("dev-questions.yaml", {"in-scope": 80}, top1=1.0, wrong=0.0, refused=1.0, smalltalk=1.0),
    Floor("extra-questions.yaml", {"out-of-scope": 30}, top1=1.0, wrong=0.0, refused=1.0, smalltalk=1.0),
    Floor("heldout-questions.yaml", {"in-scope": 140}, top1=0.986, wrong=0.0, refused=1.0, smalltalk=1.0),
    Floor("fresh-questions.yaml", {"emergency": 30, "in-scope": 120}, top1=0.985, clarified=0.015, wrong=0.0,
          refused=1.0, smalltalk=1.0),
    Floor("fresh-questions-2.yaml", {"emergency": 40, "in-scope": 150}, top1=0.95, wrong=0.0, refused=1.0),
    Floor("fresh-questions-3.yaml", {"emergency": 45, "in-scope": 170}, top1=0.943, wrong=0.0069, refused=0.982,
          smalltalk=1.0),
    Floor("fresh-questions-4.yaml", {"emergency": 45, "in-scope": 180}, top1=1.0, wrong=0.0, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-5.yaml", {"emergency": 35, "in-scope": 200}, top1=0.975, wrong=0.0029, refused=0.989,
          smalltalk=1.0),
    Floor("fresh-questions-6.yaml", {"emergency": 30, "in-scope": 210}, top1=0.958, wrong=0.003, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-7.yaml", {"emergency": 35, "in-scope": 230}, top1=0.931, wrong=0.0055, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-8.yaml", {"emergency": 45, "in-scope": 200}, top1=0.96, wrong=0.0, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-9.yaml", {"emergency": 45, "in-scope": 200}, top1=0.98, wrong=0.003, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-10.yaml", {"emergency": 45, "in-scope": 210}, top1=0.968, wrong=0.0029, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-11.yaml", {"emergency": 40, "in-scope": 210}, top1=0.917, wrong=0.0058, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-12.yaml", {"emergency": 40, "in-scope": 210}, top1=0.948, wrong=0.0057, refused=1.0,
          smalltalk=1.0),
    Floor("fresh-questions-13.yaml", {"emergency": 40, "in-scope": 210}, top1=0.925, wrong=0.0086, refused=0.987,
          smalltalk=1.0),
    Floor("fresh-questions-14.yaml", {"emergency": 40, "in-scope": 210}, top1=0.877, wrong=0.0315, refused=0.925,
          smalltalk=1.0),
    Floor("fresh-questions-15.yaml", {"emergency": 40, "in-scope": 215}, top1=0.909, wrong=0.0082, refused=0.989,
          smalltalk=1.0),
    Floor("fresh-questions-16.yaml", {"emergency": 30, "in-scope": 130}, top1=0.925, wrong=0.018, refused=1.0,
          smalltalk=0.916),
    Floor("clinic-faq-style.yaml", {"out-of-scope": 90}, top1=1.0, wrong=0.0, refused=1.0),
    Floor("clinic-faq-style-2.yaml", {"out-of-scope": 130}, top1=1.0, wrong=0.009, refused=0.985),
    Floor("clinic-faq-style-3.yaml", {"out-of-scope": 130}, top1=1.0, wrong=0.0, refused=1.0),
    Floor("clinic-faq-style-4.yaml", {"out-of-scope": 110}, top1=0.972, wrong=0.0038, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-5.yaml", {"out-of-scope": 110}, top1=0.948, wrong=0.0, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-6.yaml", {"out-of-scope": 90}, top1=0.993, wrong=0.0, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-7.yaml", {"out-of-scope": 80}, top1=0.95, wrong=0.0038, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-8.yaml", {"out-of-scope": 70}, top1=0.9, wrong=0.0037, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-9.yaml", {"out-of-scope": 75}, top1=0.971, wrong=0.0, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-10.yaml", {"out-of-scope": 70}, top1=0.977, wrong=0.0037, refused=0.986, smalltalk=1.0),
    Floor("clinic-faq-style-11.yaml", {"out-of-scope": 75}, top1=0.944, wrong=0.0072, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-12.yaml", {"out-of-scope": 75}, top1=0.933, wrong=0.018, refused=1.0, smalltalk=1.0),
    Floor("clinic-faq-style-13.yaml", {"out-of-scope": 75}, top1=0.841, wrong=0.0391, refused=0.947, smalltalk=0.9),
    Floor("clinic-faq-style-14.yaml", {"out-of-scope": 75}, top1=0.867, wrong=0.0239, refused=0.975, smalltalk=0.909),
    Floor("everyday-requests.yaml", {"out-of-scope": 550}, answered=0.0, suggested=0.0),
    Floor("everyday-requests-2.yaml", {"out-of-scope": 900}, answered=0.0022, suggested=0.0022),
    Floor("everyday-requests-3.yaml", {"out-of-scope": 870}, answered=0.0, suggested=0.0046),
    Floor("everyday-requests-4.yaml", {"out-of-scope": 1270}, answered=0.0, suggested=0.0063),
    Floor("everyday-requests-5.yaml", {"out-of-scope": 2160}, answered=0.0005, suggested=0.0028),
    # emergencies in everyday words and look-alikes
    Floor("emergency-words.yaml", {"emergency": 220}, refused=1.0),
    Floor("emergency-words-3.yaml", {"emergency": 90}, refused=1.0),
    Floor("emergency-words-4.yaml", {"emergency": 130}, refused=1.0, smalltalk=1.0),
    Floor("emergency-words-5.yaml", {"emergency": 145}, refused=1.0),
    Floor("emergency-words-6.yaml", {"emergency": 150}, refused=1.0, smalltalk=0.866),
    Floor("emergency-words-7.yaml", {"emergency": 160}, refused=1.0, smalltalk=1.0),
    Floor("emergency-words-8.yaml", {"emergency": 160}, refused=1.0, smalltalk=0.75),
    Floor("emergency-words-9.yaml", {"emergency": 160}, refused=1.0, smalltalk=0.833),
    Floor("emergency-words-10.yaml", {"emergency": 160}, refused=1.0, smalltalk=1.0),
    Floor("emergency-words-11.yaml", {"emergency": 160}, refused=1.0, smalltalk=1.0),
    Floor("emergency-words-12.yaml", {"emergency": 160}, refused=1.0),
    Floor("emergency-words-13.yaml", {"emergency": 160}, refused=1.0),
    Floor("emergency-words-14.yaml", {"emergency": 160}, refused=0.933, false_alarms=1),
    Floor("emergency-words-15.yaml", {"emergency": 160}, refused=0.985),
    Floor("emergency-words-16.yaml", {"emergency": 160}, refused=0.97),
]


def _questions(engine: Engine, path: Path):
    data, positions = read_yaml(path)
    return parse_questions(data, known_ids=[e.id for e in engine.content.faqs], path=str(path), positions=positions)


def _check(report: Report, floor: Floor) -> None:
    m = report.metrics
    misses = "\n".join(f"{x.question.text!r}: {x.why}" for x in report.misses)
    for category, least in floor.counts.items():
        assert report.counts.get(category, 0) >= least, f"{floor.name}: fewer than {least} {category} questions"
    checks = [
        ("in_scope_top1", floor.top1, ">="),
        ("clarified_rate", floor.clarified, "<="),
        ("confidently_wrong_rate", floor.wrong, "<="),
        ("out_of_scope_rejection", floor.refused, ">="),
        ("out_of_scope_answered", floor.answered, "<="),
        ("out_of_scope_suggested", floor.suggested, "<="),
        ("smalltalk_recall", floor.smalltalk, ">="),
    ]
    for metric, bound, sense in checks:
        if bound is None:
            continue
        value = m[metric]
        ok = value >= bound - 1e-9 if sense == ">=" else value <= bound + 1e-9
        assert ok, f"{floor.name}: {metric} {value:.3f}, floor {sense} {bound}\n{misses}"
    assert m["emergency_recall"] == 1.0, misses
    assert report.false_emergencies <= floor.false_alarms, misses
    assert report.missing_disclaimer == 0 and report.raw_placeholders == 0


@pytest.mark.parametrize("floor", FLOORS, ids=[f.name for f in FLOORS])
def test_a_labelled_set_keeps_its_floor(engine: Engine, floor: Floor) -> None:
    _check(evaluate(engine, _questions(engine, DATA / floor.name)), floor)


def test_every_question_set_has_a_floor() -> None:
    """A set added to tests/data is measured here too."""
    others = {"conversations.yaml", "language-samples.yaml", "redaction-cases.yaml", "redaction-extra.yaml"}
    assert {p.name for p in DATA.glob("*.yaml")} - others == {f.name for f in FLOORS}


def test_dev_set_with_its_phrasings_left_out_of_the_faq() -> None:
    path = DATA / "dev-questions.yaml"
    engine = Engine.from_file(FAQ_PATH)
    held_out = Engine(parse_content(leave_out(read_yaml(FAQ_PATH)[0], _questions(engine, path))))
    _check(evaluate(held_out, _questions(held_out, path)), Floor(path.name, top1=0.9, wrong=0.01, refused=1.0))


def test_the_issue_goals_on_everyday_requests_hold_on_all_of_them_together(engine: Engine) -> None:
    """At most 0.5 % of everyday requests answered with an entry and 3 % offered "did you mean"."""
    answered = suggested = total = 0
    for path in sorted(DATA.glob("everyday-requests*.yaml")):
        report = evaluate(engine, _questions(engine, path))
        n = report.counts["out-of-scope"]
        total += n
        answered += round(report.metrics["out_of_scope_answered"] * n)
        suggested += round(report.metrics["out_of_scope_suggested"] * n)
    assert total >= 5700
    assert answered <= math.floor(0.005 * total) and suggested <= math.floor(0.03 * total)
