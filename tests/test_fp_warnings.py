"""torch computes with inf/NaN silently; chainrule must not leak NumPy's floating-point
RuntimeWarnings (a program run with ``-W error`` would crash where torch runs)."""

from __future__ import annotations

import subprocess
import sys


def test_no_numpy_fp_warnings_under_w_error() -> None:
    code = (
        "import chainrule as torch\n"
        "x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)\n"
        "y = (x ** -1).sum() + (torch.tensor([1e38]) * 1e10).sum() + (x / 0).sum()\n"
        "z = torch.tensor([float('inf')]) - float('inf')\n"
        "(x.log() * 0).sum().backward()\n"
        "print('ok', z.isnan().item())\n"
    )
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok True"


def test_backward_stays_silent_even_when_the_program_turns_warnings_into_errors() -> None:
    # chainrule's warning filter sits first only until the program adds its own: the backward
    # pass itself must make NumPy ignore inf/NaN arithmetic, and restore the program's setting
    code = (
        "import warnings, numpy as np, chainrule as torch\n"
        "warnings.simplefilter('error')\n"
        "x = torch.tensor([0.0, 4.0], requires_grad=True)\n"
        "(x ** 0.5).sum().backward()\n"  # d x^0.5 = 0.5 x^-0.5: 0 ** -0.5 divides by zero
        "print(x.grad.tolist(), np.geterr()['divide'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[inf, 0.25] warn"
