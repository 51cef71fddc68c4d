"""The answer engine on the shipped FAQ, and on small FAQs given as plain data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from intents import KINDS, Engine, parse_content
from intents.text import MAX_CHARS, normalize, stem

from .conftest import ROOT, minimal_faq

# (message, kind, faq id or None). Phrasings here are deliberately not copies of faq.yaml lines.
CASES = [
    # typos
    ("waht is a trigerr point", "faq", "trigger-point"),
    ("what is centrl sensitizaton", "faq", "central-sensitization"),
    ("does dry neelding hurt", "faq", "what-does-it-feel-like"),
    ("pistonning?", "faq", "pistoning"),
    # British spellings
    ("what does central sensitisation mean", "faq", "central-sensitization"),
    ("what are c fibres", "faq", "pain-relief"),
    # lay words mapped to the FAQ's terms
    ("why did my calf jerk when you put the needle in", "faq", "local-twitch-response"),
    ("what are the wires on the needles for", "faq", "electrical-stimulation"),
    ("what exactly is a knot", "faq", "trigger-point"),
    ("why do you twirl the needle", "faq", "winding"),
    # extra context around the question
    ("Front desk here. A patient on the phone asks whether the needles get hooked up to electricity", "faq", "electrical-stimulation"),
    ("Fwd from a patient: what kinds of dry needling do you offer?", "faq", "techniques"),
    # very short queries
    ("twitch", "faq", "local-twitch-response"),
    ("winding", "faq", "winding"),
    ("e-stim frequency", "faq", "estim-frequency"),
    ("scars", "faq", "scar-tissue"),
    ("dry needling", "faq", "what-is-dry-needling"),
    # smalltalk
    ("Hi there!", "smalltalk", None),
    ("thank u", "smalltalk", None),
    ("are you a bot?", "smalltalk", None),
    ("what can you do", "smalltalk", None),
    ("r u a real person", "smalltalk", None),  # short forms read as the FAQ's spellings say
    ("thanks, that is really helpful, have a great day", "smalltalk", None),
    ("hello? is anybody there", "smalltalk", None),
    ("hi, i have a couple of questions", "smalltalk", None),
    ("thanks a lot for the information", "smalltalk", None),
    ("do you have any feelings?", "smalltalk", None),
    # emergencies, in their own words
    ("i cant breathe properly since the session", "emergency", None),
    ("my chest hurts a lot right now", "emergency", None),
    ("I fainted in the car after my appointment", "emergency", None),
    ("the spot keeps bleeding", "emergency", None),
    ("I keep thinking about killing myself", "emergency", None),
    ("I don't want to be here anymore", "emergency", None),
    ("what if I pass out, I feel faint right now", "emergency", None),
    # a general question about risks, or a supposition, is not a report of an emergency
    ("what if I pass out during the session", "fallback", None),
    ("can dry needling cause fainting", "fallback", None),
    ("is it possible to puncture a lung with the needle", "fallback", None),
    # not covered by the article: never a FAQ answer
    ("is it like acupuncture", "fallback", None),
    ("how much is one session", "fallback", None),
    ("will I be sore tomorrow", "fallback", None),
    ("can I go to the gym after my treatment", "fallback", None),
    ("I'm pregnant, can I still have it", "fallback", None),
    ("do you take blue cross insurance", "fallback", None),
    ("what time do you open on saturday", "fallback", None),
    ("how many needles do you use", "fallback", None),
    ("can dry needling make my pain worse", "fallback", None),
    ("what's the difference between dry needling and wet needling", "fallback", None),
    # nothing fits
    ("", "fallback", None),
    ("   ", "fallback", None),
    ("\U0001f600\U0001f44d", "fallback", None),
    ("qwertyuiop zxcvbnm", "fallback", None),
    ("what is the capital of france", "fallback", None),
]


@pytest.mark.parametrize(("message", "kind", "faq_id"), CASES, ids=[c[0][:40] or "empty" for c in CASES])
def test_answer_table(engine: Engine, message: str, kind: str, faq_id: str | None) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == (kind, faq_id), reply.text
    assert reply.text.endswith(engine.disclaimer)


def test_every_phrasing_routes_to_its_own_entry(engine: Engine) -> None:
    wrong = []
    for entry in engine.content.faqs:
        for phrasing in entry.phrasings:
            reply = engine.answer(phrasing)
            if (reply.kind, reply.faq_id) != ("faq", entry.id):
                wrong.append(f"{entry.id}: {phrasing!r} -> {reply.kind} {reply.faq_id} {reply.score}")
    assert wrong == []


def test_emergency_comes_before_everything_else(engine: Engine) -> None:
    reply = engine.answer("hi, what is a trigger point? also I have chest pain")
    assert reply.kind == "emergency"
    assert reply.body.startswith("\U0001f6a8")
    assert "911" in reply.body


def test_self_harm_reply_names_a_crisis_line(engine: Engine) -> None:
    reply = engine.answer("I want to hurt myself")
    assert reply.kind == "emergency"
    assert "988" in reply.body and "911" in reply.body


@pytest.mark.parametrize(
    "question",
    [entry_question for entry_question in (
        "What is a local twitch response?",
        "How does dry needling reduce pain?",
        "Does dry needling hurt?",
        "Can dry needling help scar tissue?",
        "What is central sensitization?",
    )],
)
def test_no_false_emergency_on_faq_questions(engine: Engine, question: str) -> None:
    assert engine.answer(question).kind == "faq"


def test_greeting_in_front_of_a_question_is_answered(engine: Engine) -> None:
    reply = engine.answer("hello! what is pistoning?")
    assert (reply.kind, reply.faq_id) == ("faq", "pistoning")


def test_clarify_offers_suggestions_but_no_faq_id(engine: Engine) -> None:
    # Shares words with several entries, fits none of them well.
    reply = engine.answer("knot twitch needle")
    assert reply.kind in ("clarify", "fallback")
    if reply.kind == "clarify":
        assert reply.faq_id is None
        assert 1 <= len(reply.suggestions) <= 3
        assert len({s.faq_id for s in reply.suggestions}) == len(reply.suggestions)
        for suggestion in reply.suggestions:
            assert suggestion.question in reply.body


def test_not_covered_reply_is_honest_and_points_to_people(engine: Engine) -> None:
    reply = engine.answer("does insurance pay for dry needling?")
    assert reply.kind == "fallback"
    assert reply.faq_id is None
    assert "don't have that in my FAQ" in reply.body
    assert "front desk" in reply.body


def test_fallback_points_to_topics_and_clinic(engine: Engine) -> None:
    reply = engine.answer("tell me about the moon landing")
    assert reply.kind == "fallback"
    assert "/topics" in reply.body and "front desk" in reply.body


def test_huge_message_is_bounded(engine: Engine) -> None:
    tail = " trigger point" * 20_000
    reply = engine.answer("what is a knot?" + tail)
    assert reply.kind in KINDS
    assert normalize("x" * (MAX_CHARS * 3)) == "x" * MAX_CHARS


def test_to_dict_is_the_json_contract(engine: Engine) -> None:
    faq = engine.answer("what is a trigger point").to_dict()
    assert set(faq) == {"kind", "faq_id", "score", "suggestions", "text"}
    assert faq["kind"] == "faq" and faq["faq_id"] == "trigger-point" and faq["suggestions"] == []
    fallback = engine.answer("asdf qwer").to_dict()
    assert fallback["faq_id"] is None


def test_faq_reply_by_id(engine: Engine) -> None:
    reply = engine.faq("winding")
    assert reply is not None and reply.kind == "faq" and reply.faq_id == "winding"
    assert reply.text.endswith(engine.disclaimer)
    assert engine.faq("no-such-entry") is None


def test_rank_orders_best_first(engine: Engine) -> None:
    ranked = engine.rank("twitching muscle", limit=3)
    assert ranked[0][0].id == "local-twitch-response"
    assert [score for _, score in ranked] == sorted((score for _, score in ranked), reverse=True)


def test_messages_fill_placeholders_and_end_with_disclaimer(engine: Engine) -> None:
    for key in engine.content.messages:
        reply = engine.message(key)
        assert "{" not in reply.body, key
        assert reply.text.endswith(engine.disclaimer)


# ------------------------------------------------------------------ plain-data FAQs


def test_engine_from_plain_dict() -> None:
    engine = Engine(parse_content(minimal_faq()))
    assert engine.answer("what's a knot?").faq_id == "trigger-point"
    assert engine.answer("stiff scar from surgery").faq_id == "scar-tissue"
    assert engine.answer("hello").text == "Hello from Test Clinic!\n\nGeneral information only, not medical advice."
    assert engine.answer("what does it cost").kind == "fallback"
    assert engine.answer("sudden chest pain").body == "Call 911 now."


def test_synonyms_come_from_content() -> None:
    data = minimal_faq()
    assert Engine(parse_content(data)).answer("lump").kind == "fallback"
    data["synonyms"]["trigger point"].append("lump")
    assert Engine(parse_content(data)).answer("lump").faq_id == "trigger-point"


def test_not_covered_keyword_vetoes_a_faq_answer() -> None:
    data = minimal_faq()
    assert Engine(parse_content(data)).answer("what is a trigger point").kind == "faq"
    data["not_covered"][0]["keywords"].append("trigger point")
    assert Engine(parse_content(data)).answer("what is a trigger point").kind == "fallback"


# ------------------------------------------------------------------ text helpers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("What's DRY-needling?!", "what is dry needling"),
        ("I can\u2019t breathe", "i can not breathe"),
        ("It won't stop", "it will not stop"),
        ("Caf\u00e9 na\u00efve", "cafe naive"),
        ("\u200fright-to-left\u200e marks", "right to left marks"),
        ("tab\tand\nnewline\x00nul", "tab and newline nul"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("scar", "scars", "scarring"), True),
        (("release", "released", "releasing", "releases"), True),
        (("trigger", "triggers", "triggered"), True),
        (("pain", "paint"), False),
    ],
)
def test_stem_groups(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same


def test_engine_never_imports_telegram_or_storage() -> None:
    forbidden = {"telegram", "storage", "bot", "telegram_bot", "sqlite3", "httpx"}
    for path in sorted((ROOT / "intents").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{Path(path).name} imports {name}"
