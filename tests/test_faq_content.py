"""The shipped faq.yaml: required entries, plain language, our own words, and facts from the article."""

from __future__ import annotations

import re

import pytest
import textstat

from intents import Engine
from intents.text import normalize

from .conftest import DATA

REQUIRED_IDS = [
    "what-is-dry-needling", "how-does-it-work", "trigger-point", "trigger-point-release",
    "local-twitch-response", "central-sensitization", "pain-relief", "scar-tissue", "techniques",
    "pistoning", "winding", "electrical-stimulation", "estim-frequency", "conditions",
    "what-does-it-feel-like", "session-length", "benefits", "who-performs",
]


def test_required_entries_exist(engine: Engine) -> None:
    ids = [entry.id for entry in engine.content.faqs]
    assert set(REQUIRED_IDS) <= set(ids)
    assert len(ids) == len(set(ids))


def test_entries_have_enough_alternates_and_a_source(engine: Engine) -> None:
    for entry in engine.content.faqs:
        assert len(entry.alternates) >= 8, entry.id
        assert entry.source in engine.content.article_sections, entry.id


def test_answers_are_short(engine: Engine) -> None:
    for entry in engine.content.faqs:
        assert len(entry.answer.split()) <= 120, entry.id


def test_answers_are_plain_language(engine: Engine) -> None:
    grades = {entry.id: textstat.flesch_kincaid_grade(entry.answer) for entry in engine.content.faqs}
    assert max(grades.values()) <= 10, grades
    assert sum(grades.values()) / len(grades) <= 8, grades


# Medical words an answer may keep only if it explains them in the same answer.
EXPLAINED_TERMS = {
    "trigger point": r"(knot|tight band)",
    "motor endplate": r"where a nerve",
    "acetylcholine": r"chemical",
    "central sensitization": r"too sensitive",
    "fascia": r"(thin layers|wrap)",
    "adhesions": r"stuck together",
    "collagen": r"fibers",
    "tendinopathy": r"tendon problems",
    "chronic": r"long-lasting",
    "hertz": r"pulses",
    "scope of practice": r"license",
    "referred pain": r"other places",
}


def test_medical_terms_are_explained(engine: Engine) -> None:
    for entry in engine.content.faqs:
        answer = entry.answer.lower()
        for term, explanation in EXPLAINED_TERMS.items():
            if term in answer:
                assert re.search(explanation, answer), f"{entry.id}: '{term}' is not explained"


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = normalize(text).split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_answers_are_in_our_own_words(engine: Engine) -> None:
    """No run of seven words is copied from the article."""
    article = _shingles((DATA / "article.txt").read_text(encoding="utf-8"), 7)
    for entry in engine.content.faqs:
        copied = _shingles(entry.answer, 7) & article
        assert not copied, f"{entry.id} copies: {[' '.join(c) for c in copied]}"


def test_disclaimer_is_ours_and_not_empty(engine: Engine) -> None:
    disclaimer = engine.disclaimer.lower()
    assert "not medical advice" in disclaimer
    assert "licensed" in disclaimer
    assert not (_shingles(engine.disclaimer, 6) & _shingles((DATA / "article.txt").read_text(encoding="utf-8"), 6))


@pytest.mark.parametrize(
    "topic",
    ["acupuncture", "number-of-sessions", "cost-insurance", "risks-side-effects", "health-conditions",
     "medicines", "aftercare", "appointments"],
)
def test_topics_the_article_does_not_cover_are_listed(engine: Engine, topic: str) -> None:
    assert topic in {t.id for t in engine.content.not_covered}


def test_front_desk_placeholder_is_clearly_marked(engine: Engine) -> None:
    assert "[ADD FRONT DESK PHONE NUMBER]" in engine.content.clinic.front_desk
