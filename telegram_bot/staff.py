"""Staff-only commands and the teach buttons. Everyone else gets the unknown-command reply, so nothing reveals them.

``/unanswered`` sends one message per group of unanswered questions, with
buttons: "Add to <nearest entry>", "Pick entry...", "Not covered" and
"Dismiss". One tap teaches through :class:`curation.Curator` (the same
function as ``bot.py teach``) and the message is replaced by what changed.

Button data is ``t:<action>:<group key>[:<entry or topic id>]``, at most 64
bytes. A button is acted on only for a user in STAFF_USER_IDS, for a group
still to review and an entry or topic that exists; anything else changes
nothing and gets a short notice.
"""

from __future__ import annotations

import asyncio

from telegram import Message, Update
from telegram.ext import ContextTypes

from curation import DEFAULT_DAYS, Curator, NumberedGroup, Outcome
from intents import Engine
from intents.review import format_totals

from .base import BaseHandlers, log
from .render import MAX_CALLBACK_BYTES, Outgoing, fit, notice

#: Callback data of the teach buttons starts with this.
CB_TEACH = "t:"
#: Groups sent per /unanswered (the next ones come with the next /unanswered, once these are dealt with).
MAX_GROUPS = 5
ADD, PICK_ENTRY, PICK_TOPIC, KEYWORD, DISMISS, BACK = "a", "p", "n", "k", "d", "b"
STALE_LIST = "That list is out of date. Send /unanswered again."
NOT_FOR_YOU = "That button is out of date. Send /topics to browse."


def teach_data(action: str, group: NumberedGroup, target: str = "") -> str | None:
    """Callback data for a teach button, or ``None`` if it would not fit in Telegram's 64 bytes."""
    data = f"{CB_TEACH}{action}:{group.key}" + (f":{target}" if target else "")
    return data if len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES else None


def _rows(*buttons: tuple[str, str | None]) -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(((label, data),) for label, data in buttons if data is not None)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def group_text(group: NumberedGroup, engine: Engine) -> str:
    g = group.group
    lines = [f"#{group.number} \u00b7 asked {g.count}\u00d7: \u201c{g.example}\u201d"]
    if g.topic:
        lines.append(f"Reached the not-covered topic '{g.topic}'.")
        lines.append(f'To give that topic the clinic\'s own answer: python bot.py teach {group.number} --answer "..."')
    elif g.nearest and (entry := engine.entry(g.nearest)) is not None:
        lines.append(f"Nearest entry: {entry.title} ({g.nearest}, score {g.nearest_score:g}).")
    else:
        lines.append("No entry is near: a new entry, or not covered?")
    return "\n".join(lines)


def group_message(group: NumberedGroup, engine: Engine) -> Outgoing:
    """One group with its buttons."""
    g = group.group
    nearest = engine.entry(g.nearest) if g.nearest and not g.topic else None
    buttons = _rows(
        *((((f"Add to {_short(nearest.title)}"), teach_data(ADD, group, nearest.id)),) if nearest else ()),
        ("Pick entry\u2026", teach_data(PICK_ENTRY, group)),
        *((("Not covered", teach_data(PICK_TOPIC, group)),) if not g.topic else ()),
        ("Dismiss", teach_data(DISMISS, group)),
    )
    return Outgoing(fit(group_text(group, engine), engine.disclaimer), buttons)


def pick_message(group: NumberedGroup, engine: Engine, *, topics: bool) -> Outgoing:
    """The list of entries (or not-covered topics) to teach this group's question to."""
    if topics:
        head = "Which not-covered topic is it? Its question becomes a keyword of the topic:"
        choices = [(t.id, teach_data(KEYWORD, group, t.id)) for t in engine.content.not_covered]
    else:
        head = "Which entry answers it? Its question becomes another way patients ask that entry:"
        choices = [(_short(e.title), teach_data(ADD, group, e.id)) for e in engine.content.faqs]
    body = f"{group_text(group, engine)}\n\n{head}"
    return Outgoing(fit(body, engine.disclaimer), _rows(*choices, ("\u2b05 Back", teach_data(BACK, group))))


