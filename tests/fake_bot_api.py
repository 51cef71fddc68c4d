"""A stand-in Telegram Bot API server on 127.0.0.1, for tests and benchmarks.

It speaks just enough of the Bot API for the bot: getMe, getUpdates (long
polling), sendMessage, editMessageText, answerCallbackQuery,
answerInlineQuery, setMyCommands, deleteWebhook and setWebhook; any other
method gets a plain 404 error. python-telegram-bot posts form-encoded fields
whose non-string values are JSON; they are decoded before being recorded.

Use::

    with FakeBotApi() as api:
        env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url}
        api.push(api.text_update("what is a trigger point?"))
        sent = api.wait_for("sendMessage")

Faults are injected per method with :meth:`FakeBotApi.fail`: ``"429"`` (with
``retry_after``), ``"500"``, ``"403"`` (bot blocked by the user), ``"drop"``
(the connection is closed without an answer) and ``"slow"`` (the answer comes
after ``delay`` seconds, for client time-outs).
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 4242
#: Long polls are answered after at most this many seconds, whatever the client asked.
MAX_POLL_WAIT = 0.5


@asynccontextmanager
async def polling(app: Any) -> AsyncIterator[Any]:
    """Run a python-telegram-bot Application against the stand-in server for the ``with`` block."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class _Fault:
    kind: str
    times: int
    retry_after: int = 1
    delay: float = 0.0


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[_Fault]] = field(default_factory=dict)


