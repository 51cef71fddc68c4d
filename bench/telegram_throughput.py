#!/usr/bin/env python3
"""Replies per second through the stand-in Bot API server, with and without the rate limiter.

    python bench/telegram_throughput.py [MESSAGES]

The real Application polls the stand-in server on 127.0.0.1 (tests/fake_bot_api.py). With
AIORateLimiter at Telegram's limits (30 messages a second overall) the bot should deliver about
30 replies a second; without it, the figure shows how far the bot itself could go.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from common import FAQ_PATH, ROOT, percentiles

sys.path.insert(0, str(ROOT))

from telegram.ext import ApplicationBuilder  # noqa: E402

from intents import Engine  # noqa: E402
from telegram_bot import FloodGuard, Handlers, Settings, StaticSource, build_application, register  # noqa: E402
from tests.fake_bot_api import FakeBotApi, polling  # noqa: E402

QUESTIONS = ["what is a trigger point", "does it hurt", "what is winding", "how much is it", "hi", "what is e-stim"]


def running(api: FakeBotApi, engine: Engine, *, limiter: bool):
    if limiter:
        app = build_application(Settings(token=api.token, base_url=api.base_url, flood_limit=10**6), source=StaticSource(engine))
    else:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        register(app, Handlers(StaticSource(engine), flood=FloodGuard(limit=10**6)))
    return polling(app)


async def burst(engine: Engine, messages: int, *, limiter: bool) -> float:
    with FakeBotApi() as api:
        async with running(api, engine, limiter=limiter):
            updates = [api.text_update(QUESTIONS[n % len(QUESTIONS)], chat_id=10_000 + n % 200, user_id=10_000 + n % 200) for n in range(messages)]
            start = time.perf_counter()
            api.push(*updates)
            await asyncio.to_thread(api.wait_for, "sendMessage", messages, timeout=600)
            elapsed = time.perf_counter() - start
    return messages / elapsed


async def latency(engine: Engine, count: int) -> dict[str, float]:
    samples = []
    with FakeBotApi() as api:
        async with running(api, engine, limiter=True):
            for n in range(count):
                start = time.perf_counter()
                api.push(api.text_update(QUESTIONS[n % len(QUESTIONS)], chat_id=20_000 + n))
                await asyncio.to_thread(api.wait_for, "sendMessage", n + 1, timeout=30)
                samples.append(time.perf_counter() - start)
    return percentiles(samples)


async def main(messages: int) -> None:
    engine = Engine.from_file(FAQ_PATH)
    with_limiter = await burst(engine, messages, limiter=True)
    without = await burst(engine, messages, limiter=False)
    lat = await latency(engine, 60)
    engine_ms = statistics.median(
        [(lambda t: (engine.answer(q), time.perf_counter() - t)[1])(time.perf_counter()) for q in QUESTIONS * 20]
    ) * 1e3
    print(f"messages per burst: {messages}, 200 private chats")
    print(f"replies/second with AIORateLimiter (Telegram's limits): {with_limiter:.1f}  (Telegram allows about 30/s)")
    print(f"replies/second without a rate limiter:                  {without:.1f}")
    print(f"one message at a time, update queued to reply received: p50 {lat['p50']:.1f} ms, p99 {lat['p99']:.1f} ms")
    print(f"of which the engine's answer: median {engine_ms:.3f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 600))
