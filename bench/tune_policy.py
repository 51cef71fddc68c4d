"""Choose the answer policy on labelled data with near-copies left out.

For each labelled set, the FAQ's alternates that are near-copies (rapidfuzz ratio 85+) of that
set's questions are removed first, so the figures measure phrasings the FAQ does not hold. Each
policy on the grid is scored on all sets together: in-scope answered right, minus a heavy cost for
every confident wrong answer (a wrong answer is worse than a "did you mean"). First the answer
threshold and margin, then, with those, when the matcher's second opinion may settle an unsure case
(agreed_threshold 101 is "never").

    python bench/tune_policy.py [--wrong-cost 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intents import Engine, parse_content, read_yaml  # noqa: E402
from intents.engine import Policy  # noqa: E402
from intents.evaluation import evaluate, leave_out, parse_questions  # noqa: E402

from common import QUESTION_SETS as SETS  # noqa: E402


def engines() -> list[tuple[str, Engine, list]]:
    faq = ROOT / "faq.yaml"
    data = read_yaml(faq)[0]
    base = Engine.from_file(faq)
    out = []
    for name in SETS:
        raw, positions = read_yaml(ROOT / "tests" / "data" / name)
        questions = parse_questions(raw, known_ids=[e.id for e in base.content.faqs], path=name, positions=positions)
        out.append((name, Engine(parse_content(leave_out(data, questions))), questions))
    return out


def measure(sets: list[tuple[str, Engine, list]], policy: Policy) -> tuple[int, int, int]:
    """(right, confidently wrong, in-scope) over every set under *policy*."""
    right = wrong = total = 0
    for _, engine, questions in sets:
        engine.policy = policy
        report = evaluate(engine, questions)
        right += report.passed.get("in-scope", 0)
        total += report.counts.get("in-scope", 0)
        wrong += report.confidently_wrong
    return right, wrong, total


def best(sets, policies: list[Policy], cost: float, names: tuple[str, str]) -> Policy:
    rows = []
    for policy in policies:
        right, wrong, total = measure(sets, policy)
        rows.append((right - cost * wrong, policy, right, wrong, total))
    rows.sort(key=lambda row: -row[0])
    print(f"{names[0]:>15} {names[1]:>6}  right/in-scope  wrong")
    for _, policy, right, wrong, total in rows[:8]:
        a, b = (getattr(policy, n) for n in names)
        print(f"{a:15} {b:6}  {right:4}/{total:<4}      {wrong}")
    print()
    return rows[0][1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong-cost", type=float, default=5.0, help="a wrong answer costs this many right ones")
    args = parser.parse_args()
    sets = engines()
    current = Policy()
    grid = [dataclasses.replace(current, answer_threshold=t, margin=m) for t in (45, 50, 55) for m in (4, 5, 6, 7, 8)]
    chosen = best(sets, grid, args.wrong_cost, ("answer_threshold", "margin"))
    # When an unsure answer is given all the same: the matcher's second opinion agrees surely enough.
    grid = [
        dataclasses.replace(chosen, agreed_threshold=t, agreed_likelihood=p)
        for t in (35, 40, 45, 101) for p in (0.6, 0.7, 0.8, 0.9)
    ]
    best(sets, grid, args.wrong_cost, ("agreed_threshold", "agreed_likelihood"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
