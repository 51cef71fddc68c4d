"""The webhook server: forged or oversized posts are refused before their body is read,
a malformed one leaves nothing of the patient in the log, and no update is answered twice.
(Memory under 20 parallel 10 MB posts is measured by bench/webhook_memory.py.)"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from intents import Engine
from telegram_bot import Settings, StaticSource, build_application
from telegram_bot.webhook import MAX_BODY_BYTES, serve_webhook

from .conftest import FAQ_PATH
from .fake_bot_api import FakeBotApi
from .test_telegram_hardening import malformed_update, sent

ENGINE = Engine.from_file(FAQ_PATH)
SECRET = "s3cret-token"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def raw_post(port: int, headers: dict[str, str], body: bytes = b"") -> bytes:
    """Send a POST's head (and *body*, if any) and read the whole answer until the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": "bot", "Content-Type": "application/json", **headers}.items())
    writer.write(f"POST /telegram HTTP/1.1\r\n{head}Connection: close\r\n\r\n".encode() + body)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return answer


@pytest.fixture
async def webhook(api: FakeBotApi) -> Any:
    port = free_port()
    settings = Settings(
        token=api.token, base_url=api.base_url, webhook_url=f"http://127.0.0.1:{port}/telegram", webhook_secret=SECRET, port=port
    )
    stop = asyncio.Event()
    server = asyncio.create_task(serve_webhook(build_application(settings, source=StaticSource(ENGINE)), settings, stop=stop))
    await sent(api, "setWebhook")
    for _ in range(100):
        try:
            (await asyncio.open_connection("127.0.0.1", port))[1].close()
            break
        except OSError:
            await asyncio.sleep(0.05)
    yield port
    stop.set()
    await server


async def test_a_post_without_the_secret_is_refused_before_its_body_is_read(webhook: int, api: FakeBotApi) -> None:
    # Ten megabytes announced, none sent: the answer comes anyway, and the connection is closed.
    assert (await raw_post(webhook, {"Content-Length": str(10 * 1024 * 1024)})).startswith(b"HTTP/1.1 403")
    wrong = {"Content-Length": str(10 * 1024 * 1024), "X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert (await raw_post(webhook, wrong)).startswith(b"HTTP/1.1 403")
    assert api.calls("sendMessage") == []


async def test_a_body_over_the_limit_is_refused_or_cut_off(webhook: int) -> None:
    too_long = {"Content-Length": str(MAX_BODY_BYTES + 1), "X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert (await raw_post(webhook, too_long)).startswith(b"HTTP/1.1 413")
    # No length announced (chunked): the server stops reading once the limit is passed.
    reader, writer = await asyncio.open_connection("127.0.0.1", webhook)
    writer.write(
        f"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    )
    chunk = b" " * 65536
    sent_bytes = 0
    with pytest.raises(ConnectionError):
        while sent_bytes < 50 * MAX_BODY_BYTES:
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
            sent_bytes += len(chunk)
    writer.close()


async def test_a_malformed_post_is_refused_and_not_logged(webhook: int, caplog: pytest.LogCaptureFixture) -> None:
    body = json.dumps({"update_id": 7, **malformed_update()}).encode()
    answer = await raw_post(webhook, {"Content-Length": str(len(body)), "X-Telegram-Bot-Api-Secret-Token": SECRET}, body)
    assert answer.startswith(b"HTTP/1.1 400")
    assert "not a valid update" in caplog.text
    assert "Carla" not in caplog.text and "867" not in caplog.text


async def test_the_webhook_answers_an_update_once(webhook: int, api: FakeBotApi) -> None:
    body = json.dumps({"update_id": 8, **api.text_update("what is winding")}).encode()
    headers = {"Content-Length": str(len(body)), "X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert (await raw_post(webhook, headers, body)).startswith(b"HTTP/1.1 200")
    assert (await raw_post(webhook, headers, body)).startswith(b"HTTP/1.1 200")  # Telegram re-sends
    await sent(api, "sendMessage")
    await asyncio.sleep(0.5)
    assert api.sent_texts() == [ENGINE.answer("what is winding").text]


def test_a_port_in_use_is_one_clear_line(api: FakeBotApi) -> None:
    import signal

    from .test_telegram import run_bot

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        url = f"http://127.0.0.1:{port}/telegram"
        process = run_bot(api, "--webhook-url", url, "--listen", "127.0.0.1", "--port", str(port), env={"TELEGRAM_WEBHOOK_SECRET": SECRET})
        try:
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
    assert process.returncode == 2
    assert f"Could not listen on 127.0.0.1:{port}" in err and "Traceback" not in err
