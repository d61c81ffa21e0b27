"""``python -m benchmarks``: chainrule vs torch, side by side, at 1 and 2 threads.

Writes ``docs/benchmarks.md`` (machine, load, BLAS kernel via threadpoolctl, versions, tables
of min/median times and chainrule/torch ratios). Options: ``--rounds N``, ``--threads 1,2``,
``--only workloads|ops|import``, ``--no-write``, ``--peers`` (NumPy-based peers, see ``peers``).

OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are unset for the benchmark subprocesses (they slow NumPy on
some machines here); tests and CI leave them alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _env(threads: int) -> dict:
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    for var in THREAD_VARS:
        env[var] = str(threads)
    return env


def _run(kind: str, threads: int, rounds: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.runner", kind, str(rounds)],
        cwd=ROOT, env=_env(threads), capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _import_time(module: str, repeats: int = 5) -> float:
    """Seconds for ``import module`` in a fresh interpreter (minus a bare interpreter's start),
    with bytecode cached as after ``pip install`` (which compiles it): a first import writes
    any missing ``__pycache__`` even where PYTHONDONTWRITEBYTECODE is set."""
    warm = _env(1)
    warm.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", f"import {module}"], env=warm, check=True)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], env=_env(1), check=True)
        times.append(time.perf_counter() - t0)
    base = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=_env(1), check=True)
        base.append(time.perf_counter() - t0)
    return min(times) - min(base)


def _fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds * 1e6:.1f} µs"


def _table(results: dict, title: str) -> list[str]:
    lines = [f"### {title}", "", "| workload | chainrule min | torch min | ratio (min) | "
             "chainrule median | torch median | ratio (median) |", "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        if "error" in r:
            lines.append(f"| {name} | error: {r['error'][:60]} | | | | | |")
            continue
        c, t = r["chainrule"], r["torch"]
        lines.append(
            f"| {name} | {_fmt(c['min'])} | {_fmt(t['min'])} | {c['min'] / t['min']:.2f} | "
            f"{_fmt(c['median'])} | {_fmt(t['median'])} | {c['median'] / t['median']:.2f} |"
        )
    return lines + [""]


def _machine() -> list[str]:
    import numpy

    lines = [f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
             f"- load average (1/5/15 min) at start: {os.getloadavg()}",
             f"- Python {platform.python_version()}, NumPy {numpy.__version__}"]
    try:
        import torch

        lines.append(f"- torch {torch.__version__}")
    except ImportError:
        pass
    try:
        out = subprocess.run(
            [sys.executable, "-c", "import numpy, json; from threadpoolctl import threadpool_info;"
             "print(json.dumps(threadpool_info()))"],
            env=_env(1), capture_output=True, text=True, check=True)
        for info in json.loads(out.stdout):
            lines.append(f"- BLAS: {info.get('internal_api')} {info.get('version')} "
                         f"kernel={info.get('architecture')} ({info.get('filepath', '')[-40:]})")
    except Exception as e:  # threadpoolctl missing
        lines.append(f"- BLAS: unknown ({e})")
    return lines


def _installed_size() -> list[str]:
    """Installed size of chainrule and NumPy (its one runtime dependency), with and without
    the ``__pycache__`` bytecode that ``pip install`` compiles by default (``--no-compile``
    skips it; Python then runs from source, a little slower to import)."""
    import numpy

    def du(path: Path) -> tuple[int, int]:
        total = cache = 0
        for f in path.rglob("*"):
            if f.is_file():
                size = f.stat().st_size
                total += size
                if "__pycache__" in f.parts:
                    cache += size
        return total, cache

    src = ROOT / "src" / "chainrule"
    np_dir = Path(numpy.__file__).parent
    np_libs = np_dir.parent / "numpy.libs"
    parts = [du(src), du(np_dir)] + ([du(np_libs)] if np_libs.exists() else [])
    total = sum(t for t, _ in parts)
    cache = sum(c for _, c in parts)
    np_total = sum(t for t, _ in parts[1:])
    lines = [f"- installed size: chainrule {parts[0][0] / 1e6:.2f} MB + NumPy (its only runtime "
             f"dependency) {np_total / 1e6:.1f} MB = {total / 1e6:.1f} MB, of which "
             f"{cache / 1e6:.1f} MB is `__pycache__` bytecode: {(total - cache) / 1e6:.1f} MB "
             "installed with `pip install --no-compile`"]
    try:
        import torch

        tdir = Path(torch.__file__).parent
        lines.append(f"- torch package: {du(tdir)[0] / 1e6:.0f} MB")
    except ImportError:
        pass
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--only", choices=["workloads", "ops", "import"], default=None)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--peers", action="store_true",
                        help="also time DeZero, MyGrad and autograd (where installed)")
    args = parser.parse_args(argv)
    threads = [int(t) for t in args.threads.split(",")]
    md = ["# Benchmarks: chainrule vs torch", "",
          "Made by `python -m benchmarks` (see `benchmarks/`). Each row runs the same code on "
          "both libraries, alternating round by round in one process; times are per step (one "
          "training step, or one op). Ratio = chainrule / torch: below 1 means chainrule is "
          "faster.", ""]
    md += _machine() + _installed_size() + [""]
    if args.only in (None, "import"):
        ci = _import_time("chainrule")
        ti = _import_time("torch")
        md += ["### Import time", "", "| | chainrule | torch | ratio |", "|---|---|---|---|",
               f"| `import` | {ci:.3f} s | {ti:.3f} s | {ci / ti:.2f} |", ""]
    for kind in ("workloads", "ops"):
        if args.only not in (None, kind):
            continue
        for n in threads:
            res = _run(kind, n, args.rounds)
            title = ("Training steps" if kind == "workloads" else "Per-op overhead") + \
                f", {n} thread{'s' if n > 1 else ''}"
            md += _table(res, title)
    if args.peers:
        from . import peers

        for n in threads:
            md += peers.section(n, args.rounds, _env(n))
    md.append(f"- load average at end: {os.getloadavg()}")
    text = "\n".join(md) + "\n"
    print(text)
    if not args.no_write:
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "benchmarks.md").write_text(text)


if __name__ == "__main__":
    main()

_ = statistics
