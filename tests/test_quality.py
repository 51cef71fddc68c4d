"""Answer quality on the labelled question sets: later changes cannot silently lower it.

`dev-questions.yaml` is the team's labelled set. Its near-copies are part of
the FAQ's alternates, so a second measurement removes them from the FAQ first
(`leave_out`), which estimates how the bot does on phrasings nobody has seen.
"""

from __future__ import annotations

from pathlib import Path

from intents import Engine, parse_content, read_yaml
from intents.evaluation import Report, evaluate, leave_out, parse_questions

from .conftest import DATA, FAQ_PATH


def _questions(engine: Engine, path: Path):
    data, positions = read_yaml(path)
    return parse_questions(data, known_ids=[e.id for e in engine.content.faqs], path=str(path), positions=positions)


def _report(engine: Engine, name: str) -> Report:
    return evaluate(engine, _questions(engine, DATA / name))


def _leave_out(path: Path, faq: Path = FAQ_PATH) -> Engine:
    """An engine whose FAQ has no alternate close (ratio >= 85) to any question in *path*."""
    engine = Engine.from_file(faq)
    return Engine(parse_content(leave_out(read_yaml(faq)[0], _questions(engine, path))))


def _assert_safe(report: Report) -> None:
    m = report.metrics
    misses = "\n".join(f"{x.question.text!r}: {x.why}" for x in report.misses)
    assert m["out_of_scope_rejection"] == 1.0, misses
    assert m["smalltalk_recall"] == 1.0, misses
    assert m["emergency_recall"] == 1.0, misses
    assert report.false_emergencies == 0, misses
    assert report.missing_disclaimer == 0
    assert report.raw_placeholders == 0


def test_dev_set(engine: Engine) -> None:
    report = _report(engine, "dev-questions.yaml")
    assert report.counts["in-scope"] >= 80
    assert report.metrics["in_scope_top1"] >= 0.95, [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.confidently_wrong == 0
    _assert_safe(report)


def test_dev_set_with_its_phrasings_left_out_of_the_faq() -> None:
    engine = _leave_out(DATA / "dev-questions.yaml")
    report = evaluate(engine, _questions(engine, DATA / "dev-questions.yaml"))
    assert report.metrics["in_scope_top1"] >= 0.9, [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.confidently_wrong <= 1
    _assert_safe(report)


def test_extra_set(engine: Engine) -> None:
    report = _report(engine, "extra-questions.yaml")
    assert report.counts["out-of-scope"] >= 30
    assert report.metrics["in_scope_top1"] >= 0.9, [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.confidently_wrong == 0, [f"{x.question.text}: {x.why}" for x in report.misses]
    _assert_safe(report)


def test_heldout_set(engine: Engine) -> None:
    """215 questions written from the article alone, apart from the FAQ's phrasings."""
    report = _report(engine, "heldout-questions.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert m["in_scope_top1"] >= 0.88, misses
    assert report.confidently_wrong <= 2, misses
    assert m["out_of_scope_rejection"] == 1.0, misses
    assert m["smalltalk_recall"] >= 0.9, misses
    assert m["emergency_recall"] == 1.0 and report.false_emergencies == 0, misses
    assert report.missing_disclaimer == 0


def test_fresh_set(engine: Engine) -> None:
    """245 messages written from the article alone by an author who never saw the FAQ (first
    measured before the engine changes they led to: top-1 0.888, emergencies 0.40)."""
    report = _report(engine, "fresh-questions.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.counts["emergency"] >= 30 and report.counts["in-scope"] >= 120
    assert m["in_scope_top1"] >= 0.93, misses
    assert m["clarified_rate"] <= 0.035, misses
    assert m["confidently_wrong_rate"] <= 0.01, misses
    assert m["out_of_scope_rejection"] == 1.0, misses
    assert m["smalltalk_recall"] >= 0.9, misses
    assert m["emergency_recall"] == 1.0 and report.false_emergencies == 0, misses
    assert report.missing_disclaimer == 0 and report.raw_placeholders == 0


def test_everyday_requests_get_no_answer_and_almost_no_did_you_mean(engine: Engine) -> None:
    """557 requests people send general assistants (timers, banking, travel ...), many sharing a word with an entry."""
    report = _report(engine, "everyday-requests.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.counts["out-of-scope"] >= 300
    assert m["out_of_scope_answered"] <= 0.005, misses
    assert m["out_of_scope_suggested"] <= 0.03
    assert report.false_emergencies == 0, misses


def test_clinic_faq_style_set(engine: Engine) -> None:
    """170 questions in the style of clinics' dry-needling FAQ pages, most of them outside the article."""
    report = _report(engine, "clinic-faq-style.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.counts["out-of-scope"] >= 90
    assert m["in_scope_top1"] >= 0.93, misses
    assert m["out_of_scope_rejection"] >= 0.97, misses
    assert m["confidently_wrong_rate"] <= 0.015, misses
    assert report.false_emergencies == 0 and report.missing_disclaimer == 0 and report.raw_placeholders == 0


def test_second_fresh_set(engine: Engine) -> None:
    """278 messages by a second author who never saw the FAQ (first run: top-1 0.798, emergencies 0.756)."""
    report = _report(engine, "fresh-questions-2.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.counts["emergency"] >= 40 and report.counts["in-scope"] >= 150
    assert m["in_scope_top1"] >= 0.76, misses
    assert m["confidently_wrong_rate"] <= 0.026, misses
    assert m["out_of_scope_rejection"] == 1.0, misses
    assert m["emergency_recall"] == 1.0 and report.false_emergencies == 0, misses
    assert report.missing_disclaimer == 0 and report.raw_placeholders == 0


def test_second_clinic_faq_style_set(engine: Engine) -> None:
    """223 questions in the style of clinics' FAQ pages, 60 % outside the article (first run: 10.3 % confidently wrong)."""
    report = _report(engine, "clinic-faq-style-2.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.counts["out-of-scope"] >= 130
    assert m["in_scope_top1"] >= 0.9, misses
    assert m["out_of_scope_rejection"] >= 0.97, misses
    assert m["confidently_wrong_rate"] <= 0.032, misses
    assert report.false_emergencies == 0 and report.missing_disclaimer == 0 and report.raw_placeholders == 0


def test_second_everyday_requests_set(engine: Engine) -> None:
    """916 requests for a general assistant by a second author (first run: 2.0 % answered with an entry)."""
    report = _report(engine, "everyday-requests-2.yaml")
    m = report.metrics
    misses = [f"{x.question.text}: {x.why}" for x in report.misses]
    assert report.counts["out-of-scope"] >= 900
    assert m["out_of_scope_answered"] <= 0.011, misses
    assert m["out_of_scope_suggested"] <= 0.01, misses
    assert report.false_emergencies == 0, misses


def test_emergencies_in_everyday_words(engine: Engine) -> None:
    """220 emergencies in indirect words and 240 look-alikes by two authors (first runs: 0.667 and 0.590 caught).

    The false alarms left are figures of speech about things ("my sourdough collapsed", "this heat is suffocating").
    """
    report = _report(engine, "emergency-words.yaml")
    misses = [f"{x.question.text}: {x.why}" for x in report.misses if "emergency" in x.why or x.question.category == "emergency"]
    assert report.counts["emergency"] >= 220
    assert report.metrics["emergency_recall"] == 1.0, misses
    assert report.false_emergencies <= 13, misses
    assert report.missing_disclaimer == 0 and report.raw_placeholders == 0
