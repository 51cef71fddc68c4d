"""The Application: handler registration, the error handler, start-up, FAQ watching, polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterable

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from curation import Curator
from intents.conversation import Conversations

from .base import EngineSource, Recorder
from .flood import FloodGuard
from .patient import PatientHandlers
from .render import COMMANDS
from .settings import Settings
from .setup import SetupHandlers
from .staff import CB_TEACH, StaffHandlers

log = logging.getLogger("dnbot.telegram")


class Handlers(PatientHandlers, StaffHandlers, SetupHandlers):
    """The bot's Telegram handlers, bound to an engine source and an optional recorder."""

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
        ("whoami", handlers.whoami),
    ):
        application.add_handler(CommandHandler(name, callback, filters=new_messages))
    application.add_handler(MessageHandler(new_messages & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, handlers.text))
    application.add_handler(MessageHandler(new_messages & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text))
    application.add_handler(CallbackQueryHandler(handlers.teach_button, pattern=f"^{CB_TEACH}"))
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
    curator: Curator | None = None,
    extra: Iterable[Callable[[Application], None]] = (),
    conversations: Conversations | None = None,
) -> Application:
    """The configured Application; *curator* makes the teach buttons work; *extra* callables may add more handlers.

    *conversations* holds each chat's context (a fresh in-memory store by default).
    """
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
    handlers = Handlers(
        source, recorder, staff_ids=settings.staff_ids, flood=flood, conversations=conversations, curator=curator
    )
    register(application, handlers)
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


def run(
    settings: Settings,
    *,
    source: EngineSource,
    recorder: Recorder | None = None,
    curator: Curator | None = None,
    extra: Iterable[Callable[[Application], None]] = (),
) -> int:
    """Run until SIGTERM or Ctrl-C (exit 0). A rejected token or an unreachable API: one line, exit 2."""
    application = build_application(settings, source=source, recorder=recorder, curator=curator, extra=extra)
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
