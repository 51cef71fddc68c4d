#!/usr/bin/env python3
"""Start-up time (process start to first answer) and peak memory of `python bot.py ask`.

    python bench/startup.py [RUNS]
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

from common import ROOT


def main(runs: int) -> None:
    times = []
    peaks = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "bot.py"), "ask", "--json", "what is a trigger point?"],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        times.append(time.perf_counter() - start)
        assert '"faq_id": "trigger-point"' in result.stdout
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    print(f"runs: {runs}")
    print(f"process start to first answer: median {statistics.median(times):.3f} s, max {max(times):.3f} s (target < 1 s)")
    print(f"peak memory (max RSS): {max(peaks) / 1024:.1f} MB (target < 100 MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
