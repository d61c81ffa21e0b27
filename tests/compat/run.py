"""Runs a compat program under real torch and under chainrule and compares what they print.

Each program in ``programs/`` is ordinary PyTorch code (``import torch``). Under chainrule it
runs in a fresh interpreter where ``torch_alias.install()`` maps ``torch`` and ``torch.*`` to
``chainrule`` and ``chainrule.*``. The two outputs are compared line by line: the text
without numbers must be equal, and every number must agree within

    |ours - torch| <= max(rtol * |torch|, atol, one unit in the last printed digit)

(the last term absorbs rounding flips of printed decimals; where the printed numbers differ,
so may NumPy's padding between them, and runs of spaces count as one). A program's header may
set ``# compat: rtol=1e-4``, ``# compat: atol=1e-5`` or ``# compat: loose`` (only the text and
the count of numbers must match, numbers must be finite: for programs whose numbers depend on
the library's RNG), ``# compat: prefix`` (a chainrule line may go on after torch's line:
error messages where chainrule adds a hint after torch's text), and ``# compat: decreasing=loss`` (the first number on lines containing
"loss" must end lower than it starts, in both runs).

torch's outputs are stored in ``expected/<program>.txt`` (written by ``--update``), so the
test suite runs only chainrule; ``--live`` (or CHAINRULE_COMPAT_LIVE=1 for the tests) runs
torch again instead of reading the stored output.

Usage: ``python tests/compat/run.py [--live|--update] [program ...]`` prints a table (program,
result, seconds under torch (live runs only), seconds under chainrule).
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
EXPECTED = HERE / "expected"
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w])|"
                    r"(?<![\w])[-+]?(?:nan|inf)(?![\w])")

_BOOT = """
import runpy, sys
sys.path.insert(0, {here!r})
if {alias}:
    import torch_alias
    torch_alias.install()
sys.argv = [{path!r}]
runpy.run_path({path!r}, run_name="__main__")
"""


@dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int
    seconds: float


@dataclass
class Comparison:
    ok: bool
    problems: list[str] = field(default_factory=list)


def programs() -> list[Path]:
    return sorted(PROGRAMS.glob("*.py"))


def directives(path: Path) -> dict:
    """``# compat: key=value`` / ``# compat: flag`` lines from the program's header."""
    found: dict = {}
    for line in path.read_text(encoding="utf-8").splitlines()[:40]:
        match = re.match(r"#\s*compat:\s*(.+)$", line.strip())
        if not match:
            continue
        for item in match.group(1).split(","):
            key, _, value = item.strip().partition("=")
            found[key.strip()] = value.strip() if value else True
    return found


def run_program(path: Path, lib: str, timeout: float = 300.0) -> Run:
    """Runs ``path`` in a new interpreter with ``lib`` ("torch" or "chainrule") as torch."""
    code = _BOOT.format(here=str(HERE), alias=lib == "chainrule", path=str(path))
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory() as workdir:  # programs may write checkpoints
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=timeout,
                              encoding="utf-8")
        seconds = time.perf_counter() - start
    return Run(proc.stdout, proc.stderr, proc.returncode, seconds)


def _decimals(token: str) -> float:
    """One unit in the last printed digit of a number token (0 for integers)."""
    mantissa, _, exponent = token.lower().partition("e")
    if "." not in mantissa:
        return 0.0 if not exponent else 10.0 ** int(exponent)
    digits = len(mantissa.split(".")[1])
    return 10.0 ** (-digits + (int(exponent) if exponent else 0))


def _squash(text: str) -> str:
    """Text with runs of spaces as one and no spaces just inside brackets."""
    return re.sub(r"\[ +", "[", re.sub(r" +\]", "]", " ".join(text.split())))


