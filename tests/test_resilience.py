"""Telegram faults through the stand-in server: the bot recovers by itself, answers every
queued message exactly once, and logs each fault once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from intents import Engine
from telegram_bot import Settings, StaticSource, _OneLineErrors, build_application

from .conftest import FAQ_PATH
from .fake_bot_api import FakeBotApi, polling

ENGINE = Engine.from_file(FAQ_PATH)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def running(api: FakeBotApi, **settings: object):
    return polling(build_application(Settings(token=api.token, base_url=api.base_url, **settings), source=StaticSource(ENGINE)))


async def test_get_updates_failing_for_ten_seconds(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(_OneLineErrors(api.token))
    caplog.set_level(logging.INFO)
    async with running(api):
        api.fail("getUpdates", "500", times=10**6)
        questions = [f"what is winding {n}" for n in range(5)]
        api.push(*[api.text_update(q, chat_id=100 + n) for n, q in enumerate(questions)])
        await asyncio.sleep(10)
        assert api.calls("sendMessage") == []
        api.clear_faults("getUpdates")
        sent = await asyncio.to_thread(api.wait_for, "sendMessage", 5, timeout=40)
        await asyncio.sleep(1.5)  # nothing more arrives: no message is answered twice
    assert len(api.calls("sendMessage")) == 5
    assert sorted(c.params["chat_id"] for c in sent) == [100, 101, 102, 103, 104]
    polling_errors = [r for r in caplog.records if "polling" in r.getMessage().lower()]
    assert len(polling_errors) == 1, [r.getMessage() for r in polling_errors]
    assert "Internal Server Error" in polling_errors[0].getMessage()
    assert not any(r.exc_info for r in polling_errors)


async def test_connection_refused_then_back(api: FakeBotApi) -> None:
    async with running(api):
        api.fail("getUpdates", "drop", times=10**6)
        api.push(api.text_update("what is pistoning"))
        await asyncio.sleep(2)
        api.clear_faults()
        sent = await asyncio.to_thread(api.wait_for, "sendMessage", 1, timeout=30)
        await asyncio.sleep(1)
    assert [c.params["text"] for c in api.calls("sendMessage")] == [ENGINE.answer("what is pistoning").text]
    assert sent


async def test_send_message_timing_out_once(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    api.fail("sendMessage", "slow", delay=1.5)  # the client gives up after 0.5 s; the message still arrives
    async with running(api, read_timeout=0.5):
        api.push(api.text_update("what is pistoning", chat_id=1), api.text_update("what is winding", chat_id=2))
        await asyncio.to_thread(api.wait_for, "sendMessage", 2, timeout=20)
        await asyncio.sleep(1)
    by_chat = sorted((c.params["chat_id"], c.params["text"]) for c in api.calls("sendMessage"))
    assert by_chat == [(1, ENGINE.answer("what is pistoning").text), (2, ENGINE.answer("what is winding").text)]
    timeouts = [r for r in caplog.records if "not answered: TimedOut" in r.getMessage()]
    assert len(timeouts) == 1


async def test_blocked_user_does_not_stop_the_bot(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    api.fail("sendMessage", "403")
    async with running(api):
        api.push(api.text_update("hi", chat_id=1), api.text_update("hi", chat_id=2))
        await asyncio.to_thread(api.wait_for, "sendMessage", 1, timeout=20)
        await asyncio.sleep(0.5)
    assert [c.params["chat_id"] for c in api.calls("sendMessage")] == [2]
    assert sum("bot was blocked by the user" in r.getMessage() for r in caplog.records) == 1


async def test_flood_protection_notices_once_and_spares_others(api: FakeBotApi) -> None:
    async with running(api, flood_limit=3):
        api.push(*[api.text_update(f"hi {n}", chat_id=7, user_id=7) for n in range(6)])
        api.push(api.text_update("hi", chat_id=8, user_id=8))
        await asyncio.to_thread(api.wait_for, "sendMessage", 5, timeout=20)
        await asyncio.sleep(0.5)
    to_flooder = [c.params["text"] for c in api.calls("sendMessage") if c.params["chat_id"] == 7]
    assert len(to_flooder) == 4  # three answers and one notice, then silence
    assert "faster than I can keep up" in to_flooder[3]
    assert [c.params["chat_id"] for c in api.calls("sendMessage")].count(8) == 1


def test_flood_memory_stays_bounded() -> None:
    from telegram_bot import FloodGuard

    guard = FloodGuard(limit=2, window=60, max_users=1000)
    for user in range(50_000):
        guard.check(user, now=float(user % 100))
    assert len(guard) == 1000
