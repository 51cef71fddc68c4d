"""Shared helpers for the benchmark scripts: timing, question and FAQ generators, the baseline."""

from __future__ import annotations

import copy
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from intents import Engine, Reply, read_yaml  # noqa: E402
from intents.analysis import english_words  # noqa: E402
from intents.evaluation import Question, parse_questions  # noqa: E402

FAQ_PATH = ROOT / "faq.yaml"
DEV_PATH = ROOT / "tests" / "data" / "dev-questions.yaml"
HELDOUT_PATH = ROOT / "tests" / "data" / "heldout-questions.yaml"
EXTRA_PATH = ROOT / "tests" / "data" / "extra-questions.yaml"
#: Files in tests/data that are no labelled question sets.
NOT_QUESTION_SETS = {"conversations.yaml", "language-samples.yaml", "redaction-cases.yaml", "redaction-extra.yaml"}
#: Every labelled question set in tests/data, by file name.
QUESTION_SETS = tuple(sorted(p.name for p in (ROOT / "tests" / "data").glob("*.yaml") if p.name not in NOT_QUESTION_SETS))


def labelled(engine: Engine, path: Path = DEV_PATH) -> list[Question]:
    data, positions = read_yaml(path)
    return parse_questions(data, known_ids=[e.id for e in engine.content.faqs], path=str(path), positions=positions)


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of *samples* (seconds), in milliseconds."""
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": pick(0.50) * 1e3, "p95": pick(0.95) * 1e3, "p99": pick(0.99) * 1e3, "max": ordered[-1] * 1e3}


def time_each(answer: Callable[[str], object], texts: Iterable[str], *, rounds: int = 3) -> list[float]:
    """Wall time of each call, over *rounds* passes (the first pass warms caches and is dropped if rounds > 1)."""
    texts = list(texts)
    samples: list[float] = []
    for round_ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            answer(text)
            elapsed = time.perf_counter() - start
            if rounds == 1 or round_ > 0:
                samples.append(elapsed)
    return samples


def generated_questions(engine: Engine, count: int, *, seed: int = 7) -> list[str]:
    """Messages patients might send: typos, extra context, long pastes, random words, emoji."""
    rng = random.Random(seed)
    phrasings = [p for e in engine.content.faqs for p in e.phrasings]
    words = sorted(english_words())
    out = []
    for n in range(count):
        base = rng.choice(phrasings)
        kind = n % 5
        if kind == 0:  # typos
            chars = list(base)
            for _ in range(2):
                i = rng.randrange(len(chars))
                chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
            out.append("".join(chars))
        elif kind == 1:  # context around the question
            out.append(f"Front desk here, a patient on the phone wants to know: {base.lower()} Thanks!")
        elif kind == 2:  # a long paste
            out.append(" ".join(rng.choice(words) for _ in range(400)) + " " + base)
        elif kind == 3:  # random words
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))))
        else:
            out.append(base + " \U0001f914\U0001f489")
    return out


def generated_faq(size: int, *, seed: int = 11) -> dict:
    """A FAQ of *size* entries shaped like faq.yaml: same sections, realistic vocabulary spread.

    Each entry gets its own topic word plus two of 500 shared words, asked about in the
    patterns real entries use, so IDF and the postings behave as in a real, larger FAQ.
    """
    rng = random.Random(seed)
    data, _ = read_yaml(FAQ_PATH)
    data = copy.deepcopy(data)
    words = sorted(english_words())
    templates = [
        "what is {a} {b}", "how does {a} help {c}", "can {a} help with {c}", "why does my {c} feel {a}",
        "what does {a} do for {c}", "is {a} good for {b} {c}", "how long does {a} take", "who does {a} {b}",
        "what are the {b} of {a}", "tell me about {a} and {c}", "does {a} hurt my {c}", "{a} {b}",
    ]
    entries = []
    rng.shuffle(words)
    shared = words[-500:]  # words many entries use, as "muscle" or "pain" in the real FAQ
    for index in range(size):
        a = words[index % (len(words) - 500)]  # the entry's own topic word
        b, c = rng.choice(shared), rng.choice(shared)
        phrasings = [t.format(a=a, b=b, c=c) for t in rng.sample(templates, 9)]
        entries.append(
            {
                "id": f"entry-{index}",
                "question": phrasings[0],
                "alternates": phrasings[1:],
                "answer": f"The answer about {a} {b} and {c}, in plain words, with a little more text to read.",
                "source": data["article"]["sections"][index % len(data["article"]["sections"])],
            }
        )
    data["faqs"] = entries
    return data


class Baseline:
    """Plain rapidfuzz nearest neighbour: ``extractOne`` with ``WRatio`` over every phrasing."""

    def __init__(self, engine: Engine, *, cutoff: float = 80.0) -> None:
        self.engine = engine
        self.disclaimer = engine.disclaimer
        self.cutoff = cutoff
        self.choices = [p for e in engine.content.faqs for p in e.phrasings]
        self.owner = [e.id for e in engine.content.faqs for _ in e.phrasings]

    def answer(self, text: str) -> Reply:
        found = process.extractOne(text, self.choices, scorer=fuzz.WRatio, score_cutoff=self.cutoff)
        if found is None:
            return self.engine.fallback()
        faq_id = self.owner[found[2]]
        return self.engine.reply("faq", self.engine.entry(faq_id).answer, faq_id=faq_id, score=round(found[1], 1))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
