"""What every handler shares: the engine source, the recorder, flood control and sending."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from curation import Curator
from intents import Engine, Reply
from intents.conversation import Conversations

from .flood import FloodGuard
from .render import Outgoing, incoming_from, render

log = logging.getLogger("dnbot.telegram")


class EngineSource(Protocol):
    """Anything that hands out the engine currently in service (a live-reloading FAQ, say)."""

    @property
    def engine(self) -> Engine: ...


class Recorder(Protocol):
    """Where patient-facing replies are reported (the unanswered-question log)."""

    def record(self, question: str, reply: Reply) -> None: ...


@dataclass(frozen=True)
class StaticSource:
    """An :class:`EngineSource` that always serves the same engine."""

    engine: Engine


class BaseHandlers:
    """State and helpers shared by the patient and the staff handlers."""

    def __init__(
        self,
        source: EngineSource,
        recorder: Recorder | None = None,
        *,
        staff_ids: frozenset[int] = frozenset(),
        flood: FloodGuard | None = None,
        conversations: Conversations | None = None,
        curator: Curator | None = None,
    ) -> None:
        self.source = source
        #: Each chat's conversation context (a group's forum topics each have their own); memory only.
        self.conversations = conversations if conversations is not None else Conversations()
        self.recorder = recorder
        self.staff_ids = staff_ids
        self.flood = flood if flood is not None else FloodGuard()
        self.curator = curator

    async def guard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs before every other handler: a user over the message budget is answered once, then ignored."""
        user = update.effective_user
        if user is None or update.inline_query is not None:
            return
        verdict = self.flood.check(user.id, now=time.monotonic())
        if verdict == "ok":
            return
        log.info("update=%s flood control: %s", update.update_id, verdict)
        if verdict == "notice" and update.effective_message is not None and update.callback_query is None:
            await self._fixed(update, "rate_limited")
        raise ApplicationHandlerStop

    # -- helpers

    @staticmethod
    def _conversation(update: Update) -> tuple[int, int | None] | None:
        """The conversation an update belongs to: its chat, and its forum topic in a group."""
        message = update.effective_message
        chat = update.effective_chat
        if chat is None:
            return None
        thread = message.message_thread_id if message is not None and message.is_topic_message else None
        return (chat.id, thread)

    def _record(self, question: str, reply: Reply) -> None:
        if self.recorder is None:
            return
        try:
            self.recorder.record(question, reply)
        except Exception:  # the log must never cost a patient their answer
            log.exception("could not record a reply in the unanswered-question log")

    @staticmethod
    def _log(update: Update, reply: Reply) -> None:
        chat = update.effective_chat
        log.info(
            "update=%s chat=%s kind=%s faq_id=%s score=%s",
            update.update_id,
            chat.type if chat else "-",
            reply.kind,
            reply.faq_id or "-",
            reply.score,
        )

    async def _send(self, message: Message, out: Outgoing) -> None:
        await message.reply_text(out.text, reply_markup=out.markup, do_quote=message.chat.type != ChatType.PRIVATE)

    async def _fixed(self, update: Update, key: str) -> None:
        engine = self.source.engine
        reply = engine.message(key)
        self._log(update, reply)
        if update.effective_message is not None:
            await self._send(update.effective_message, render(reply, engine))

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        incoming = incoming_from(message, bot_username=context.bot.username, bot_id=context.bot.id)
        command = (message.text or "").split()[0] if message.text else ""
        if incoming.private or command.lower().endswith(f"@{context.bot.username}".lower()):
            await self._fixed(update, "unknown_command")

    # -- staff only: everyone else gets the unknown-command reply, so nothing reveals them

    def _is_staff(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.staff_ids
