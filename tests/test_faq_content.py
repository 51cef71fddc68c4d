"""The shipped faq.yaml: required entries, plain language, our own words, and facts from the article."""

from __future__ import annotations

import re

import pytest
import textstat

from intents import Engine, check_content, parse_content, read_yaml
from intents.text import normalize

from .conftest import DATA, FAQ_PATH

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


_RAW = re.compile(r"\{[a-z_]+\}|\[\s*(add|todo|tbd|fixme)\b", re.IGNORECASE)


def _every_reply(engine: Engine) -> list[tuple[str, str]]:
    """Every fixed text the engine can send, reached the way a patient would reach it."""
    content = engine.content
    out = [(f"message {key}", engine.message(key).text) for key in content.messages]
    out += [(f"faq {e.id}", engine.faq(e.id).text) for e in content.faqs]
    out += [(f"smalltalk {s.id}", engine.answer(s.patterns[0]).text) for s in content.smalltalk]
    out += [(f"red flag {f.id}", engine.answer(f.patterns[0]).text) for f in content.red_flags]
    out += [(f"not covered {t.id}", engine.answer(t.examples[0] if t.examples else t.keywords[0]).text) for t in content.not_covered]
    return out


@pytest.mark.parametrize("phone", ["", "555-0100"])
def test_no_reply_shows_a_raw_placeholder_or_a_to_do(phone: str) -> None:
    data, _ = read_yaml(FAQ_PATH)
    data["clinic"]["phone"] = phone
    engine = Engine(parse_content(data))
    replies = _every_reply(engine)
    assert len(replies) > 40
    leaks = [(where, _RAW.search(text).group()) for where, text in replies if _RAW.search(text)]
    assert leaks == []
    front_desk = [text for _, text in replies if "front desk" in text]
    assert front_desk, "some replies point to the front desk"
    assert all(("555-0100" in text) == bool(phone) for text in front_desk if "our front desk" in text)


def test_a_bracketed_to_do_is_refused_and_an_unset_phone_is_a_note() -> None:
    data, _ = read_yaml(FAQ_PATH)
    data["clinic"]["front_desk"] = "our front desk ([ADD FRONT DESK PHONE NUMBER])"
    problems = check_content(data)
    assert [p.severity for p in problems if "to-do" in p.message] == ["error"]
    data, _ = read_yaml(FAQ_PATH)
    data["clinic"]["phone"] = ""
    assert [p.message for p in check_content(data) if p.severity == "note" and "phone" in p.message]
    data["clinic"]["phone"] = "555-0100"
    assert not [p for p in check_content(data) if "phone" in p.message]


def test_replies_have_no_line_break_inside_a_sentence(engine: Engine) -> None:
    for where, text in _every_reply(engine):
        for line in text.split("\n")[:-1]:
            if line.strip():
                assert re.search(r"[.!?:)\"'\u2019]$|[^\w\s,;(-]$", line.strip()), f"{where}: {line!r}"
