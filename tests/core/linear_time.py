"""One check that a parser's time grows linearly with its input, for every format's tests."""
from __future__ import annotations

import time
from collections.abc import Callable

GROWTH = 4
"""The large input is this many times the small one."""
LIMIT = 8.0
"""Largest accepted time ratio: linear work gives about GROWTH (4), quadratic GROWTH² (16)."""
MEASURABLE = 0.001
"""Least CPU seconds the small input must take: under that, timer noise could hide growth."""


def best_cpu_time(run: Callable[[], object], repeats: int = 5) -> float:
    """Least CPU time of this process over a few runs: other processes' load barely moves it."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return best


def assert_linear(parse: Callable[[str], object], make_input: Callable[[int], str], size: int) -> None:
    """GROWTH times the input must take about GROWTH times the CPU time, not GROWTH².

    No absolute time is asserted: two sizes of the same input are compared. A noisy
    measurement is taken again (up to three times); quadratic growth fails every time."""
    small, large = make_input(size), make_input(GROWTH * size)
    parse(small)  # imports and caches warmed up, so the first timing is not the slowest
    ratios = []
    for _ in range(3):
        t_small = best_cpu_time(lambda: parse(small))
        t_large = best_cpu_time(lambda: parse(large))
        assert t_small >= MEASURABLE, f"the small input took {t_small * 1000:.1f} ms: too little to time; enlarge it"
        ratios.append(t_large / t_small)
        if ratios[-1] < LIMIT:
            return
    raise AssertionError(f"{GROWTH}x the input took {min(ratios):.1f}x the time (ratios {ratios})")
