#!/usr/bin/env python3
"""What the conversation layer (language guess, worries, follow-ups) adds to the engine's time.

    python bench/conversation_latency.py

Times ``Engine.answer`` (the whole call) and ``Engine.answer_alone`` (the message on its own)
on the same questions in the same run, so a busy machine shifts both alike; and the follow-up
turns of the multi-turn set in their conversations.
"""

from __future__ import annotations

import time

import yaml
from common import FAQ_PATH, ROOT, generated_questions, labelled, percentiles, time_each

from intents import Engine
from intents.conversation import Conversations


def row(name: str, samples: list[float]) -> str:
    p = percentiles(samples)
    return f"| {name} | {len(samples)} | {p['p50']:.3f} | {p['p95']:.3f} | {p['p99']:.3f} | {p['max']:.3f} |"


def main() -> None:
    engine = Engine.from_file(FAQ_PATH)
    texts = [q.text for q in labelled(engine)]
    generated = generated_questions(engine, 1000)
    engine.answer("hola, buenas tardes a todos")  # the detector's models load on first need; not timed
    print("| call, questions | n | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |")
    print(row("answer (whole call), labelled", time_each(engine.answer, texts, rounds=6)))
    print(row("answer_alone, labelled", time_each(engine.answer_alone, texts, rounds=6)))
    print(row("answer (whole call), generated", time_each(engine.answer, generated, rounds=2)))
    print(row("answer_alone, generated", time_each(engine.answer_alone, generated, rounds=2)))
    data = yaml.safe_load((ROOT / "tests" / "data" / "conversations.yaml").read_text(encoding="utf-8"))
    samples = []
    for _ in range(6):
        store = Conversations()
        for conversation in data:
            for number, turn in enumerate(conversation["turns"]):
                start = time.perf_counter()
                store.answer(engine, conversation["id"], turn["text"])
                if number:
                    samples.append(time.perf_counter() - start)
    print(row("later turns in their conversation", samples))


if __name__ == "__main__":
    main()
