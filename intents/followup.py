"""Follow-up questions: one message answered in the light of the conversation's :class:`Context`.

A message is first answered on its own. Only when it cannot stand on its own
("why?", "the first one", "and winding?") is it read against the context.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .conversation import EMPTY, Context

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine, Reply


def converse(engine: Engine, text: str, context: Context | None, *, language: str | None = None) -> Reply:
    """The reply to *text* in *context*, carrying the next context."""
    context = context or EMPTY
    reply = engine.answer_alone(text)
    return replace(reply, context=next_context(engine, reply, context))


def next_context(engine: Engine, reply: Reply, context: Context) -> Context:
    """What the conversation is about after *reply*."""
    if reply.kind == "faq" and reply.faq_id:
        entry = engine.entry(reply.faq_id)
        return Context(faq_id=reply.faq_id, listed=entry.related if entry else ())
    if reply.kind == "clarify":
        return Context(faq_id=context.faq_id, offered=tuple(s.faq_id for s in reply.suggestions))
    if reply.kind == "smalltalk":
        return context
    if reply.kind == "fallback" and reply.intent:
        return Context(topic=reply.intent)
    return EMPTY
