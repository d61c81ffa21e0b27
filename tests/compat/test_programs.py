"""Every compat program prints the same numbers under chainrule as under torch (see run.py).

torch's outputs come from ``expected/`` (recorded with ``python tests/compat/run.py
--update``); set CHAINRULE_COMPAT_LIVE=1 to run torch live instead. One short program is
always checked live, so a stale recording or a changed torch shows up.
"""

from __future__ import annotations

import os

import pytest

from . import run

SLOW = {"tiny_gpt", "quickstart_mlp", "pytorch_with_examples", "time_sequence_lbfgs", "sklearn_iris",
        "reinforce_policy", "names_rnn_classification", "mlm_timeseries_lstm"}
LIVE = os.environ.get("CHAINRULE_COMPAT_LIVE") == "1"


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.stem, marks=[pytest.mark.slow] if p.stem in SLOW else [])
     for p in run.programs()],
)
def test_program_matches_torch(path):
    result, theirs, ours = run.check(path, live=LIVE)
    assert result.ok, (
        f"{path.name}: torch {theirs.seconds:.1f}s, chainrule {ours.seconds:.1f}s\n"
        + "\n".join(result.problems)
    )


def test_recordings_exist_and_one_matches_torch_live():
    missing = [p.stem for p in run.programs() if not run.expected_path(p).exists()]
    assert not missing, f"record torch's output: python tests/compat/run.py --update {missing}"
    path = run.PROGRAMS / "seed_program.py"
    live = run.run_program(path, "torch")
    assert live.returncode == 0, live.stderr
    recorded = run.expected_path(path).read_text(encoding="utf-8")
    comparison = run.compare(live.stdout, recorded, run.directives(path))
    assert comparison.ok, "\n".join(comparison.problems)


def test_compare_catches_differences():
    torch_out = "epoch 1, loss 0.693147\ntensor([1.0000, 2.0000])\n"
    assert run.compare(torch_out, torch_out, {}).ok
    assert run.compare(torch_out, "epoch 1, loss 0.693148\ntensor([1.0000, 2.0000])\n", {}).ok
    assert not run.compare(torch_out, "epoch 1, loss 0.693160\ntensor([1.0000, 2.0000])\n",
                           {}).ok
    # one unit in the last printed digit is a rounding flip, more is a difference
    assert run.compare(torch_out, "epoch 1, loss 0.693147\ntensor([1.0000, 2.0001])\n", {}).ok
    assert not run.compare(torch_out, "epoch 1, loss 0.693147\ntensor([1.0000, 2.0003])\n",
                           {}).ok
    assert not run.compare(torch_out, "epoch 1: loss 0.693147\ntensor([1.0000, 2.0000])\n",
                           {}).ok
    assert not run.compare(torch_out, "epoch 1, loss 0.693147\n", {}).ok
    assert run.compare("loss 1.5\nloss 0.5\n", "loss 1.4\nloss 0.7\n", {"loose": True}).ok
    assert not run.compare("loss 1.5\n", "loss nan\n", {"loose": True}).ok
    assert not run.compare("loss 1.5\nloss 0.5\n", "loss 1.5\nloss 1.6\n",
                           {"loose": True, "decreasing": "loss"}).ok
    assert run.compare("x 1e-08\n", "x 1.00001e-08\n", {}).ok
    # NumPy's padding follows the printed digits: free where they differ, exact where not
    assert run.compare("[0.5044691 0.59186   0.6406228]\n", "[0.50446934 0.5918603  0.6406232 ]\n",
                       {"rtol": 1e-5}).ok
    assert not run.compare("[0.5 0.25]\n", "[0.5  0.25]\n", {}).ok
    assert run.compare("[ 6.  8. 10.]\n", "[3. 1. 9.]\n", {"loose": True}).ok
    # prefix: chainrule may append a hint to torch's message, not change it
    assert run.compare("error: bad 3\n", "error: bad 3 (hint 5)\n", {"prefix": True}).ok
    assert not run.compare("error: bad 3\n", "error: bad 3 (hint 5)\n", {}).ok
    assert not run.compare("error: bad 3 x\n", "error: bad 3 (hint 5)\n", {"prefix": True}).ok
    assert not run.compare("error: bad 3\n", "error: bad 4 (hint 5)\n", {"prefix": True}).ok
    assert not run.compare("x 1.000e-08\n", "x 1.003e-08\n", {"atol": 0}).ok


def test_alias_resolves_submodules_to_chainrule():
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "import torch_alias; torch_alias.install()\n"
        "import torch, torch.nn as nn, torch.nn.functional as F, torch.optim as optim\n"
        "from torch.utils.data import DataLoader\n"
        "import chainrule\n"
        "assert torch is chainrule and nn is chainrule.nn and optim is chainrule.optim\n"
        "assert F is chainrule.nn.functional and DataLoader is chainrule.utils.data.DataLoader\n"
        "try:\n    import torch.no_such_module\nexcept ImportError: print('ok')\n"
    ) % str(run.HERE)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "ok", out.stderr
