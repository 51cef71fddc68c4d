"""Any text at all gets a reply of a known kind that ends with the disclaimer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
