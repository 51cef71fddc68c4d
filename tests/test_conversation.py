"""Conversation context in the engine: the store, follow-ups, what context must never change,
worried patients and other languages. Table-driven; the shipped FAQ."""

from __future__ import annotations

import pytest
import yaml

from intents import ContentError, Engine, parse_content
from intents.conversation import EMPTY, Context, Conversations
from intents.conversation_eval import evaluate_conversations, parse_conversations

from .conftest import DATA, minimal_faq


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------ the store


def test_store_forgets_the_least_recently_used_beyond_its_bound() -> None:
    store = Conversations(capacity=3, clock=Clock())
    for key in "abc":
        store.put(key, Context(faq_id="pistoning"))
    assert store.get("a") is not None  # "a" is now the most recently used
    store.put("d", Context(faq_id="winding"))
    assert len(store) == 3
    assert store.get("b") is None and all(store.get(k) is not None for k in "acd")


def test_store_expires_contexts_and_resets_on_request() -> None:
    clock = Clock()
    store = Conversations(ttl=1800, clock=clock)
    store.put("a", Context(faq_id="pistoning"))
    store.put("b", Context(faq_id="winding"))
    clock.now = 1799
    assert store.get("a").faq_id == "pistoning"
    store.reset("a")
    assert store.get("a") is None
    clock.now = 1801
    assert store.get("b") is None and len(store) == 0


def test_empty_context_is_not_kept() -> None:
    store = Conversations()
    store.put("a", Context(faq_id="pistoning"))
    store.put("a", EMPTY)
    assert len(store) == 0


def test_store_bound_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Conversations(capacity=0)


# ------------------------------------------------------------------ follow-ups

FOLLOW_UPS = [
    # (earlier messages, follow-up, expected kind, expected FAQ id)
    (["what is e-stim"], "why?", "faq", "electrical-stimulation"),
    (["what is e-stim"], "does it hurt?", "faq", "what-does-it-feel-like"),
    (["what is pistoning"], "and winding?", "faq", "winding"),
    (["what types of dry needling are there"], "the second one", "faq", "winding"),
    (["what types of dry needling are there"], "3", "faq", "electrical-stimulation"),
    (["my muscle jumped when the pt put the needle in"], "why does that happen?", "faq", "local-twitch-response"),
    (["what is central sensitization"], "can needling fix that?", "faq", "pain-relief"),
    (["what is a trigger point"], "how does the needle fix it?", "faq", "trigger-point-release"),
    # a short follow-up that names a topic of its own, and points at nothing said before, moves on to it
    (["how does needling reduce pain"], "and the scar part?", "faq", "scar-tissue"),
    (["what does the e-stim do"], "and the twitch part?", "faq", "local-twitch-response"),
    (["what is pistoning"], "tell me more", "clarify", None),
    (["does insurance cover dry needling"], "why?", "fallback", None),
    (["asdfgh"], "why?", "fallback", None),
    ([], "why?", "fallback", None),
    ([], "the first one", "fallback", None),
]


def converse(engine: Engine, messages: list[str]):
    store = Conversations()
    reply = None
    for text in messages:
        reply = store.answer(engine, "chat", text)
    return reply


@pytest.mark.parametrize(("before", "message", "kind", "faq_id"), FOLLOW_UPS)
def test_follow_ups_are_read_against_the_last_topic(engine: Engine, before: list[str], message: str, kind: str, faq_id: str | None) -> None:
    reply = converse(engine, [*before, message])
    assert (reply.kind, reply.faq_id) == (kind, faq_id)
    assert reply.text.endswith(engine.disclaimer)


def test_tell_me_more_offers_the_related_topics_and_a_number_picks_one(engine: Engine) -> None:
    more = converse(engine, ["what is pistoning", "tell me more"])
    assert [s.faq_id for s in more.suggestions] == list(engine.entry("pistoning").related)
    picked = converse(engine, ["what is pistoning", "tell me more", "2"])
    assert picked.faq_id == engine.entry("pistoning").related[1]


@pytest.mark.parametrize("pick", ["1", "the second one", "2", "last one"])
def test_a_number_after_did_you_mean_picks_that_suggestion(engine: Engine, pick: str) -> None:
    unsure = ["what about the pain part?", "so a deep ache is normal?", "needle muscle", "needle muscle twitch knot"]
    message = next((m for m in unsure if engine.answer(m).kind == "clarify" and len(engine.answer(m).suggestions) >= 2), None)
    assert message is not None, "no message left that gets a 'did you mean'; add one"
    store = Conversations()
    clarify = store.answer(engine, "c", message)
    index = {"1": 0, "the second one": 1, "2": 1, "last one": -1}[pick]
    assert store.answer(engine, "c", pick).faq_id == clarify.suggestions[index].faq_id


