"""``python -m benchmarks.profile WORKLOAD [--steps N] [--top K]``: where a training step's time
goes, by function (cProfile), for one of the benchmark workloads on chainrule.

WORKLOAD is ``seed``, ``mlp``, ``cnn`` or ``lstm``. One BLAS thread (set before NumPy loads).
cProfile adds a fixed cost per Python call, so the small-net profile overstates the Python
layers somewhat; ratios between entries are what it is for. The wall time per step printed
first is measured without the profiler.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from . import workloads  # noqa: E402

MAKERS = {
    "seed": workloads.make_seed_net,
    "mlp": workloads.make_mlp,
    "cnn": workloads.make_cnn,
    "lstm": workloads.make_lstm,
}
DEFAULT_STEPS = {"seed": 5000, "mlp": 300, "cnn": 100, "lstm": 100}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("workload", choices=sorted(MAKERS))
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    import chainrule

    step = MAKERS[args.workload](chainrule)
    steps = args.steps or DEFAULT_STEPS[args.workload]
    for _ in range(max(3, steps // 10)):
        step()
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - t0) / steps)
    print(f"{args.workload}: {best * 1e6:.1f} µs per step without the profiler "
          f"(min of 3 x {steps} steps)\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        step()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.strip_dirs().sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
