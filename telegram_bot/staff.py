"""Staff-only commands. Everyone else gets the unknown-command reply, so nothing reveals them."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from intents.review import format_groups, format_totals, review

from .base import BaseHandlers, log
from .render import Outgoing, fit


class StaffHandlers(BaseHandlers):
    """/stats, /unanswered and /reload for the user ids in STAFF_USER_IDS."""

    async def _staff_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE, body: str) -> None:
        engine = self.source.engine
        log.info("update=%s staff command", update.update_id)
        if update.effective_message is not None:
            await self._send(update.effective_message, Outgoing(fit(body, engine.disclaimer)))

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self._is_staff(update):
            return await self.unknown_command(update, context)
        if not hasattr(self.recorder, "totals"):
            return await self._staff_reply(update, context, "The unanswered-question log is off (BOT_LOG_UNANSWERED=0).")
        kinds, topics = self.recorder.totals(days=7)  # type: ignore[union-attr]
        await self._staff_reply(update, context, "Last 7 days\n" + "\n".join(format_totals(kinds, topics)))

    async def unanswered(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self._is_staff(update):
            return await self.unknown_command(update, context)
        if not hasattr(self.recorder, "unanswered"):
            return await self._staff_reply(update, context, "The unanswered-question log is off (BOT_LOG_UNANSWERED=0).")
        rows = self.recorder.unanswered(days=30)  # type: ignore[union-attr]
        groups = review([(row.question, row.topic) for row in rows], self.source.engine, limit=10)
        lines = format_groups(groups) or ["Nothing unanswered in the last 30 days."]
        await self._staff_reply(update, context, "Top unanswered questions (30 days)\n" + "\n".join(lines))

    async def reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self._is_staff(update):
            return await self.unknown_command(update, context)
        reload = getattr(self.source, "reload", None)
        if reload is None:
            return await self._staff_reply(update, context, "This bot serves a fixed FAQ; restart it to change the FAQ.")
        problems = await asyncio.to_thread(reload)
        if problems:
            body = "The FAQ was NOT reloaded; the previous version stays in service.\n" + "\n".join(problems)
        else:
            body = f"FAQ reloaded: {len(self.source.engine.content.faqs)} entries."
        await self._staff_reply(update, context, body)
