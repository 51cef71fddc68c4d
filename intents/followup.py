"""Follow-up questions: one message answered in the light of the conversation's :class:`Context`.

A message is first answered on its own. If it stands on its own (an
emergency, smalltalk, a topic the FAQ does not cover, or a confident answer to
a message that does not point back) that reply wins. Only a message that
needs the context is read against it:

- a pick, "the first one" or "2": the item of the suggestions last offered, or
  of the list last shown with an answer (its related topics);
- "tell me more": the related topics of the entry last answered, to choose from;
- a message that points back ("why would they use it?", "and winding?",
  "does that hurt?", "how?"): answered with the last topic put in for the
  pronoun, and if that is still unclear, a bare "why?" or "is that normal?"
  stays on the last topic.

After a topic the FAQ does not cover, a follow-up stays out of scope; with no
context at all, a bare "why?" gets a request for the whole question.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .analysis import STOPWORDS
from .conversation import EMPTY, Context
from .text import normalize

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine, Reply

#: Words that point back to something said before.
POINTERS = frozenset({"it", "that", "this", "those", "these", "them", "they", "one", "ones", "there", "its"})
#: Openings of an elliptical follow-up ("and winding?", "what about my knee?").
_OPENINGS = re.compile(r"^(?:and|so|but|also|what about|how about|then)\b")
#: Question words and fillers that say nothing about the topic ("why does that happen?" asks about the last one;
#: "who does it?" asks who, a question of its own).
_BARE = frozenset({"why", "how", "what", "when", "where", "really", "come", "not", "normal", "ok", "okay", "so", "else",
                   "does", "do", "did", "happen", "happens", "happened", "happening", "mean", "means", "meant"})
#: Messages of at most this many words may be follow-ups even without a pointer ("why not?").
SHORT = 2

_ORDINALS = {
    "first": 0, "1st": 0, "1": 0, "one": 0,
    "second": 1, "2nd": 1, "2": 1, "two": 1,
    "third": 2, "3rd": 2, "3": 2, "three": 2,
    "fourth": 3, "4th": 3, "4": 3, "four": 3,
    "fifth": 4, "5th": 4, "5": 4, "five": 4,
    "last": -1,
}
_PICK = re.compile(
    r"^(?:(?:ok|okay|yes|and|i mean|i meant|what is|what about|how about|tell me about|show me|explain)\s+)*"
    r"(?:the\s+|number\s+|no\s+|option\s+|choice\s+)?"
    rf"(?P<n>{'|'.join(_ORDINALS)})"
    r"(?:\s+(?:one|option|choice|topic|please))*$"
)
_MORE = re.compile(
    r"^(?:(?:can|could|would) you\s+|please\s+)?"
    r"(?:tell me (?:a bit |a little |some )?more(?: about (?:it|that|this|them))?|more|more (?:info|information|details)"
    r"|go on|keep going|say more|what else|anything else to know|explain more|more please)(?:\s+please)?$"
)


def converse(engine: Engine, text: str, context: Context | None, *, language: str | None = None) -> Reply:
    """The reply to *text* in *context* (``None``: no conversation), carrying the next context.

    An emergency is checked before any reply, always; then a message in another
    language gets that language's reply (it is never fed to the English matcher);
    then a worry, whose acknowledgement goes before the answer. Red flags are looked
    for once per message: by :meth:`Engine.answer_alone`, or here when the message
    will not reach it whole.
    """
    code = engine.languages.guess(text, language)
    worry, rest = engine.worries.cut(text) if code is None else (None, text)
    if worry is not None and not engine.worry_fits(rest):
        worry = None  # "take the chicken out of the freezer", "worried about my car loan": not our subject
    flag = engine.red_flag(text) if code is not None or worry is not None else None
    if flag is not None:  # the emergency reply, with the line in the patient's language if it is another
        return replace(engine.emergency(flag, language=code), context=EMPTY)
    if code is not None:
        return replace(engine.in_language(code), context=context)
    if worry is None:
        rest = text  # answer_alone checks for an emergency first
    reply = engine.answer_alone(rest)
    if context is not None and reply.kind != "emergency":
        reply = resolve(engine, rest, reply, context)
    if worry is not None:
        reply = engine.reassure(worry, reply, rest)
    return replace(reply, context=next_context(engine, reply, context or EMPTY))


def resolve(engine: Engine, text: str, alone: Reply, context: Context) -> Reply:
    """*alone* (the message answered on its own) or, for a follow-up, the reply *context* gives it."""
    if alone.kind in ("emergency", "smalltalk") or _is_topic(engine, alone):
        return alone
    norm = normalize(text)
    words = norm.split()
    pick = _PICK.match(norm)
    if pick is not None:
        choices = context.offered or context.listed
        index = _ORDINALS[pick.group("n")]
        if choices and index < len(choices):
            return engine.faq(choices[index]) or alone
        return alone
    if _MORE.match(norm):
        if context.faq_id:
            return engine.more(context.faq_id) or alone
        if context.topic:
            return engine.not_covered(context.topic)
        return engine.no_context()
    pointer = any(w in POINTERS for w in words)
    bare = all(w in _BARE or w in STOPWORDS for w in words)
    follow = pointer or bare or bool(_OPENINGS.match(norm)) or len(words) <= SHORT
    overview = engine.content.overview
    if not follow or (alone.kind == "faq" and not bare and alone.faq_id not in overview):
        return alone  # clear on its own; a pointer to the last topic does not change a specific answer
    if context.faq_id:
        if bare:
            return engine.faq(context.faq_id) or alone
        treated = engine.content.treated_by.get(context.faq_id)
        if treated and _asks_how_it_helps(engine, norm):
            return engine.faq(treated) or alone
        query = _put_in(norm, topic_phrase(engine, context.faq_id))
        if not pointer and context.faq_id not in overview and alone.kind == "clarify" and alone.suggestions:
            # "and the scar part?" after the pain answer names a topic of its own and points at nothing
            moved = alone.suggestions[0].faq_id
            if moved != context.faq_id and moved in _fits(engine, query):
                return engine.faq(moved) or alone
        joined = engine.answer_alone(query)
        if joined.kind == "emergency" or _is_topic(engine, joined):
            return joined
        if joined.kind == "faq" and (joined.faq_id not in overview or joined.faq_id == context.faq_id):
            return joined
        near = _nearby(engine, query, context.faq_id)
        if near is not None:
            return engine.faq(near) or alone
        return joined if joined.kind == "faq" else alone
    if context.topic and (bare or alone.kind != "faq"):
        return engine.not_covered(context.topic)
    if bare:
        return engine.no_context()
    return alone


#: Terms of a question about how needling helps with a problem ("can needling fix that?").
_HELP_TERMS = frozenset({"help", "treat", "work", "releas"})


def _asks_how_it_helps(engine: Engine, norm: str) -> bool:
    return bool(_HELP_TERMS & set(engine.analyzer.analyze(norm, normalized=True).terms))


def _fits(engine: Engine, query: str) -> list[str]:
    """The entries that fit *query* at all, best first."""
    return [c.id for c, score in engine.rank(query, limit=6) if score >= engine.policy.clarify_threshold]


def _nearby(engine: Engine, query: str, faq_id: str) -> str | None:
    """For *query*, the last entry if it fits at all, else the best of its related ones (not overviews)."""
    entry = engine.entry(faq_id)
    near = {faq_id, *(entry.related if entry else ())} - set(engine.content.overview)
    fits = _fits(engine, query)
    if faq_id in fits:
        return faq_id
    return next((c for c in fits if c in near), None)


def topic_phrase(engine: Engine, faq_id: str) -> str:
    """The words of an entry's question that name its topic ("What is fascial winding?" -> "fascial winding").

    After an overview entry, "it" is the treatment itself: the ``subject`` of the conversation section.
    """
    entry = engine.entry(faq_id)
    if entry is None:
        return ""
    subject = engine.content.conversation.get("subject")
    if subject and faq_id in engine.content.overview:
        return normalize(subject)
    words = [w for w in normalize(entry.question).split() if w not in _BARE and w not in STOPWORDS and w not in ("do", "does", "can", "you")]
    return " ".join(words)


def _put_in(norm: str, phrase: str) -> str:
    """*norm* with the first pointer replaced by *phrase*, or *phrase* added when there is none."""
    words = norm.split()
    for i, word in enumerate(words):
        if word in POINTERS and word not in ("they", "there"):  # "they" are the therapists
            return " ".join([*words[:i], phrase, *words[i + 1 :]])
    return f"{norm} {phrase}"


def next_context(engine: Engine, reply: Reply, context: Context) -> Context:
    """What the conversation is about after *reply*."""
    if reply.kind == "faq" and reply.faq_id:
        entry = engine.entry(reply.faq_id)
        return Context(faq_id=reply.faq_id, listed=entry.related if entry else ())
    if reply.kind == "clarify":
        return Context(faq_id=context.faq_id, offered=tuple(s.faq_id for s in reply.suggestions))
    if reply.kind == "smalltalk":
        return context
    if reply.kind == "fallback" and _is_topic(engine, reply):
        return Context(topic=reply.intent)
    return EMPTY


def _is_topic(engine: Engine, reply: Reply) -> bool:
    """Whether *reply* answered a topic the FAQ does not cover."""
    return reply.kind == "fallback" and any(topic.id == reply.intent for topic in engine.content.not_covered)
