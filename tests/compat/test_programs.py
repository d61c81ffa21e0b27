"""Every compat program prints the same numbers under chainrule as under torch (see run.py)."""

from __future__ import annotations

import pytest

from . import run

SLOW = {"tiny_gpt", "char_rnn", "small_cnn", "quickstart_mlp"}


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.stem, marks=[pytest.mark.slow] if p.stem in SLOW else [])
     for p in run.programs()],
)
def test_program_matches_torch(path):
    result, theirs, ours = run.check(path)
    assert result.ok, (
        f"{path.name}: torch {theirs.seconds:.1f}s, chainrule {ours.seconds:.1f}s\n"
        + "\n".join(result.problems)
    )


def test_compare_catches_differences():
    torch_out = "epoch 1, loss 0.693147\ntensor([1.0000, 2.0000])\n"
    assert run.compare(torch_out, torch_out, {}).ok
    assert run.compare(torch_out, "epoch 1, loss 0.693148\ntensor([1.0000, 2.0000])\n", {}).ok
    assert not run.compare(torch_out, "epoch 1, loss 0.693160\ntensor([1.0000, 2.0000])\n",
                           {}).ok
    assert not run.compare(torch_out, "epoch 1, loss 0.693147\ntensor([1.0000, 2.0001])\n",
                           {}).ok
    assert not run.compare(torch_out, "epoch 1: loss 0.693147\ntensor([1.0000, 2.0000])\n",
                           {}).ok
    assert not run.compare(torch_out, "epoch 1, loss 0.693147\n", {}).ok
    assert run.compare("loss 1.5\nloss 0.5\n", "loss 1.4\nloss 0.7\n", {"loose": True}).ok
    assert not run.compare("loss 1.5\n", "loss nan\n", {"loose": True}).ok
    assert not run.compare("loss 1.5\nloss 0.5\n", "loss 1.5\nloss 1.6\n",
                           {"loose": True, "decreasing": "loss"}).ok
    assert run.compare("x 1e-08\n", "x 1.00001e-08\n", {}).ok
    assert not run.compare("x 1e-08\n", "x 2e-08\n", {"atol": 0}).ok


def test_alias_resolves_submodules_to_chainrule():
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

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
