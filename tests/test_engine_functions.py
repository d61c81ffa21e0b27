"""Custom ``autograd.Function``s and tensor hooks, against torch."""

from __future__ import annotations

import pytest
from engine_helpers import LIBS, both, close, leaf

import chainrule


def custom_functions(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_backward(x)
            ctx.scale = scale
            return x**3 * scale

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False)
            return grad * 3 * x**2 * ctx.scale, None

    class SplitMax(lib.autograd.Function):
        """Two outputs, one of them non-differentiable (an index)."""

        @staticmethod
        def forward(ctx, x):
            idx = x.argmax()
            ctx.shape = x.shape
            ctx.save_for_backward(idx)
            ctx.mark_non_differentiable(idx)
            return x.max(), idx

        @staticmethod
        def backward(ctx, grad_value, grad_index):
            (idx,) = ctx.saved_tensors
            out = lib.zeros(ctx.shape, dtype=grad_value.dtype)
            out[idx] = grad_value
            return out

    class MulAdd(lib.autograd.Function):
        """torch 2 style: forward without ctx, setup_context saves."""

        @staticmethod
        def forward(x, y):
            return x * y, x + y

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, y = inputs
            ctx.save_for_backward(x, y)

        @staticmethod
        def backward(ctx, g_prod, g_sum):
            x, y = ctx.saved_tensors
            return g_prod * y + g_sum, g_prod * x + g_sum

    return Cube, SplitMax, MulAdd


def test_custom_function_single_output() -> None:
    def run(lib):
        cube, _, _ = custom_functions(lib)
        x = leaf(lib, [0.5, -1.5])
        y = cube.apply(x, 2.0)
        assert type(y.grad_fn).__name__ == "CubeBackward" or y.grad_fn.name() == "CubeBackward"
        y.sum().backward()
        return y, x.grad

    for o, t in zip(*both(run)):
        close(o, t)


def test_custom_function_multi_output_non_differentiable() -> None:
    def run(lib):
        _, split_max, _ = custom_functions(lib)
        x = leaf(lib, [0.5, 3.0, -1.0])
        value, idx = split_max.apply(x)
        assert value.requires_grad and not idx.requires_grad
        (value * 2).backward()
        return x.grad, idx

    (og, oi), (tg, ti) = both(run)
    close(og, tg)
    assert oi.item() == ti.item() == 1


def test_custom_function_setup_context_style() -> None:
    def run(lib):
        _, _, mul_add = custom_functions(lib)
        x, y = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
        p, s = mul_add.apply(x, y)
        (p * 2 + s * 3).sum().backward()
        return p, s, x.grad, y.grad

    for o, t in zip(*both(run)):
        close(o, t)


def test_custom_function_in_no_grad_and_with_constant_inputs() -> None:
    cube, _, _ = custom_functions(chainrule)
    with chainrule.no_grad():
        assert not cube.apply(leaf(chainrule, [1.0]), 1.0).requires_grad
    assert not cube.apply(chainrule.ones(2), 1.0).requires_grad


def test_hooks_on_leaves_and_non_leaves() -> None:
    def run(lib):
        x = leaf(lib, [1.0, 2.0, 3.0])
        seen = []
        y = x * x
        handle = y.register_hook(lambda g: g * 10)  # rescales what flows past y
        y.register_hook(lambda g: seen.append(g.clone()))  # sees the rescaled grad
        x.register_hook(lambda g: g + 1)  # changes what lands in x.grad
        y.sum().backward(retain_graph=True)
        first = x.grad.clone()
        handle.remove()
        x.grad = None
        y.sum().backward()
        return first, x.grad, seen[0]

    for o, t in zip(*both(run)):
        close(o, t)


def test_hook_on_tensor_without_grad_raises() -> None:
    for lib in LIBS:
        with pytest.raises(RuntimeError, match="doesn't require gradient"):
            lib.ones(2).register_hook(lambda g: g)


def test_custom_function_mark_dirty_identity_and_materialize() -> None:
    def run(lib):
        class AddOneInplace(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        class Identity(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 5

        seen = []

        class TwoOut(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, g1, g2):
                seen.append(g2 is None)
                return g1 * 2

        w = leaf(lib, [1.0, 2.0])
        x = w * 3
        y = AddOneInplace.apply(x)
        assert y is x and x._version == 2
        (y * y).sum().backward()
        g_dirty = w.grad.clone()
        w.grad = None
        z = Identity.apply(w)
        assert z is not w and z.grad_fn is not None  # a new tensor, as torch makes
        z.sum().backward()
        g_identity = w.grad.clone()
        w.grad = None
        a, _ = TwoOut.apply(w)
        a.sum().backward()
        assert seen == [True]  # the unused output's gradient stays None
        return g_dirty, g_identity, w.grad

    for o, t in zip(*both(run)):
        close(o, t)
