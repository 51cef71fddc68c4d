"""The Telegram side of the bot (python-telegram-bot 22).

Handlers are thin: each turns an Update into a neutral :class:`Incoming`
message at the edge, asks the engine, and turns the :class:`~intents.Reply`
into a Telegram message with :func:`render`. Everything about what is said
lives in the engine and ``faq.yaml``; everything here is about delivery.

Messages are sent as plain text (no parse mode), so nothing a user typed can
ever be read back as markup.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from intents import Engine, Reply
from intents.review import format_groups, format_totals, review

log = logging.getLogger("dnbot.telegram")

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


@dataclass(frozen=True)
class Settings:
    token: str
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    max_retries: int = 3
    staff_ids: frozenset[int] = frozenset()
    reload_interval: float = 3.0
    flood_limit: int = 20  # messages per user per minute
    read_timeout: float | None = None  # seconds; None keeps python-telegram-bot's default

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **options: object) -> Settings:
        """Build settings from the environment; raises ``ValueError`` with a one-line reason."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ValueError(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram (send /newbot), "
                "then run: TELEGRAM_BOT_TOKEN=<token> python bot.py run"
            )
        values = {k: v for k, v in options.items() if v is not None}
        webhook_url = values.get("webhook_url")
        secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or None
        if webhook_url and not secret:
            raise ValueError(
                "webhook mode needs TELEGRAM_WEBHOOK_SECRET (1-256 characters A-Z, a-z, 0-9, _ and -), "
                "so that forged requests are refused"
            )
        if secret and not all(c.isalnum() or c in "_-" for c in secret) or (secret and len(secret) > 256):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET may only use A-Z, a-z, 0-9, _ and - (at most 256 characters)")
        raw_staff = env.get("STAFF_USER_IDS", "")
        try:
            staff = frozenset(int(part) for part in raw_staff.replace(" ", "").split(",") if part)
        except ValueError:
            raise ValueError(f"STAFF_USER_IDS must be Telegram user ids separated by commas, not {raw_staff!r}") from None
        raw_limit = env.get("BOT_FLOOD_LIMIT", "").strip() or "20"
        if not raw_limit.isdigit() or int(raw_limit) < 1:
            raise ValueError(f"BOT_FLOOD_LIMIT must be a whole number of messages per minute (1 or more), not {raw_limit!r}")
        return cls(
            token=token,
            base_url=env.get("TELEGRAM_BASE_URL") or None,
            webhook_secret=secret,
            staff_ids=staff,
            flood_limit=int(raw_limit),
            **values,
        )


# --------------------------------------------------------------------------- flood protection


