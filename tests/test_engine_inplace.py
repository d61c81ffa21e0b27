"""In-place ops and the engine, against torch: version counters (an in-place change of a
saved tensor raises at backward exactly where torch raises), in-place ops recorded on
non-leaves, and in-place changes through views (torch's CopySlices)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import LIBS, both, close, leaf

import chainrule


def _inplace_cases():
    """Each case builds a graph, changes something in place, then runs backward."""

    def exp_then_input_changed(lib, x):
        a = x * 1.0
        y = a.exp()  # exp saves its output, not its input
        a.add_(1.0)
        return y

    def exp_then_output_changed(lib, x):
        y = (x * 1.0).exp()
        y.add_(1.0)
        return y

    def sin_then_input_changed(lib, x):
        a = x * 1.0
        y = a.sin()
        a.mul_(2.0)
        return y

    def tanh_then_input_changed(lib, x):
        a = x * 1.0
        y = a.tanh()
        a.mul_(2.0)
        return y

    def relu_then_output_changed(lib, x):
        y = (x * 1.0).relu()
        y.mul_(2.0)
        return y

    def sigmoid_then_output_changed(lib, x):
        y = (x * 1.0).sigmoid()
        y.mul_(2.0)
        return y

    def add_then_operand_changed(lib, x):
        a = x * 1.0
        y = a + 3.0
        a.mul_(2.0)
        return y

    def mul_then_operand_changed(lib, x):
        a = x * 1.0
        y = a * x
        a.add_(1.0)
        return y

    def pow_then_input_changed(lib, x):
        a = x * 1.0
        y = a**2
        a.add_(1.0)
        return y

    def matmul_then_operand_changed(lib, x):
        a = x.reshape(1, 3) * 1.0
        y = (a @ lib.ones(3, 2, dtype=lib.float64)).sum(1)
        a.zero_()
        return y

    def softmax_then_output_changed(lib, x):
        y = (x * 1.0).softmax(0)
        y.mul_(3.0)
        return y

    def clone_then_changed(lib, x):
        y = x.clone()
        y.add_(1.0)
        return y

    def inplace_chain(lib, x):
        y = x * 2.0
        y.add_(1.0)
        y.mul_(y.detach())
        return y.exp()

    def changed_through_detach(lib, x):
        a = x * 1.0
        y = a.sin()
        a.detach().zero_()  # detach shares the version counter
        return y

    def changed_through_view(lib, x):
        a = x * 1.0
        y = a.sin()
        with lib.no_grad():
            a[0].mul_(2.0)  # a view shares its base's version counter
        return y

    def changed_through_data(lib, x):
        a = x * 1.0
        y = a.sin()
        a.data.mul_(2.0)  # .data is outside the version system (torch's documented hazard)
        return y

    def exp_output_changed_through_view(lib, x):
        y = x.exp()
        y[1:].mul_(2.0)
        return y

    def setitem_then_backward(lib, x):
        y = x * 2.0
        y[1] = 0.0
        return y * y

    return [f for name, f in sorted(locals().items())]


@pytest.mark.parametrize("case", _inplace_cases(), ids=lambda f: f.__name__)
def test_version_counter_matches_torch(case) -> None:
    outcomes = []
    for lib in (torch, chainrule):
        x = leaf(lib, [0.5, -1.0, 2.0])
        try:
            y = case(lib, x)
            y.backward(lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)[: y.numel()].reshape(
                y.shape))
            outcomes.append(("ok", x.grad.numpy()))
        except RuntimeError as e:
            outcomes.append(("error", str(e)))
    (t_kind, t_val), (o_kind, o_val) = outcomes
    assert o_kind == t_kind, f"torch: {t_kind} {t_val if t_kind == 'error' else ''}; chainrule: "\
                             f"{o_kind} {o_val if o_kind == 'error' else ''}"
    if t_kind == "ok":
        np.testing.assert_allclose(o_val, t_val, rtol=1e-12)
    else:
        assert "modified by an inplace operation" in t_val
        assert "modified by an inplace operation" in o_val


def test_inplace_on_leaf_requiring_grad_raises() -> None:
    for lib in LIBS:
        x = leaf(lib, [1.0, 2.0])
        ones = lib.ones(2)
        for op in (lambda t: t.add_(1.0), lambda t: t.mul_(2.0), lambda t: t.zero_(),
                   lambda t: t.fill_(1.0), lambda t, o=ones: t.copy_(o),
                   lambda t: t.clamp_(0, 1), lambda t: t.__setitem__(0, 5.0)):
            with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being "
                                                   "used in an in-place operation"):
                op(x)
        with lib.no_grad():  # the optimizer's way
            x.add_(1.0)
        assert x.tolist() == [2.0, 3.0]


def test_inplace_on_non_leaf_records_the_op() -> None:
    def run(lib):
        x = leaf(lib, [0.5, -1.0, 2.0])
        y = x * 2.0
        y.mul_(x)
        y.add_(1.0)
        y.clamp_(min=-1.5)
        y.exp_()
        y.sum().backward()
        return y, x.grad

    for o, t in zip(*both(run)):
        close(o, t)


def _view_cases():
    def slice_iadd(lib, w):
        x = w * 2.0
        x[:, 0] += 1.0  # view += then setitem, as Python runs it
        return x

    def row_mul_by_grad_tensor(lib, w):
        x = w * 2.0
        x[1].mul_(w[0])
        return x

    def transposed_row(lib, w):
        x = w * 2.0
        x.t()[0].sub_(w[0, :2])
        return x

    def flat_view_exp(lib, w):
        x = w * 2.0
        x.view(6)[2:4].exp_()
        return x

    def view_of_view_clamp(lib, w):
        x = w.sin()
        x.unsqueeze(0)[0, :, 1:].clamp_(max=0.5)
        return x.exp()

    def copy_grad_value_into_plain_buffer(lib, w):
        buf = lib.zeros(3, 3, dtype=lib.float64)
        buf[1:, :].copy_(w * 3.0)
        return buf

    def narrow_fill_then_use(lib, w):
        x = w + 0.0
        x.narrow(1, 1, 2).fill_(0.5)
        return x * w

    def select_zero(lib, w):
        x = w * w
        x.select(0, 0).zero_()
        return x

    return [f for name, f in sorted(locals().items())]


@pytest.mark.parametrize("case", _view_cases(), ids=lambda f: f.__name__)
def test_inplace_on_views_matches_torch(case) -> None:
    def run(lib):
        w = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=lib.float64,
                       requires_grad=True)
        out = case(lib, w)
        g = lib.arange(out.numel(), dtype=lib.float64).reshape(out.shape) - 2.0
        out.backward(g)
        return out, w.grad

    for o, t in zip(*both(run)):
        close(o, t)


def test_inplace_on_view_of_leaf_requiring_grad_raises() -> None:
    for lib in LIBS:
        w = leaf(lib, [[1.0, 2.0]])
        with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
            w[0].add_(1.0)
        with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
            w.view(2).mul_(w.detach().view(2))
