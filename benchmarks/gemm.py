"""``python -m benchmarks.gemm``: the MLP workload's matrix products alone, NumPy vs torch.

The MLP step (784-256-256-10, batch 128) spends most of its time in eight float32 matrix
products. chainrule hands them to NumPy, whose wheel links OpenBLAS; the torch CPU wheel links
MKL. This times each product on both, one thread, min of several rounds, to show how much of
the step's ratio is the BLAS library rather than chainrule's Python.
"""

from __future__ import annotations

import os
import sys
import timeit

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
os.environ.pop("OPENBLAS_CORETYPE", None)
os.environ.pop("OPENBLAS_L2_SIZE", None)

import numpy as np  # noqa: E402

# (name, left operand's shape, right operand's stored shape, "T" if used transposed)
PRODUCTS = [
    ("fwd 1: x W1^T", (128, 784), (256, 784), "T"),
    ("fwd 2: h W2^T", (128, 256), (256, 256), "T"),
    ("fwd 3: h W3^T", (128, 256), (10, 256), "T"),
    ("dW1 = dy^T x", (256, 128), (128, 784), ""),
    ("dW2 = dy^T h", (256, 128), (128, 256), ""),
    ("dW3 = dy^T h", (10, 128), (128, 256), ""),
    ("dx2 = dy W2", (128, 256), (256, 256), ""),
    ("dx3 = dy W3", (128, 10), (10, 256), ""),
]


def _best(fn, number: int = 200, repeat: int = 7) -> float:
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    rng = np.random.default_rng(0)
    print("| product | NumPy (OpenBLAS) | torch (MKL) | ratio |")
    print("|---|---|---|---|")
    total_np = total_t = 0.0
    for name, a_shape, b_shape, how in PRODUCTS:
        a = rng.standard_normal(a_shape).astype(np.float32)
        b = rng.standard_normal(b_shape).astype(np.float32)
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        if how == "T":  # the layers multiply by the weight's transposed view
            def fa(a=a, b=b):
                return a @ b.T

            def ft(ta=ta, tb=tb):
                return ta @ tb.T
        else:
            def fa(a=a, b=b):
                return a @ b

            def ft(ta=ta, tb=tb):
                return ta @ tb
        t_np, t_t = _best(fa), _best(ft)
        total_np += t_np
        total_t += t_t
        print(f"| {name} {a_shape}x{b_shape[::-1] if how == 'T' else b_shape} | "
              f"{t_np * 1e6:.0f} µs | {t_t * 1e6:.0f} µs | {t_np / t_t:.2f} |")
    print(f"| all eight | {total_np * 1e6:.0f} µs | {total_t * 1e6:.0f} µs | "
          f"{total_np / total_t:.2f} |")
    print(f"\nthreads: {os.environ['OMP_NUM_THREADS']}; load average {os.getloadavg()}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
