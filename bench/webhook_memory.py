#!/usr/bin/env python3
"""Memory of the webhook server under 20 parallel 10 MB posts that lack the secret token.

Runs the real ``bot.py run --webhook-url ...`` against the stand-in Bot API server, waits until
it listens, reads its resident memory, sends the posts at once, and reads the resident memory
and its peak (VmHWM) again. A server that reads a body before it checks the secret holds every
body in memory at the same time.

    python bench/webhook_memory.py [--posts 20] [--megabytes 10] [--checkout DIR]

``--checkout`` runs ``bot.py`` from another checkout (an older commit, to compare).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import ROOT

from tests.fake_bot_api import FakeBotApi  # noqa: E402

SECRET = "bench-secret"
CHUNK = 64 * 1024


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_without_secret(port: int, size: int, results: list[str], secret: str | None = None) -> None:
    """POST *size* bytes of JSON-looking body, with no secret header unless *secret*; record how it ended."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.putrequest("POST", "/telegram")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(size))
        if secret:
            connection.putheader("X-Telegram-Bot-Api-Secret-Token", secret)
        connection.endheaders()
        block = b" " * CHUNK
        sent = 0
        while sent < size:
            piece = block[: min(CHUNK, size - sent)]
            connection.send(piece)
            sent += len(piece)
        results.append(f"sent all, HTTP {connection.getresponse().status}")
    except (ConnectionError, OSError) as exc:
        results.append(f"cut off ({exc.__class__.__name__})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=10)
    parser.add_argument("--with-secret", action="store_true", help="send the right secret (the body limit alone must hold)")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="run bot.py from this checkout")
    args = parser.parse_args()

    with FakeBotApi() as api:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url, TELEGRAM_WEBHOOK_SECRET=SECRET, BOT_LOG_UNANSWERED="0")
        process = subprocess.Popen(
            [sys.executable, "bot.py", "run", "--webhook-url", f"http://127.0.0.1:{port}/telegram", "--listen", "127.0.0.1", "--port", str(port)],
            cwd=args.checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            api.wait_for("setWebhook", timeout=30)
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(1.0)
            before = memory_kb(process.pid)
            results: list[str] = []
            threads = [
                threading.Thread(target=post_without_secret, args=(port, args.megabytes * 1024 * 1024, results, SECRET if args.with_secret else None)) for _ in range(args.posts)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            time.sleep(1.0)
            after = memory_kb(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    which = "with the right secret" if args.with_secret else "without the secret"
    print(f"{args.posts} parallel posts of {args.megabytes} MB {which}, in {elapsed:.1f} s")
    print(f"  how they ended: {', '.join(f'{results.count(r)} x {r}' for r in sorted(set(results)))}")
    print(f"  resident memory before: {before['VmRSS'] / 1024:.1f} MB, after: {after['VmRSS'] / 1024:.1f} MB")
    print(f"  peak growth (VmHWM - RSS before): {(after['VmHWM'] - before['VmRSS']) / 1024:+.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