def compare(theirs: str, ours: str, options: dict) -> Comparison:
    rtol = float(options.get("rtol", 1e-5))
    atol = float(options.get("atol", 1e-7))
    loose = bool(options.get("loose", False))
    prefix = bool(options.get("prefix", False))
    problems: list[str] = []
    lines_t, lines_o = theirs.splitlines(), ours.splitlines()
    if len(lines_t) != len(lines_o):
        problems.append(f"line count differs: torch {len(lines_t)}, chainrule {len(lines_o)}")
    for n, (lt, lo) in enumerate(zip(lines_t, lines_o), 1):
        text_t, text_o = NUMBER.sub("#", lt), NUMBER.sub("#", lo)
        if text_t != text_o and (loose or NUMBER.findall(lt) != NUMBER.findall(lo)):
            # NumPy pads printed arrays to the widest number (shortest repr of float32): the
            # padding changes with the last digits, so it only counts where those are equal
            text_t, text_o = _squash(text_t), _squash(text_o)
        if text_t != text_o and not (prefix and text_o.startswith(text_t)):
            problems.append(f"line {n} text differs:\n  torch:     {lt}\n  chainrule: {lo}")
            continue
        for tok_t, tok_o in zip(NUMBER.findall(lt), NUMBER.findall(lo)):
            a, b = float(tok_o), float(tok_t)
            if loose:
                if math.isfinite(b) and not math.isfinite(a):
                    problems.append(f"line {n}: chainrule printed {tok_o} (torch {tok_t})")
                continue
            if math.isnan(a) and math.isnan(b) or a == b:
                continue
            allowed = max(rtol * abs(b), atol, _decimals(tok_t), _decimals(tok_o))
            if not abs(a - b) <= allowed * (1 + 1e-9):
                problems.append(f"line {n}: {tok_o} vs torch {tok_t}\n  torch:     {lt}\n"
                                f"  chainrule: {lo}")
                break
        if len(problems) > 8:
            break
    word = options.get("decreasing")
    if word:
        for name, text in (("torch", theirs), ("chainrule", ours)):
            values = [float(NUMBER.findall(line)[0]) for line in text.splitlines()
                      if word in line and NUMBER.findall(line)]
            if len(values) < 2 or not values[-1] < values[0]:
                problems.append(f"{name}: '{word}' did not decrease ({values[:1]} -> "
                                f"{values[-1:]})")
    return Comparison(not problems, problems)


def expected_path(path: Path) -> Path:
    return EXPECTED / f"{path.stem}.txt"


def torch_output(path: Path, live: bool) -> Run:
    """torch's run: live, or the stored output (seconds = nan) when one exists."""
    stored = expected_path(path)
    if not live and stored.exists():
        return Run(stored.read_text(encoding="utf-8"), "", 0, float("nan"))
    return run_program(path, "torch")


def check(path: Path, live: bool = False) -> tuple[Comparison, Run, Run]:
    """Runs chainrule (and torch when live or unrecorded) and compares; a crash under either
    library is a failure with its stderr."""
    theirs = torch_output(path, live)
    ours = run_program(path, "chainrule")
    if theirs.returncode != 0:
        return Comparison(False, [f"torch run failed:\n{theirs.stderr[-3000:]}"]), theirs, ours
    if ours.returncode != 0:
        return Comparison(False, [f"chainrule run failed:\n{ours.stderr[-3000:]}"]), theirs, ours
    return compare(theirs.stdout, ours.stdout, directives(path)), theirs, ours


def update(paths: list[Path]) -> None:
    """Records torch's output of each program in ``expected/``."""
    EXPECTED.mkdir(exist_ok=True)
    for path in paths:
        theirs = run_program(path, "torch")
        if theirs.returncode != 0:
            raise SystemExit(f"{path.name} failed under torch:\n{theirs.stderr}")
        expected_path(path).write_text(theirs.stdout, encoding="utf-8")
        print(f"recorded {path.stem} ({theirs.seconds:.1f}s)")


def _style(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines()[:40]:
        match = re.match(r"#\s*style:\s*(.+)$", line.strip())
        if match:
            return match.group(1)
    return ""


def main(argv: list[str]) -> int:
    live = "--live" in argv
    names = [a for a in argv if not a.startswith("--")]
    chosen = [p for p in programs() if not names or p.stem in names]
    if "--update" in argv:
        update(chosen)
        return 0
    failures = 0
    print(f"{'program':<26} {'result':<6} {'torch s':>8} {'chainrule s':>12}  style")
    for path in chosen:
        result, theirs, ours = check(path, live)
        failures += not result.ok
        print(f"{path.stem:<26} {'pass' if result.ok else 'FAIL':<6} {theirs.seconds:>8.2f} "
              f"{ours.seconds:>12.2f}  {_style(path)}")
        if not result.ok:
            for problem in result.problems[:5]:
                print("    " + problem.replace("\n", "\n    "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
