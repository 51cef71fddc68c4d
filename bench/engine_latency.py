#!/usr/bin/env python3
"""Engine latency and accuracy on the shipped FAQ, next to plain rapidfuzz nearest neighbour.

    python bench/engine_latency.py
"""

from __future__ import annotations

from common import DEV_PATH, EXTRA_PATH, FAQ_PATH, HELDOUT_PATH, Baseline, generated_questions, labelled, percentiles, time_each

from intents import Engine, parse_content, read_yaml
from intents.evaluation import evaluate, leave_out


def row(name: str, samples: list[float]) -> str:
    p = percentiles(samples)
    return f"| {name} | {len(samples)} | {p['p50']:.3f} | {p['p95']:.3f} | {p['p99']:.3f} | {p['max']:.3f} |"


def accuracy_row(name: str, report) -> str:
    m = report.metrics
    return (
        f"| {name} | {m['in_scope_top1']:.3f} | {m['clarified_rate']:.3f} | {report.confidently_wrong} | "
        f"{m['out_of_scope_rejection']:.3f} | {m['smalltalk_recall']:.3f} | {m['emergency_recall']:.3f} |"
    )


def main() -> None:
    engine = Engine.from_file(FAQ_PATH)
    baseline = Baseline(engine)
    questions = labelled(engine)
    texts = [q.text for q in questions]
    generated = generated_questions(engine, 1000)

    print("Latency per question (ms), shipped FAQ\n")
    print("| matcher, questions | n | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |")
    print(row("ours, labelled", time_each(engine.answer, texts, rounds=6)))
    print(row("ours, generated", time_each(engine.answer, generated, rounds=2)))
    print(row("baseline WRatio, labelled", time_each(baseline.answer, texts, rounds=6)))
    print(row("baseline WRatio, generated", time_each(baseline.answer, generated, rounds=2)))

    held_out = Engine(parse_content(leave_out(read_yaml(FAQ_PATH)[0], questions)))
    print("\nAccuracy\n")
    print("| question set | matcher | in-scope top-1 | clarified | confidently wrong | out-of-scope rejected | smalltalk | emergency |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    dev = f"{DEV_PATH.name} ({len(questions)})"
    print(accuracy_row(f"{dev} | ours", evaluate(engine, questions)))
    print(accuracy_row(f"{dev} | baseline WRatio", evaluate(baseline, questions)))  # type: ignore[arg-type]
    print(accuracy_row(f"{dev}, near-copies left out of the FAQ | ours", evaluate(held_out, questions)))
    print(accuracy_row(f"{dev}, near-copies left out of the FAQ | baseline WRatio", evaluate(Baseline(held_out), questions)))  # type: ignore[arg-type]
    for path in (HELDOUT_PATH, EXTRA_PATH):
        others = labelled(engine, path)
        name = f"{path.name} ({len(others)})"
        print(accuracy_row(f"{name} | ours", evaluate(engine, others)))
        print(accuracy_row(f"{name} | baseline WRatio", evaluate(baseline, others)))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