STANDALONE = [
    "what is a trigger point",
    "how much does it cost",
    "I can't breathe",
    "thank you",
    "whats the weather gonna be tomorrow",
    "¿Qué es la punción seca?",
    "what frequencies are used for e-stim",
]
CONTEXTS = ["what is e-stim", "what types of dry needling are there", "does insurance cover it", "needle muscle", "hi"]


@pytest.mark.parametrize("before", CONTEXTS)
@pytest.mark.parametrize("message", STANDALONE)
def test_context_never_changes_a_message_that_stands_on_its_own(engine: Engine, before: str, message: str) -> None:
    alone = engine.answer(message)
    store = Conversations()
    store.answer(engine, "c", before)
    in_context = store.answer(engine, "c", message)
    assert (in_context.kind, in_context.faq_id, in_context.text) == (alone.kind, alone.faq_id, alone.text)


def test_emergencies_win_over_any_context_and_clear_it(engine: Engine) -> None:
    store = Conversations()
    store.answer(engine, "c", "what is e-stim")
    reply = store.answer(engine, "c", "my chest hurts and i can't breathe, why?")
    assert reply.kind == "emergency"
    assert store.get("c") is None


def test_conversations_never_see_each_others_context(engine: Engine) -> None:
    store = Conversations()
    store.answer(engine, "a", "what is e-stim")
    store.answer(engine, "b", "does insurance cover dry needling")
    assert store.answer(engine, "a", "why?").faq_id == "electrical-stimulation"
    assert store.answer(engine, "b", "why?").kind == "fallback"


# ------------------------------------------------------------------ worried patients and other languages

WORRIES = [
    ("I'm scared of needles", "fear-of-needles", "what-does-it-feel-like"),
    ("I am nervous about my first session", "nervous", "what-does-it-feel-like"),
    ("I almost backed out", "nervous", "what-does-it-feel-like"),
    ("i'm a bit nervous, who does the needling?", "nervous", "who-performs"),
]


@pytest.mark.parametrize(("message", "worry", "faq_id"), WORRIES)
def test_a_worry_is_acknowledged_before_the_answer_that_fits(engine: Engine, message: str, worry: str, faq_id: str) -> None:
    reply = engine.answer(message)
    ack = next(engine.content.fill(w.reply) for w in engine.content.worried if w.id == worry)
    assert reply.kind == "faq" and reply.faq_id == faq_id
    assert reply.text.startswith(ack) and engine.faq(faq_id).body in reply.text
    assert reply.text.endswith(engine.disclaimer)


def test_a_worry_never_hides_an_emergency(engine: Engine) -> None:
    assert engine.answer("I'm scared, my chest hurts and I can't breathe").kind == "emergency"


def test_nervous_system_is_not_a_worry(engine: Engine) -> None:
    assert engine.answer("what is central sensitization of the nervous system").intent is None


LANGUAGE_SAMPLES = yaml.safe_load((DATA / "language-samples.yaml").read_text(encoding="utf-8"))


def test_english_messages_are_never_taken_for_another_language(engine: Engine) -> None:
    english = [s["text"] for s in LANGUAGE_SAMPLES if s["lang"] == "en"]
    misread = [(t, engine.languages.guess(t)) for t in english if engine.languages.guess(t) is not None]
    assert misread == []


def test_most_messages_in_other_languages_are_recognised(engine: Engine) -> None:
    others = [s for s in LANGUAGE_SAMPLES if s["lang"] != "en"]
    right = sum(engine.languages.guess(s["text"]) == s["lang"] for s in others)
    assert right / len(others) >= 0.9


@pytest.mark.parametrize(("text", "hint", "code"), [
    ("¿Cuánto tiempo se quedan las agujas puestas?", None, "es"),
    ("Tut das weh?", None, "de"),
    ("merci", "fr", "fr"),
    ("merci", None, None),
    ("thx", "pt-br", None),
    ("what is dry needling", "es", None),
])
def test_other_language_reply_never_reaches_the_matcher(engine: Engine, text: str, hint: str | None, code: str | None) -> None:
    reply = engine.answer(text, language=hint)
    if code is None:
        assert not (reply.intent or "").startswith("language-")
        return
    expected = next(engine.content.fill(lang.reply) for lang in engine.content.languages if lang.id == code)
    assert (reply.kind, reply.faq_id, reply.intent) == ("fallback", None, f"language-{code}")
    assert reply.text == f"{expected}\n\n{engine.disclaimer}"