class StaffHandlers(BaseHandlers):
    """/stats, /unanswered (with the teach buttons) and /reload for the user ids in STAFF_USER_IDS."""


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
        curator = self.curator
        if curator is None or curator.log is None or not curator.log.settings.enabled:
            return await self._staff_reply(update, context, "The unanswered-question log is off (BOT_LOG_UNANSWERED=0).")
        engine = self.source.engine
        groups = await asyncio.to_thread(curator.groups, engine)
        hits = await asyncio.to_thread(curator.topic_hits, engine)
        if not groups:
            return await self._staff_reply(update, context, f"Nothing unanswered to review in the last {DEFAULT_DAYS} days.")
        topics = ", ".join(f"{topic} {count}" for topic, count, answered in hits[:5] if not answered) or "none"
        shown = min(len(groups), MAX_GROUPS)
        await self._staff_reply(
            update, context,
            f"Unanswered questions, last {DEFAULT_DAYS} days: {len(groups)} groups to review; the top {shown} follow.\n"
            f"Not-covered topics patients hit most: {topics}\n"
            "One tap under a group teaches the bot; faq.yaml keeps everything else as it was.",
        )
        if update.effective_message is not None:
            for group in groups[:MAX_GROUPS]:
                await self._send(update.effective_message, group_message(group, engine))

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

    # -- the teach buttons

    async def teach_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        engine = self.source.engine
        if not self._is_staff(update) or self.curator is None:
            log.info("update=%s teach button from someone not on the staff: ignored", update.update_id)
            await query.answer(notice(NOT_FOR_YOU, engine), show_alert=True)
            return
        curator = self.curator
        action, key, target = _parse(query.data or "")
        group = await asyncio.to_thread(curator.find, engine, key=key) if key is not None else None
        known = {e.id for e in engine.content.faqs} if action == ADD else {t.id for t in engine.content.not_covered}
        if group is None or action is None or (action in (ADD, KEYWORD) and target not in known):
            log.info("update=%s stale or unknown teach button", update.update_id)
            await query.answer(notice(STALE_LIST, engine), show_alert=True)
            return
        log.info("update=%s teach button: %s", update.update_id, action)
        outcome: Outcome | None = None
        if action == PICK_ENTRY:
            out = pick_message(group, engine, topics=False)
        elif action == PICK_TOPIC:
            out = pick_message(group, engine, topics=True)
        elif action == BACK:
            out = group_message(group, engine)
        elif action == ADD:
            outcome = await asyncio.to_thread(curator.add_alternate, target, group.group.example, group)
        elif action == KEYWORD:
            outcome = await asyncio.to_thread(curator.add_keyword, target, group.group.example, group)
        else:
            outcome = await asyncio.to_thread(curator.dismiss, group)
        if outcome is not None:
            engine = self.source.engine  # reloaded by the teach action
            body = f"#{group.number} \u201c{group.group.example}\u201d\n{outcome.text}"
            # Refused: the buttons stay, so another choice is one tap away.
            out = Outgoing(fit(body, engine.disclaimer), () if outcome.changed else group_message(group, engine).buttons)
        await query.answer()
        if isinstance(query.message, Message):
            await query.edit_message_text(out.text, reply_markup=out.markup)


def _parse(data: str) -> tuple[str | None, int | None, str]:
    """``t:<action>:<key>[:<target>]`` as (action, key, target); ``(None, None, "")`` if malformed."""
    parts = data.split(":")
    if len(parts) not in (3, 4) or parts[0] + ":" != CB_TEACH or not parts[2].isdigit():
        return None, None, ""
    action, key, target = parts[1], int(parts[2]), parts[3] if len(parts) == 4 else ""
    needs_target = action in (ADD, KEYWORD)
    if action not in (ADD, PICK_ENTRY, PICK_TOPIC, KEYWORD, DISMISS, BACK) or needs_target != bool(target):
        return None, None, ""
    return action, key, target