class FloodGuard:
    """Per-user message budget: *limit* messages per *window* seconds.

    The first message over the budget gets one notice; the rest are ignored
    until the window has passed. Memory stays bounded: at most *max_users*
    users are remembered (the least recently seen are forgotten first), each
    with at most *limit* timestamps.

    >>> guard = FloodGuard(limit=2, window=60)
    >>> [guard.check(1, now=t) for t in (0, 1, 2, 3)], guard.check(2, now=3), guard.check(1, now=61)
    (['ok', 'ok', 'notice', 'drop'], 'ok', 'ok')
    """

    def __init__(self, *, limit: int = 20, window: float = 60.0, max_users: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._seen: OrderedDict[int, tuple[deque[float], bool]] = OrderedDict()

    def check(self, user_id: int, *, now: float) -> str:
        """``"ok"`` to answer, ``"notice"`` to send the one notice, ``"drop"`` to stay silent."""
        times, noticed = self._seen.pop(user_id, (deque(maxlen=self.limit), False))
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            verdict, noticed = "ok", False
        else:
            verdict, noticed = ("drop" if noticed else "notice"), True
        self._seen[user_id] = (times, noticed)
        while len(self._seen) > self.max_users:
            self._seen.popitem(last=False)
        return verdict

    def __len__(self) -> int:
        return len(self._seen)


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
        entries = [entry for entry, score in engine.rank(query, limit=MAX_INLINE_RESULTS) if score >= engine.policy.clarify_threshold]
    else:
        entries = list(engine.content.faqs[:MAX_INLINE_RESULTS])
    results = []
    for entry in entries:
        text = fit(entry.answer, engine.disclaimer)
        results.append(
            InlineQueryResultArticle(
                id=entry.id,
                title=entry.title,
                description=entry.answer[:100],
                input_message_content=InputTextMessageContent(text),
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


# --------------------------------------------------------------------------- handlers


class Handlers:
    """The bot's Telegram handlers, bound to an engine source and an optional recorder."""

    def __init__(
        self,
        source: EngineSource,
        recorder: Recorder | None = None,
        *,
        staff_ids: frozenset[int] = frozenset(),
        flood: FloodGuard | None = None,
    ) -> None:
        self.source = source
        self.recorder = recorder
        self.staff_ids = staff_ids
        self.flood = flood if flood is not None else FloodGuard()

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

    async def answer_text(self, update: Update, text: str) -> None:
        """Ask the engine and send its reply; the one path every question takes."""
        engine = self.source.engine
        reply = engine.answer(text)
        self._log(update, reply)
        self._record(text, reply)
        if update.effective_message is not None:
            await self._send(update.effective_message, render(reply, engine))

    # -- commands

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._fixed(update, "welcome")

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._fixed(update, "help")

    async def about(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._fixed(update, "about")

    async def disclaimer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        engine = self.source.engine
        if update.effective_message is not None:
            await self._send(update.effective_message, Outgoing(engine.disclaimer))

    async def _fixed(self, update: Update, key: str) -> None:
        engine = self.source.engine
        reply = engine.message(key)
        self._log(update, reply)
        if update.effective_message is not None:
            await self._send(update.effective_message, render(reply, engine))

    async def topics(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await self._send(update.effective_message, topics_message(self.source.engine))

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        question = " ".join(context.args or ())
        if not question:
            await self._fixed(update, "help")
            return
        await self.answer_text(update, question)

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
        elif data.startswith(CB_FAQ) and (reply := engine.faq(data[len(CB_FAQ) :])) is not None:
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

    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        results = inline_results(query.query[:256], self.source.engine)
        log.info("update=%s inline results=%d", update.update_id, len(results))
        await query.answer(results, cache_time=60, is_personal=False)

    # -- errors

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log first, then tell the user, if there is one, in a way that cannot fail again.

        After a network error or a refusal by Telegram (the user blocked the bot, a time-out
        whose message may well have arrived) nothing more is sent: it would fail again, or
        say the same thing twice.
        """
        error = context.error
        if isinstance(error, TelegramError):
            update_id = update.update_id if isinstance(update, Update) else "-"
            log.error("update=%s not answered: %s: %s", update_id, error.__class__.__name__, error)
            return
        log.error("error while handling an update", exc_info=error)
        if isinstance(update, Update) and update.effective_message is not None and update.callback_query is None:
            try:
                reply = self.source.engine.message("error")
                await update.effective_message.reply_text(reply.text)
            except Exception:
                log.warning("could not tell the user about the error", exc_info=True)


def register(application: Application, handlers: Handlers) -> None:
    """All handlers in one place: commands, messages, buttons, inline mode, errors."""
    new_messages = filters.UpdateType.MESSAGE  # edited messages and channel posts are ignored
    application.add_handler(TypeHandler(Update, handlers.guard), group=-1)
    for name, callback in (
        ("start", handlers.start),
        ("help", handlers.help),
        ("about", handlers.about),
        ("disclaimer", handlers.disclaimer),
        ("topics", handlers.topics),
        ("ask", handlers.ask),
        ("stats", handlers.stats),
        ("unanswered", handlers.unanswered),
        ("reload", handlers.reload),
    ):
        application.add_handler(CommandHandler(name, callback, filters=new_messages))
    application.add_handler(MessageHandler(new_messages & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, handlers.text))
    application.add_handler(MessageHandler(new_messages & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline))
    application.add_error_handler(handlers.error)


async def _post_init(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    log.info("bot @%s is running", application.bot.username)
    refresh = application.bot_data.get("refresh")
    if refresh is not None:
        application.bot_data["watcher"] = asyncio.create_task(_watch(refresh, application.bot_data["interval"]))


async def _post_shutdown(application: Application) -> None:
    watcher = application.bot_data.pop("watcher", None)
    if watcher is not None:
        watcher.cancel()


async def _watch(refresh: Callable[[], object], interval: float) -> None:
    """Look at faq.yaml every *interval* seconds; a valid change is swapped in between messages."""
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(refresh)
        except Exception:
            log.exception("could not check faq.yaml for changes")


def build_application(
    settings: Settings,
    *,
    source: EngineSource,
    recorder: Recorder | None = None,
    extra: Iterable[Callable[[Application], None]] = (),
) -> Application:
    """The configured Application; *extra* callables may add more handlers (staff commands)."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .rate_limiter(AIORateLimiter(max_retries=settings.max_retries))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.read_timeout is not None:
        builder = builder.read_timeout(settings.read_timeout)
    application = builder.build()
    refresh = getattr(source, "refresh_if_changed", None)
    if refresh is not None:
        application.bot_data.update(refresh=refresh, interval=settings.reload_interval)
    flood = FloodGuard(limit=settings.flood_limit)
    register(application, Handlers(source, recorder, staff_ids=settings.staff_ids, flood=flood))
    for add in extra:
        add(application)
    return application


class _OneLineErrors(logging.Filter):
    """Turn python-telegram-bot's network tracebacks into one clear line, without the token.

    While Telegram cannot be reached, the polling loop fails again and again
    with the same error: that is logged once, and once more when it changes.
    """

    def __init__(self, token: str, *, quiet_for: float = 60.0) -> None:
        super().__init__()
        self.token = token
        self.quiet_for = quiet_for
        self._last: tuple[str, float] = ("", 0.0)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TelegramError):
            error = record.exc_info[1]
            where = record.getMessage().split(":")[0]
            key = f"{where} {error.__class__.__name__}: {error}"
            if key == self._last[0] and record.created - self._last[1] < self.quiet_for:
                return False
            self._last = (key, record.created)
            record.msg = f"{where}: {error.__class__.__name__}: {error} (retrying; repeats of this error are not logged)"
            record.args = None
            record.exc_info = None
        if self.token and self.token in str(record.msg):
            record.msg = str(record.msg).replace(self.token, "<token>")
        return True


def configure_logging(token: str = "") -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_OneLineErrors(token))


def run(settings: Settings, *, source: EngineSource, recorder: Recorder | None = None, extra: Iterable[Callable[[Application], None]] = ()) -> int:
    """Run until SIGTERM or Ctrl-C (exit 0). A rejected token or an unreachable API: one line, exit 2."""
    application = build_application(settings, source=source, recorder=recorder, extra=extra)
    try:
        if settings.webhook_url:
            application.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print("Telegram rejected TELEGRAM_BOT_TOKEN (getMe failed). Check the token with @BotFather.", file=sys.stderr)
        return 2
    except TelegramError as exc:
        print(f"Could not start the Telegram bot: {exc.__class__.__name__}: {_without(exc, settings.token)}", file=sys.stderr)
        return 2
    return 0


def _without(exc: BaseException, secret: str) -> str:
    return str(exc).replace(secret, "<token>")
