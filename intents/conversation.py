"""Conversation state: what the last reply was about, kept per conversation in memory only.

A :class:`Context` is what :meth:`Engine.answer <intents.engine.Engine.answer>`
needs to understand a follow-up ("why?", "the first one"): the FAQ entry last
answered, the suggestions last offered, the list last shown. The engine takes
one and returns the next one on its :class:`~intents.engine.Reply`.

:class:`Conversations` holds contexts per conversation id (a Telegram chat or
group thread, a console session, a ``chat`` of ``ask --conversation``), least
recently used first out, expiring after a while. It never writes anything
anywhere: a restart forgets every conversation.

>>> store = Conversations(capacity=2, ttl=60, clock=lambda: now)
>>> now = 0.0
>>> store.put("a", Context(faq_id="pistoning"))
>>> store.get("a").faq_id
'pistoning'
>>> now = 61.0
>>> store.get("a") is None
True
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine, Reply

#: Conversations kept at most; the least recently used is forgotten first.
CAPACITY = 10_000
#: Seconds after which a conversation's context is forgotten.
TTL = 30 * 60.0


@dataclass(frozen=True)
class Context:
    """What a follow-up can refer to. Empty (all defaults) means "nothing yet"."""

    #: The FAQ entry last answered.
    faq_id: str | None = None
    #: The not-covered topic last answered ("why?" after "does insurance cover it" stays out of scope).
    topic: str | None = None
    #: FAQ ids last offered as choices ("did you mean", "tell me more"), in the order shown.
    offered: tuple[str, ...] = ()
    #: FAQ ids of the list last shown with an answer (its related topics), in order.
    listed: tuple[str, ...] = ()
    #: When the context was stored (the store's clock); 0 until stored.
    at: float = 0.0

    @property
    def empty(self) -> bool:
        return self.faq_id is None and self.topic is None and not self.offered and not self.listed


EMPTY = Context()


class Conversations:
    """Contexts per conversation id: in memory, bounded, expiring. Not thread-safe (one event loop)."""

    def __init__(self, *, capacity: int = CAPACITY, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.ttl = ttl
        self.clock = clock
        self._contexts: OrderedDict[Hashable, Context] = OrderedDict()

    def __len__(self) -> int:
        return len(self._contexts)

    def __contains__(self, key: Hashable) -> bool:
        return self.get(key) is not None

    def get(self, key: Hashable) -> Context | None:
        """The live context of *key*, or ``None`` (never seen, reset, expired or pushed out)."""
        context = self._contexts.get(key)
        if context is None:
            return None
        if self.clock() - context.at > self.ttl:
            del self._contexts[key]
            return None
        self._contexts.move_to_end(key)
        return context

    def put(self, key: Hashable, context: Context | None) -> None:
        """Remember *context* for *key*, stamped now; an empty one forgets *key*."""
        if context is None or context.empty:
            self._contexts.pop(key, None)
            return
        self._contexts[key] = replace(context, at=self.clock())
        self._contexts.move_to_end(key)
        while len(self._contexts) > self.capacity:
            self._contexts.popitem(last=False)

    def reset(self, key: Hashable) -> None:
        """Forget *key*'s context (``/start``)."""
        self._contexts.pop(key, None)

    def answer(self, engine: Engine, key: Hashable, text: str, *, language: str | None = None, stateless: bool = False) -> Reply:
        """Answer *text* in *key*'s conversation and remember the next context.

        This is the one path every transport uses. *language* is the sender's
        interface language if the transport knows it; ``stateless`` answers
        every message as if it were the first (to measure what context adds).
        """
        context = None if stateless else (self.get(key) or EMPTY)
        reply = engine.answer(text, context=context, language=language)
        if not stateless:
            self.put(key, reply.context)
        return reply

    def choose(self, engine: Engine, key: Hashable, faq_id: str) -> Reply | None:
        """The answer of *faq_id* picked by a button, remembered as *key*'s last topic; ``None`` if unknown."""
        reply = engine.chosen(faq_id)
        if reply is not None:
            self.put(key, reply.context)
        return reply
