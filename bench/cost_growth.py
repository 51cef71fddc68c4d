#!/usr/bin/env python3
"""How load time and latency grow with the size of the FAQ (generated FAQs of the same shape).

    python bench/cost_growth.py [SIZES...]      (default: 18 100 1000 10000)
"""

from __future__ import annotations

import random
import sys
import time

from common import FAQ_PATH, generated_faq, percentiles, time_each

from intents import Engine, parse_content


def main(sizes: list[int]) -> None:
    print("| entries | phrasings | load (s) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size in sizes:
        if size == 18:
            start = time.perf_counter()
            engine = Engine.from_file(FAQ_PATH)
        else:
            data = generated_faq(size)
            start = time.perf_counter()
            engine = Engine(parse_content(data))
        load = time.perf_counter() - start
        rng = random.Random(size)
        phrasings = [p for e in engine.content.faqs for p in e.phrasings]
        # Unseen variants: a phrasing with one word dropped and one typo, plus some extra context.
        questions = []
        for _ in range(500):
            words = rng.choice(phrasings).split()
            if len(words) > 2:
                words.pop(rng.randrange(len(words)))
            word = rng.randrange(len(words))
            if len(words[word]) > 4:
                words[word] = words[word][:-2] + words[word][-1] + words[word][-2]
            questions.append("a patient asks " + " ".join(words) + " please")
        p = percentiles(time_each(engine.answer, questions, rounds=2))
        print(f"| {size:,} | {len(phrasings):,} | {load:.2f} | {p['p50']:.3f} | {p['p95']:.3f} | {p['p99']:.3f} | {p['max']:.3f} |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [18, 100, 1000, 10000])
