"""Any text at all gets a reply of a known kind that ends with the disclaimer."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot
from intents import KINDS, Engine

from .conftest import FAQ_PATH

ENGINE = Engine.from_file(FAQ_PATH)  # hypothesis does not mix with function-scoped fixtures

# Words the FAQ knows, so generated text also reaches the matcher's deeper paths.
FAQ_WORDS = sorted({w for e in ENGINE.content.faqs for w in e.question.lower().split()})

messages = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(st.sampled_from(FAQ_WORDS), max_size=12).map(" ".join),
    st.tuples(st.lists(st.sampled_from(FAQ_WORDS), max_size=6).map(" ".join), st.text(max_size=40)).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_any_text_gets_a_reply_with_the_disclaimer(message: str) -> None:
    reply = ENGINE.answer(message)
    assert reply.kind in KINDS
    assert reply.text.endswith(ENGINE.disclaimer)
    assert (reply.faq_id is not None) == (reply.kind == "faq")
    assert (len(reply.suggestions) > 0) == (reply.kind == "clarify")
    assert 0 <= reply.score <= 100


# Awkward text of the kinds patients' phones and pastes produce.
awkward = st.one_of(
    st.text(alphabet=st.sampled_from(["\u200f", "\u200e", "\u202e", "\u0301", "\u0308", "\ufeff", "\x00", "\x1b", "\t"]), max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), max_size=60),  # full-width
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=30),  # emoji
    st.tuples(st.sampled_from(FAQ_WORDS), st.text(max_size=20)).map(lambda t: (t[0] + t[1]) * 2000),  # ~100 KB
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(awkward)
def test_awkward_text_gets_a_reply(message: str) -> None:
    reply = ENGINE.answer(message)
    assert reply.kind in KINDS
    assert reply.text.endswith(ENGINE.disclaimer)


def _single_line(text: str) -> str:
    return " ".join(text.splitlines()) or "?"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(messages, awkward).map(_single_line), min_size=1, max_size=6))
def test_ask_json_contract_for_any_input(questions: list[str]) -> None:
    out = io.StringIO()
    code = bot.main(["ask", "--json", "--faq", str(FAQ_PATH)], stdin=io.StringIO("\n".join(questions) + "\n"), stdout=out)
    assert code == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(questions)
    for line in lines:
        reply = json.loads(line)
        assert set(reply) == {"kind", "faq_id", "score", "suggestions", "text"}
        assert reply["kind"] in KINDS
        assert isinstance(reply["score"], (int, float)) and isinstance(reply["text"], str)
        assert (reply["faq_id"] is None) == (reply["kind"] != "faq")
        assert all(set(s) == {"faq_id", "question"} for s in reply["suggestions"])
        assert reply["text"].endswith(ENGINE.disclaimer)
