"""explain(): every number it prints is autograd's (checked against torch), the closed form of
the seed network equals autograd, Markdown is well formed."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch

import chainrule
from chainrule import teach
from chainrule.teach._format import fmt_array

nn = pytest.importorskip("chainrule.nn")


def _torch_seed(model):
    """torch's copy of a chainrule SimpleNN (same weights), float64."""
    tm = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    with torch.no_grad():
        for p, tp in zip(model.parameters(), tm.parameters()):
            tp.copy_(torch.tensor(p.detach().numpy()))
    return tm.double()


def test_seed_network_numbers_match_torch():
    model, x, y = teach.seed_network()
    model.double()
    x, y = x.double(), y.double()
    tm = _torch_seed(model)
    tx, ty = torch.tensor(x.numpy()), torch.tensor(y.numpy())
    z1 = tm[0](tx)
    h = tm[1](z1)
    out = tm[2](h)
    for t in (z1, h, out):
        t.retain_grad()
    tloss = torch.nn.functional.mse_loss(out, ty)
    tloss.backward()

    loss = nn.MSELoss()(model(x), y)
    buf = io.StringIO()
    before = [p.detach().numpy().copy() for p in model.parameters()]
    result = teach.explain(loss, params=model.named_parameters(), lr=0.01, file=buf)
    text = buf.getvalue()
    assert text == result.text

    # the steps, in the engine's order, carry torch's upstream gradients
    names = [s.node.name() for s in result.record.steps]
    assert names == ["MseLossBackward0", "AddmmBackward0", "ReluBackward0", "AddmmBackward0"]
    ups = [s.grad_outputs[0] for s in result.record.steps]
    np.testing.assert_allclose(ups[1], out.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ups[2], h.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ups[3], z1.grad.numpy(), rtol=1e-12)
    for arr in (out.grad, h.grad, z1.grad):  # and the printed numbers are those
        assert fmt_array(arr.numpy()) in text
    assert f"The loss J = {teach._format.fmt_num(tloss.item())}." in text

    # parameter gradients, .grad accumulation and the SGD update, vs torch's SGD step
    tgrads = {n: p.grad.numpy().copy() for n, p in zip(
        ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], tm.parameters())}  # fmt: skip
    torch.optim.SGD(tm.parameters(), lr=0.01).step()
    for (name, p), tp, old in zip(model.named_parameters(), tm.parameters(), before):
        np.testing.assert_allclose(result.param_grads[name], tgrads[name], rtol=1e-12)
        np.testing.assert_allclose(p.grad.numpy(), tgrads[name], rtol=1e-12)
        np.testing.assert_array_equal(p.detach().numpy(), old)  # explain() does not step
        np.testing.assert_allclose(result.updates[name], tp.detach().numpy(), rtol=1e-12)
        assert f"θ_new = θ_old − 0.01·∇θJ = {fmt_array(tp.detach().numpy())}" in text

    # the closed form, recomputed in NumPy, equals autograd
    assert result.closed_form_max_diff < 1e-12
    np.testing.assert_allclose(result.closed_form["W1"], tgrads["fc1.weight"], rtol=1e-12)
    assert "δ_out" in text and "dJ/dZ2 = (2/(N·k)) (Y − T) ⊙ φ'(Z2)" in text
    assert "seed tutorial §4.2" in text


@pytest.mark.parametrize("hidden,out_act", [("Sigmoid", None), ("Tanh", "Sigmoid")])
def test_closed_form_other_activations(hidden, out_act):
    chainrule.manual_seed(1)
    layers = [nn.Linear(4, 5), getattr(nn, hidden)(), nn.Linear(5, 2)]
    if out_act:
        layers.append(getattr(nn, out_act)())
    model = nn.Sequential(*layers).double()
    x = chainrule.randn(6, 4, dtype=chainrule.float64)
    y = chainrule.randn(6, 2, dtype=chainrule.float64)
    loss = nn.functional.mse_loss(model(x), y)
    result = teach.explain(loss, model=model, file=io.StringIO())
    assert result.closed_form_max_diff < 1e-12
    assert f"σ = {hidden.lower()}" in result.text
    assert f"φ = {(out_act or 'identity').lower()}" in result.text
    assert "(pass lr= to see" in result.text


def test_markdown_format():
    model, x, y = teach.seed_network()
    loss = nn.MSELoss()(model(x), y)
    md = teach.explain(loss, params=model, lr=0.1, format="md", file=io.StringIO()).text
    lines = md.splitlines()
    assert lines[0] == "# Backpropagation, step by step (4 ops)"
    assert "### Step 1/4: n0 MseLoss [MseLossBackward0], output () float32" in lines
    assert "| input | sent to | dJ/d(input) |" in lines
    assert "| parameter | shape | ∇θJ | θ_old | θ_new |" in lines
    assert md.count("```") % 2 == 0 and "```mermaid\nflowchart TB" in md
    for i, line in enumerate(lines):  # every table: header, separator, rows of equal width
        if line.startswith("|---"):
            width = lines[i - 1].count(" | ")
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert lines[j].count(" | ") == width, lines[j]
                j += 1


def test_not_the_seed_network_and_errors(tmp_path):
    w = chainrule.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    result = teach.explain(loss, params={"w": w}, file=tmp_path / "out.txt")
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert text == result.text
    assert "closed form" not in text and result.closed_form_max_diff is None
    assert "n2 w (.grad)" in text  # Mul sends to the leaf twice (x * x): both rows shown
    np.testing.assert_allclose(result.param_grads["w"], [2.0, 4.0])
    with pytest.raises(RuntimeError, match="runs backward itself"):
        teach.explain(loss, file=io.StringIO())
    with pytest.raises(RuntimeError, match="scalar"):
        teach.explain(w * 2, file=io.StringIO())
    with pytest.raises(ValueError, match="format"):
        teach.explain((w * 2).sum(), format="html")


def test_existing_grad_is_noted():
    w = chainrule.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    text = teach.explain((w * w).sum(), params={"w": w}, file=io.StringIO()).text
    assert "already held a gradient" in text
    np.testing.assert_allclose(w.grad.numpy(), [5.0, 7.0])