# ------------------------------------------------------------------ content of the new sections


@pytest.mark.parametrize(("section", "value", "message"), [
    ("worried", [{"id": "x", "patterns": ["scared"], "reply": "It's okay.", "answer": "nope"}], "answer 'nope' is not a FAQ entry id"),
    ("languages", [{"id": "spanish", "reply": "Hola."}], "ISO 639-1"),
    ("languages", [{"id": "en", "reply": "Hi."}], "ISO 639-1"),
    ("conversation", {"more": "More:", "no_context": "Ask again.", "overview": ["nope"]}, "overview entry 'nope'"),
    ("conversation", {"more": "More:"}, "missing key 'no_context'"),
    ("conversation", {"more": "More:", "no_context": "Ask again.", "helps_with": "nope"}, "'helps_with: nope' must name"),
])
def test_new_sections_are_checked(section: str, value: object, message: str) -> None:
    data = minimal_faq()
    data[section] = value
    with pytest.raises(ContentError, match=message):
        parse_content(data)


def test_the_new_sections_are_optional() -> None:
    engine = Engine(parse_content(minimal_faq()))
    store = Conversations()
    store.answer(engine, "c", "what is a trigger point")
    assert store.answer(engine, "c", "why?").faq_id == "trigger-point"
    assert store.answer(engine, "c", "tell me more").suggestions[0].faq_id == "scar-tissue"


# ------------------------------------------------------------------ the labelled multi-turn set


def test_multi_turn_set_follow_ups_and_no_worse_standalone(engine: Engine) -> None:
    data = yaml.safe_load((DATA / "conversations.yaml").read_text(encoding="utf-8"))
    conversations = parse_conversations(data, known_ids=[e.id for e in engine.content.faqs])
    assert len(conversations) >= 40
    stateless = evaluate_conversations(engine, conversations, stateless=True)
    with_context = evaluate_conversations(engine, conversations)
    assert with_context.rate("follow-up") >= 0.94
    assert with_context.rate("follow-up") > stateless.rate("follow-up")
    for group in ("standalone", "first turn"):
        assert with_context.rate(group) >= stateless.rate(group)
    assert with_context.missing_disclaimer == 0 and with_context.false_emergencies == 0


def test_about_says_context_lives_in_memory_only(engine: Engine) -> None:
    about = engine.message("about").text
    assert "memory only" in about and "/start" in about and about.endswith(engine.disclaimer)


@pytest.mark.parametrize(
    ("message", "line"),
    [
        ("Mi padre está inconsciente en el suelo y no responde", "En una emergencia"),
        ("Je ne peux pas respirer depuis la séance, aidez-moi s il vous plaît", "En cas d'urgence"),
    ],
)
def test_an_emergency_in_another_language_gets_the_emergency_reply_and_that_languages_line(
    engine: Engine, message: str, line: str
) -> None:
    reply = engine.answer(message)
    assert reply.kind == "emergency" and reply.text.startswith("🚨")
    assert line in reply.text and reply.text.endswith(engine.disclaimer)


def test_every_language_reply_gives_the_emergency_number_and_the_front_desk() -> None:
    from intents import parse_content, read_yaml

    from .conftest import FAQ_PATH

    data, _ = read_yaml(FAQ_PATH)
    data["clinic"]["phone"] = "555-0100"
    engine = Engine(parse_content(data))
    clinic = engine.content.clinic
    for language in engine.content.languages:
        reply = engine.in_language(language.id)
        assert clinic.emergency_number in reply.text and clinic.name in reply.text and "(555-0100)" in reply.text
        assert "front desk" not in reply.text.split("\n\n")[0]  # no English words in the middle of the reply
        assert reply.text.endswith(engine.disclaimer)


def test_a_context_from_before_a_reload_never_breaks_an_answer(engine: Engine) -> None:
    stale_entry = Context(faq_id="gone-entry", offered=("gone-entry",), listed=("gone-entry",))
    stale_topic = Context(topic="gone-topic")
    for stale in (stale_entry, stale_topic):
        for message in ("why?", "tell me more", "the first one", "2", "and winding?", "does it hurt?"):
            reply = engine.answer(message, context=stale)
            assert reply.kind in ("faq", "clarify", "fallback") and reply.text.endswith(engine.disclaimer)