# Fields that are text even when they look like a number or JSON.
_TEXT_FIELDS = frozenset({"text", "callback_query_id", "inline_query_id", "url", "secret_token", "next_offset"})


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    """Form fields as python-telegram-bot sends them: strings, with other values JSON-encoded."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    params: dict[str, Any] = {}
    for key, value in parse_qsl(raw.decode("utf-8"), keep_blank_values=True):
        if key in _TEXT_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


class FakeBotApi:
    """The stand-in server. Start with ``with FakeBotApi() as api:`` or :meth:`start`/:meth:`stop`."""

    def __init__(self, *, token: str = "4242:TEST-token_for-stand-in", username: str = "dn_faq_test_bot") -> None:
        self.token = token
        self.username = username
        self._state = _State()
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": lambda p: self.me,
            "getUpdates": self._get_updates,
            "sendMessage": self._message_result,
            "editMessageText": self._message_result,
            "answerCallbackQuery": lambda p: True,
            "answerInlineQuery": lambda p: True,
            "setMyCommands": lambda p: True,
            "deleteWebhook": lambda p: True,
            "setWebhook": lambda p: True,
            "getWebhookInfo": lambda p: {"url": "", "has_custom_certificate": False, "pending_update_count": 0},
        }

    # ------------------------------------------------------------------ life cycle

    def start(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed-ACK stalls

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                api._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What goes into TELEGRAM_BASE_URL (the token is appended by the client)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Dry Needling FAQ",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    # ------------------------------------------------------------------ test API

    def push(self, *updates: dict[str, Any]) -> None:
        """Queue updates for getUpdates (update ids are assigned here)."""
        with self._lock:
            for update in updates:
                update.setdefault("update_id", next(self._ids))
                self._state.updates.append(update)
            self._lock.notify_all()

    def discard_updates(self) -> None:
        """Forget queued updates (a malformed one would otherwise be fetched again and again)."""
        with self._lock:
            self._state.updates.clear()

    def fail(self, method: str, kind: str, *, times: int = 1, retry_after: int = 1, delay: float = 0.0) -> None:
        """Make the next *times* calls of *method* fail with *kind* (see the module docstring)."""
        with self._lock:
            self._state.faults.setdefault(method, []).append(_Fault(kind, times, retry_after, delay))

    def clear_faults(self, method: str | None = None) -> None:
        """End injected faults (of one method, or all)."""
        with self._lock:
            if method is None:
                self._state.faults.clear()
            else:
                self._state.faults.pop(method, None)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._state.calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, *, timeout: float = 30.0, where: Callable[[Call], bool] | None = None) -> list[Call]:
        """Wait until *method* was called successfully *count* times; return those calls."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self._state.calls if c.method == method and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{method} called {len(found)} times, expected {count}; calls: {[c.method for c in self._state.calls]}")
                self._lock.wait(left)

    def sent_texts(self) -> list[str]:
        return [c.params["text"] for c in self.calls("sendMessage")]

    # ------------------------------------------------------------------ update builders

    def text_update(
        self,
        text: str,
        *,
        chat_id: int = 1001,
        chat_type: str = "private",
        user_id: int = 501,
        entities: list[dict[str, Any]] | None = None,
        reply_to_bot: bool = False,
        edited: bool = False,
        forward: bool = False,
        language_code: str | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "Clinic staff"} if chat_type != "private" else {"first_name": "Pat"})},
            "from": {"id": user_id, "is_bot": False, "first_name": "Pat", **({"language_code": language_code} if language_code else {})},
            "text": text,
        }
        if thread_id is not None:  # a message in a forum topic of a group
            message["chat"]["is_forum"] = True
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if entities:
            message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1, "date": int(time.time()), "chat": message["chat"],
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Dry Needling FAQ", "username": self.username},
                "text": "earlier answer",
            }
        if forward:
            message["forward_origin"] = {"type": "hidden_user", "date": int(time.time()), "sender_user_name": "A patient"}
        return {"edited_message" if edited else "message": message}

    def mention_update(self, text_after: str, **kwargs: Any) -> dict[str, Any]:
        mention = f"@{self.username}"
        return self.text_update(
            f"{mention} {text_after}",
            entities=[{"type": "mention", "offset": 0, "length": len(mention)}],
            **kwargs,
        )

    def sticker_update(self, *, chat_id: int = 1001, user_id: int = 501) -> dict[str, Any]:
        return {
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
                "from": {"id": user_id, "is_bot": False, "first_name": "Pat"},
                "sticker": {
                    "file_id": "sticker1", "file_unique_id": "s1", "type": "regular",
                    "width": 512, "height": 512, "is_animated": False, "is_video": False,
                },
            }
        }

    def callback_update(self, data: str, *, chat_id: int = 1001, user_id: int = 501, message_id: int = 77) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": f"cb{next(self._ids)}",
                "from": {"id": user_id, "is_bot": False, "first_name": "Pat"},
                "chat_instance": "ci1",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Dry Needling FAQ"},
                    "text": "earlier",
                },
            }
        }

    def inline_update(self, query: str, *, user_id: int = 501) -> dict[str, Any]:
        return {
            "inline_query": {
                "id": f"iq{next(self._ids)}",
                "from": {"id": user_id, "is_bot": False, "first_name": "Pat"},
                "query": query,
                "offset": "",
            }
        }

    # ------------------------------------------------------------------ serving

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), MAX_POLL_WAIT)
        deadline = time.monotonic() + wait
        with self._lock:
            self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
            while not self._state.updates and time.monotonic() < deadline:
                self._lock.wait(deadline - time.monotonic())
            return list(self._state.updates[:100])

    def _message_result(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id", 1001)
        return {
            "message_id": params.get("message_id") or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"},
            "from": self.me,
            "text": params.get("text", ""),
        }

    def _next_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._state.faults.get(method) or []
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            self._reply(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = request.path[len(prefix):].split("?")[0]
        params = _decode(raw, request.headers.get("Content-Type", ""))
        fault = self._next_fault(method)
        if fault is not None:
            if fault.kind == "drop":
                request.close_connection = True
                try:
                    request.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if fault.kind == "429":
                self._reply(request, 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {fault.retry_after}", "parameters": {"retry_after": fault.retry_after}})
                return
            if fault.kind == "500":
                self._reply(request, 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
                return
            if fault.kind == "403":
                self._reply(request, 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
                return
            if fault.kind == "slow":
                time.sleep(fault.delay)
        handler = self.handlers.get(method)
        if handler is None:
            self._reply(request, 404, {"ok": False, "error_code": 404, "description": f"Not Found: method {method} is not supported by the stand-in server"})
            return
        result = handler(params)
        with self._lock:
            self._state.calls.append(Call(method, params, time.monotonic()))
            self._lock.notify_all()
        self._reply(request, 200, {"ok": True, "result": result})

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass
