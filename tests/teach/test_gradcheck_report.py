"""gradcheck catches a wrong backward and says where: which input, which element, analytic vs
numeric; gradgradcheck catches a wrong second derivative."""

from __future__ import annotations

import pytest
import torch

import chainrule
from chainrule.autograd.gradcheck import GradcheckError


def _bad_square(lib):
    class BadSquare(lib.autograd.Function):
        """x^2 with the classic mistake: the backward forgets the factor 2."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x  # wrong: d(x^2)/dx = 2x

    return BadSquare


def test_wrong_custom_function_is_caught_with_readable_report():
    x = chainrule.tensor([1.0, -2.0, 3.0], dtype=chainrule.float64, requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        chainrule.autograd.gradcheck(_bad_square(chainrule).apply, (x,))
    msg = str(info.value)
    assert "with respect to input 0" in msg and "made by BadSquareBackward" in msg
    # the worst element: x = 3 -> analytical 3, numerical 6
    assert "worst element: d output[2] / d input[2]  analytical 3  numerical 6" in msg
    assert "3 of 9 Jacobian entries differ" in msg
    # torch's first line is the same
    xt = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError) as tinfo:
        torch.autograd.gradcheck(_bad_square(torch).apply, (xt,))
    assert msg.splitlines()[0] == str(tinfo.value).splitlines()[0]


def test_second_input_of_two_is_named():
    class BadMul(chainrule.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            _a, b = ctx.saved_tensors
            return g * b, g * b  # second gradient wrong (should be g * a)

    a = chainrule.tensor([[1.0, 2.0]], dtype=chainrule.float64, requires_grad=True)
    b = chainrule.tensor([[5.0, 7.0]], dtype=chainrule.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match=r"with respect to input 1,") as info:
        chainrule.autograd.gradcheck(BadMul.apply, (a, b))
    assert "d output[0, 1] / d input[0, 1]  analytical 7  numerical 2" in str(info.value)


def test_raise_exception_false_returns_false_and_correct_passes():
    x = chainrule.tensor([0.5, 1.5], dtype=chainrule.float64, requires_grad=True)
    assert (
        chainrule.autograd.gradcheck(_bad_square(chainrule).apply, (x,), raise_exception=False)
        is False
    )
    assert chainrule.autograd.gradcheck(lambda t: t.sin() * t, (x,)) is True


def test_non_contiguous_input_is_perturbed():
    base = chainrule.randn(3, 4, dtype=chainrule.float64)
    xt = base.t().requires_grad_()
    assert not xt._data.flags.c_contiguous  # the case where reshape(-1) would copy
    assert chainrule.autograd.gradcheck(lambda t: (t * t).sum(0), (xt,))


def test_gradgradcheck_catches_wrong_second_derivative():
    class DetachedSquare(chainrule.autograd.Function):
        """First derivative right (2x) but computed from a detached x: no second derivative."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x.detach()

    x = chainrule.tensor([1.0, 2.0], dtype=chainrule.float64, requires_grad=True)
    assert chainrule.autograd.gradcheck(DetachedSquare.apply, (x,))
    with pytest.raises(GradcheckError, match=r"^gradgradcheck: the gradient of the first"):
        chainrule.autograd.gradgradcheck(DetachedSquare.apply, (x,))
    assert chainrule.autograd.gradgradcheck(lambda t: t.sin() * t, (x,))
