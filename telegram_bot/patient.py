"""Handlers for patients: commands, questions, buttons and inline mode."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from intents import Reply

from .base import BaseHandlers, log
from .render import (
    CB_FAQ,
    CB_NONE,
    CB_TOPICS,
    Incoming,
    Outgoing,
    incoming_from,
    inline_results,
    notice,
    render,
    topics_message,
)


class PatientHandlers(BaseHandlers):
    """Everything a patient can send: commands, text, other messages, buttons, inline queries."""

    async def answer_text(self, update: Update, text: str) -> None:
        """Ask the engine and send its reply; the one path every question takes."""
        engine = self.source.engine
        key = self._conversation(update)
        user = update.effective_user
        language = user.language_code if user is not None else None
        if key is None:
            reply = engine.answer(text, language=language)
        else:
            reply = self.conversations.answer(engine, key, text, language=language)
        self._log(update, reply)
        if not self._is_staff(update):  # staff trying the bot out are not patients with questions
            self._record(text, reply)
        if update.effective_message is not None:
            await self._send(update.effective_message, render(reply, engine))

    # -- commands

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if (key := self._conversation(update)) is not None:
            self.conversations.reset(key)  # /start begins a new conversation
        await self._fixed(update, "welcome")

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._fixed(update, "help")

    async def about(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._fixed(update, "about")

    async def disclaimer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        engine = self.source.engine
        if update.effective_message is not None:
            await self._send(update.effective_message, Outgoing(engine.disclaimer))

    async def topics(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await self._send(update.effective_message, topics_message(self.source.engine))

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        question = " ".join(context.args or ())
        if not question:
            await self._fixed(update, "help")
            return
        await self.answer_text(update, question)

    # -- messages

    @staticmethod
    def _incoming(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Incoming | None:
        """The update as a neutral message, or ``None`` when it is not for the bot."""
        message = update.effective_message
        if message is None:
            return None
        incoming = incoming_from(message, bot_username=context.bot.username, bot_id=context.bot.id)
        return incoming if incoming.should_answer else None

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if (incoming := self._incoming(update, context)) is not None:
            await self.answer_text(update, incoming.text)

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if self._incoming(update, context) is not None:
            await self._fixed(update, "non_text")

    # -- buttons and inline mode

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        engine = self.source.engine
        data = query.data or ""
        if data == CB_TOPICS:
            out = topics_message(engine)
        elif data == CB_NONE:
            reply = engine.message("none_of_these", kind="fallback")
            self._log(update, reply)
            out = render(reply, engine)
        elif data.startswith(CB_FAQ) and (reply := self._choose(update, data[len(CB_FAQ) :])) is not None:
            self._log(update, reply)
            out = render(reply, engine)
        else:
            log.info("update=%s stale or unknown button", update.update_id)
            await query.answer(notice("That button is out of date. Send /topics to browse.", engine), show_alert=True)
            return
        if isinstance(query.message, Message):
            await query.answer()
            await query.edit_message_text(out.text, reply_markup=out.markup)
        else:  # a button under an inline-mode message the bot cannot edit: show the answer as a notice
            await query.answer(notice(out.text.split("\n\n")[0], engine), show_alert=True)

    def _choose(self, update: Update, faq_id: str) -> Reply | None:
        """A topic picked with a button: its answer, and the chat's conversation goes on from it."""
        engine = self.source.engine
        key = self._conversation(update)
        return engine.faq(faq_id) if key is None else self.conversations.choose(engine, key, faq_id)

    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        results = inline_results(query.query[:256], self.source.engine)
        log.info("update=%s inline results=%d", update.update_id, len(results))
        await query.answer(results, cache_time=60, is_personal=False)
