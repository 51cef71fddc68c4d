"""Commands for whoever sets the bot up: /whoami tells a person their Telegram user id.

The IT person needs staff members' user ids for ``STAFF_USER_IDS``; Telegram shows them nowhere
in its apps. The id goes to that person's own private chat only and never into the log. In a
group it is the unknown-command reply, so no one's id is shown to the other members.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from .base import BaseHandlers, log
from .render import Outgoing, fit


class SetupHandlers(BaseHandlers):
    async def whoami(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.chat.type != ChatType.PRIVATE:
            return await self.unknown_command(update, context)
        log.info("update=%s whoami", update.update_id)
        body = (
            f"Your Telegram user id is {user.id}.\n"
            "If you are clinic staff, give this number to the person who runs the bot: "
            "it goes into STAFF_USER_IDS."
        )
        await self._send(message, Outgoing(fit(body, self.source.engine.disclaimer)))
