"""Choose the answer policy (threshold, margin) on labelled data with near-copies left out.

For each labelled set, the FAQ's alternates that are near-copies (rapidfuzz ratio 85+) of that
set's questions are removed first, so the figures measure phrasings the FAQ does not hold. Each
policy on the grid is scored on all sets together: in-scope answered right, minus a heavy cost for
every confident wrong answer (a wrong answer is worse than a "did you mean").

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

SETS = tuple(sorted(p.name for p in (ROOT / "tests" / "data").glob("*.yaml") if p.stem.split("-")[0] in ("dev", "extra", "heldout", "fresh", "clinic", "everyday", "emergency")))


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong-cost", type=float, default=5.0, help="a wrong answer costs this many right ones")
    args = parser.parse_args()
    sets = engines()
    rows = []
    for threshold in (40, 45, 50, 55):
        for margin in (0, 2, 3, 4, 5, 6, 8):
            right = wrong = total = 0
            for _, engine, questions in sets:
                engine.policy = dataclasses.replace(Policy(), answer_threshold=threshold, margin=margin)
                report = evaluate(engine, questions)
                right += report.passed.get("in-scope", 0)
                total += report.counts.get("in-scope", 0)
                wrong += report.confidently_wrong
            rows.append((right - args.wrong_cost * wrong, threshold, margin, right, wrong, total))
    rows.sort(reverse=True)
    print("threshold margin  right/in-scope  wrong")
    for _, threshold, margin, right, wrong, total in rows[:12]:
        print(f"{threshold:9} {margin:6}  {right:4}/{total:<4}      {wrong}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
