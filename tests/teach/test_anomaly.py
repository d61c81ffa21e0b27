"""Anomaly mode: the backward op that made NaN/inf is named, with the forward call's traceback;
forward NaNs warn where they first appear; nothing changes while it is off."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
import torch

import chainrule
from chainrule.autograd.anomaly import AnomalyWarning

HERE = os.path.basename(__file__)
# numpy's own "divide by zero" warnings from the ops are not what these tests are about
numpy_div = pytest.mark.filterwarnings(
    "ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning"
)


@numpy_div
def test_log_of_zero_inf_gradient_names_op_and_forward_line():
    x = chainrule.tensor([1.0, 0.0, 2.0], dtype=chainrule.float64, requires_grad=True)
    with chainrule.autograd.detect_anomaly():
        y = chainrule.log(x)  # the forward line the report must show
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
    msg = str(info.value)
    assert msg.startswith("Function 'LogBackward0' returned inf values in its 0th output.")
    assert "dx = dy / x" in msg  # the op's local derivative
    assert "first at index (1,)" in msg  # the element with x = 0
    assert HERE in msg and "y = chainrule.log(x)  # the forward line" in msg
    assert "chainrule/ops" not in msg  # library internals are not shown


@numpy_div
def test_zero_over_zero_in_backward_nan():
    # sqrt at 0 times 0: the forward is finite, the backward computes 0 / (2 * 0)
    x = chainrule.zeros(3, dtype=chainrule.float64, requires_grad=True)
    with chainrule.autograd.set_detect_anomaly(True):
        out = (chainrule.sqrt(x) * 0).sum()
        with pytest.raises(RuntimeError, match=r"Function 'SqrtBackward0' returned nan") as info:
            out.backward()
    assert "out = (chainrule.sqrt(x) * 0).sum()" in str(info.value)
    assert "upstream gradient it received was finite" in str(info.value)
    assert not chainrule.autograd.is_anomaly_enabled()
    # torch itself names the same op for a NaN
    xt = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that anomaly mode is slow
        with (
            torch.autograd.detect_anomaly(),
            pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan"),
        ):
            (torch.sqrt(xt) * 0).sum().backward()


@numpy_div
def test_off_by_default_gives_torch_values():
    assert not chainrule.autograd.is_anomaly_enabled()
    x = chainrule.tensor([1.0, 0.0, 4.0], dtype=chainrule.float64, requires_grad=True)
    chainrule.log(x).sum().backward()
    xt = torch.tensor([1.0, 0.0, 4.0], dtype=torch.float64, requires_grad=True)
    torch.log(xt).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), xt.grad.numpy())  # inf at 0, no error


@numpy_div
def test_forward_nan_warns_at_first_appearance_only():
    x = chainrule.zeros(2, dtype=chainrule.float64, requires_grad=True)
    with chainrule.autograd.detect_anomaly():
        with pytest.warns(AnomalyWarning, match=r"DivBackward0 produced nan") as rec:
            q = x / x
        ours = [w for w in rec if w.category is AnomalyWarning]
        assert len(ours) == 1 and ours[0].filename == __file__  # at the user's line
        with warnings.catch_warnings():
            warnings.simplefilter("error", AnomalyWarning)
            r = q * 2 + 1  # NaN in, NaN out: not a new anomaly, no warning
    assert np.isnan(r.detach().numpy()).all()


@numpy_div
def test_forward_before_enabling_has_no_traceback():
    x = chainrule.tensor([0.0], dtype=chainrule.float64, requires_grad=True)
    y = chainrule.log(x)
    with (
        chainrule.autograd.detect_anomaly(),
        pytest.raises(RuntimeError, match="before anomaly mode was enabled"),
    ):
        y.sum().backward()


def test_custom_function_traceback_recorded():
    class Recip(chainrule.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 1 / x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return -g / (x * x)

    x = chainrule.tensor([1.0, 0.0], dtype=chainrule.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with chainrule.autograd.detect_anomaly():
            y = Recip.apply(x)  # custom forward
            with pytest.raises(RuntimeError, match="RecipBackward") as info:
                y.sum().backward()
    assert "y = Recip.apply(x)  # custom forward" in str(info.value)


def test_detect_anomaly_as_decorator_and_restores_state():
    @chainrule.autograd.detect_anomaly()
    def run():
        return chainrule.autograd.is_anomaly_enabled()

    assert run() is True
    assert chainrule.autograd.is_anomaly_enabled() is False
