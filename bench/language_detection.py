#!/usr/bin/env python3
"""Language detection on short messages: English never taken for another language, accuracy on the rest.

    python bench/language_detection.py
"""

from __future__ import annotations

import time
from collections import Counter

import yaml
from common import FAQ_PATH, ROOT

from intents import Engine


def main() -> None:
    engine = Engine.from_file(FAQ_PATH)
    samples = yaml.safe_load((ROOT / "tests" / "data" / "language-samples.yaml").read_text(encoding="utf-8"))
    guesser = engine.languages
    english_wrong: list[tuple[str, str]] = []
    right, total = Counter(), Counter()
    misses: list[tuple[str, str, str | None]] = []
    for sample in samples:
        guess = guesser.guess(sample["text"]) or "en"
        if sample["lang"] == "en":
            if guess != "en":
                english_wrong.append((sample["text"], guess))
            continue
        total[sample["lang"]] += 1
        if guess == sample["lang"]:
            right[sample["lang"]] += 1
        else:
            misses.append((sample["text"], sample["lang"], guess))
    english = sum(1 for s in samples if s["lang"] == "en")
    print(f"English lines taken for another language: {len(english_wrong)}/{english}")
    for text, guess in english_wrong:
        print(f"  {text!r} -> {guess}")
    print(f"Other languages recognised: {sum(right.values())}/{sum(total.values())} ({sum(right.values()) / sum(total.values()):.3f})")
    print("| language | right | of |\n| --- | --- | --- |")
    for code in sorted(total):
        print(f"| {code} | {right[code]} | {total[code]} |")
    for text, lang, guess in misses:
        print(f"  missed {text!r} ({lang}) -> {guess or 'en'}")
    texts = [s["text"] for s in samples]
    start = time.perf_counter()
    for _ in range(5):
        for text in texts:
            guesser.guess(text)
    print(f"\nmean guess time: {(time.perf_counter() - start) / (5 * len(texts)) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
