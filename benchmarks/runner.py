"""Runs workloads for chainrule and torch alternately in one process; prints JSON timings.

Invoked as a subprocess by ``benchmarks.__main__`` with thread counts already set in the
environment (BLAS reads them at import), so each thread setting gets a fresh process.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from . import workloads


def _time(step, rounds: int, inner: int) -> list[float]:
    for _ in range(max(2, inner // 4)):
        step()
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(inner):
            step()
        samples.append((time.perf_counter() - t0) / inner)
    return samples


def _inner_for(step) -> int:
    t0 = time.perf_counter()
    step()
    step()
    dt = max((time.perf_counter() - t0) / 2, 1e-7)
    return max(1, min(20000, int(0.05 / dt)))


def run(kind: str, rounds: int) -> dict:
    import chainrule
    import torch

    libs = {"chainrule": chainrule, "torch": torch}
    results = {}
    if kind == "workloads":
        items = [(name, lambda lib, m=make: m(lib)) for name, make in workloads.WORKLOADS.items()]
    else:
        items = [
            (f"{op} {size} elem, {'grad' if grad else 'no grad'}, "
             f"{'fwd+bwd' if bwd else 'fwd'}",
             lambda lib, a=(op, size, grad, bwd): workloads.make_op(lib, *a))
            for op, size, grad, bwd in workloads.OPS
        ]
    for name, make in items:
        steps = {}
        try:
            for lib_name, lib in libs.items():
                steps[lib_name] = make(lib)
        except Exception as e:  # a workload chainrule cannot run yet is reported, not hidden
            results[name] = {"error": f"{type(e).__name__}: {e}"}
            continue
        inner = {k: _inner_for(s) for k, s in steps.items()}
        samples = {k: [] for k in steps}
        for _ in range(rounds):  # alternate libraries round by round
            for k, s in steps.items():
                samples[k] += _time(s, 1, inner[k])
        results[name] = {
            k: {"min": min(v), "median": statistics.median(v)} for k, v in samples.items()
        }
    return results


if __name__ == "__main__":
    kind = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(json.dumps(run(kind, rounds)))
