"""Turning engine replies into Telegram messages, and Telegram messages into neutral ones.

Messages are sent as plain text (no parse mode), so nothing a user typed can
ever be read back as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
)
from telegram.constants import ChatType, MessageLimit

from intents import Engine, Reply

#: Commands shown in Telegram's menu; the bot registers them itself at start-up.
COMMANDS = (
    ("start", "Welcome and what I can answer"),
    ("topics", "Browse all topics"),
    ("help", "How to ask a question"),
    ("about", "About this bot and your privacy"),
    ("disclaimer", "Medical disclaimer"),
    ("ask", "Ask a question (in groups)"),
)
#: Callback data the bot's buttons carry: stateless, naming the entry.
CB_FAQ, CB_TOPICS, CB_NONE = "faq:", "topics", "none"
MAX_CALLBACK_BYTES = 64
MAX_RELATED = 3
MAX_INLINE_RESULTS = 5
MAX_TOAST = 200  # characters Telegram shows in a callback query notice


# --------------------------------------------------------------------------- neutral messages


@dataclass(frozen=True)
class Incoming:
    """A text message as the bot sees it, whatever chat it came from."""

    text: str
    private: bool
    addressed: bool  # private chat, @mention, reply to the bot, or /ask

    @property
    def should_answer(self) -> bool:
        return self.private or self.addressed


def incoming_from(message: Message, *, bot_username: str, bot_id: int) -> Incoming:
    """Convert a Telegram message to :class:`Incoming`, removing the bot's @mention."""
    text = message.text or message.caption or ""
    private = message.chat.type == ChatType.PRIVATE
    mention = f"@{bot_username}".lower()
    mentioned = False
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if value.lower() == mention:
            mentioned = True
            text = text.replace(value, " ")
    replied = message.reply_to_message
    to_bot = bool(replied and replied.from_user and replied.from_user.id == bot_id)
    return Incoming(text=" ".join(text.split()), private=private, addressed=private or mentioned or to_bot)


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Outgoing:
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = field(default=())  # rows of (label, callback data)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.buttons:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in self.buttons]
        )


def fit(body: str, disclaimer: str, *, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """Body and disclaimer in at most *limit* characters; the body is cut, never the disclaimer.

    >>> fit("x" * 5000, "Not medical advice.", limit=40)
    'xxxxxxxxxxxxxxxxxx\u2026\\n\\nNot medical advice.'
    """
    tail = f"\n\n{disclaimer}"
    if len(body) + len(tail) <= limit:
        return body + tail
    return body[: limit - len(tail) - 1].rstrip() + "\u2026" + tail


def callback_for(faq_id: str) -> str:
    data = CB_FAQ + faq_id
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"FAQ id '{faq_id}' is too long for a Telegram button")
    return data


def render(reply: Reply, engine: Engine) -> Outgoing:
    """The Telegram message for an engine reply: text ending with the disclaimer, and its buttons."""
    text = fit(reply.body, engine.disclaimer)
    rows: list[tuple[tuple[str, str], ...]] = []
    if reply.kind == "clarify":
        rows = [((s.question, callback_for(s.faq_id)),) for s in reply.suggestions]
        rows.append((("None of these", CB_NONE),))
    elif reply.kind == "faq" and reply.faq_id:
        entry = engine.entry(reply.faq_id)
        related = [engine.entry(r) for r in (entry.related if entry else ())]
        rows = [((e.title, callback_for(e.id)),) for e in related[:MAX_RELATED] if e is not None]
        rows.append((("\u2b05 All topics", CB_TOPICS),))
    return Outgoing(text, tuple(rows))


def topics_message(engine: Engine) -> Outgoing:
    """The /topics menu: one button per FAQ entry."""
    body = "Pick a topic to read about it:"
    rows = tuple(((entry.title, callback_for(entry.id)),) for entry in engine.content.faqs)
    return Outgoing(fit(body, engine.disclaimer), rows)


def notice(text: str, engine: Engine) -> str:
    """A short callback-query notice that still carries the disclaimer (cut to Telegram's 200)."""
    return fit(text, engine.disclaimer, limit=MAX_TOAST)


def inline_results(query: str, engine: Engine) -> list[InlineQueryResultArticle]:
    """Up to five answers for inline mode; an empty query offers the first topics of the FAQ."""
    if query.strip():
        urgent = engine.answer(query)
        if urgent.kind == "emergency":  # safety first, in inline mode too
            return [
                InlineQueryResultArticle(
                    id="emergency",
                    title="This may be an emergency",
                    description=urgent.body[:100],
                    input_message_content=InputTextMessageContent(fit(urgent.body, engine.disclaimer)),
                )
            ]
        entries = [entry for entry, score in engine.rank(query, limit=MAX_INLINE_RESULTS) if score >= engine.policy.clarify_threshold]
    else:
        entries = list(engine.content.faqs[:MAX_INLINE_RESULTS])
    results = []
    for entry in entries:
        answer = engine.faq(entry.id).body  # placeholders filled, as in any reply
        results.append(
            InlineQueryResultArticle(
                id=entry.id,
                title=entry.title,
                description=answer[:100],
                input_message_content=InputTextMessageContent(fit(answer, engine.disclaimer)),
            )
        )
    if not results:
        fallback = engine.fallback()
        results.append(
            InlineQueryResultArticle(
                id="not-in-faq",
                title="Not in my FAQ",
                description="Ask your physical therapist or the front desk",
                input_message_content=InputTextMessageContent(fit(fallback.body, engine.disclaimer)),
            )
        )
    return results

