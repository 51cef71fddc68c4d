"""The webhook server: Telegram posts each update to ``/telegram``.

A request is checked when its headers arrive, before its body is read: one
without the secret token is refused (403) and one that announces more than
:data:`MAX_BODY_BYTES` too (413); a body that grows past the limit anyway is
cut off. So forged or oversized posts cost no memory. A body that is not an
update is refused (400) with one log line that holds nothing of its content.

This follows python-telegram-bot's custom-webhook example: the Application has
no webhook of its own here; this server puts each update on its update queue.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from .settings import Settings

log = logging.getLogger("dnbot.telegram")

#: Telegram's updates are a few KB; a post larger than this is refused unread.
MAX_BODY_BYTES = 1_000_000
#: A client that takes longer than this to send a body is disconnected.
BODY_TIMEOUT = 10.0
PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tornado.web.stream_request_body
class UpdateReceiver(tornado.web.RequestHandler):
    """Receives one update per POST and puts it on the Application's update queue."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, bot_application: Application, secret: str) -> None:
        self.updates = bot_application
        self.secret = secret.encode()
        self.chunks: list[bytes] = []
        self.size = 0

    async def prepare(self) -> None:
        """Runs when the headers have arrived: a refusal now means the body is never read."""
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        length = self.request.headers.get("Content-Length", "")
        if not hmac.compare_digest(given, self.secret):
            await self._refuse(HTTPStatus.FORBIDDEN)
        elif length and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            await self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    async def _refuse(self, status: HTTPStatus) -> None:
        """Answer *status*, then close the connection instead of reading the body."""
        self.set_status(status)
        self.set_header("Connection", "close")
        await self.finish(f"{status.value} {status.phrase}\n")
        self.request.connection.close()  # type: ignore[union-attr]

    async def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self.size += len(chunk)
        if self.size > MAX_BODY_BYTES:  # no Content-Length (chunked), and too long
            await self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        self.chunks.append(chunk)

    async def post(self) -> None:
        if self._finished:
            return
        try:
            update = Update.de_json(json.loads(b"".join(self.chunks)), self.updates.bot)
        except Exception as exc:  # never log the body: it holds a patient's message and name
            log.warning("webhook: refused a post that is not a valid update (%d bytes, %s)", self.size, exc.__class__.__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        await self.updates.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.finish(f"{status_code}\n")

    def log_exception(self, typ: object, value: object, tb: object) -> None:
        if not isinstance(value, tornado.web.HTTPError):  # a refusal is not an error of ours
            super().log_exception(typ, value, tb)  # type: ignore[arg-type]


class _QuietApplication(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the bot logs one line per update itself."""


def webhook_server(application: Application, secret: str) -> HTTPServer:
    """The HTTP server for updates, with the body limit and a body time-out."""
    if not secret:
        raise ValueError("the webhook server needs a secret token (TELEGRAM_WEBHOOK_SECRET)")
    app = _QuietApplication([(rf"{PATH}/?", UpdateReceiver, {"bot_application": application, "secret": secret})])
    return HTTPServer(app, max_body_size=MAX_BODY_BYTES, body_timeout=BODY_TIMEOUT, idle_connection_timeout=60)


async def serve_webhook(application: Application, settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Register the webhook with Telegram and serve updates until SIGTERM, Ctrl-C or *stop*."""
    if not settings.webhook_secret:
        raise ValueError("the webhook server needs a secret token (TELEGRAM_WEBHOOK_SECRET)")
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await _serve(application, settings, stop)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _serve(application: Application, settings: Settings, stop: asyncio.Event) -> None:
    await application.initialize()
    server = webhook_server(application, settings.webhook_secret or "")
    try:
        server.listen(settings.port, address=settings.listen)  # a port in use fails here, before anything starts
        if application.post_init:
            await application.post_init(application)
        await application.bot.set_webhook(
            url=settings.webhook_url, secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        log.info("webhook server listening on %s:%s%s", settings.listen, settings.port, PATH)
        await stop.wait()
    finally:
        server.stop()
        await server.close_all_connections()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
