"""The backward engine against torch: graph shapes (diamond, reuse, long chains), gradient
accumulation, retain_grad, retain_graph, create_graph, autograd.grad, grad modes, custom
Functions, hooks, version counters, and the errors torch raises."""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest
import torch

import chainrule
from chainrule.autograd.engine import sum_to_shape

LIBS = [chainrule, torch]


def close(ours, theirs, tol: float = 1e-12) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=tol,
                               atol=tol)


def leaf(lib, values, dtype="float64"):
    return lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)


# -- graph shapes ---------------------------------------------------------------------------


def both(fn):
    """Runs ``fn(lib)`` for chainrule and torch; returns (ours, theirs)."""
    return fn(chainrule), fn(torch)


def test_diamond_graph_sums_both_paths() -> None:
    def run(lib):
        x = leaf(lib, [0.5, -1.0, 2.0])
        a = x.sin()
        b, c = a * 3.0, a.exp()  # a feeds two branches that meet again
        (b * c).sum().backward()
        return x.grad

    close(*both(run))


def test_reuse_in_one_expression() -> None:
    def run(lib):
        x = leaf(lib, [0.5, -1.0, 2.0])
        (x * x + x / (x * x + 1.0) - x).sum().backward()
        return x.grad

    ours, theirs = both(run)
    close(ours, theirs)


def test_long_chain_has_no_recursion_limit() -> None:
    x = chainrule.ones(3, dtype=chainrule.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0000001
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 1.0000001**100_000, rtol=1e-9)
    del y  # freeing the chain must not recurse either
    gc.collect()


def test_broadcast_gradients_are_reduced_by_the_engine() -> None:
    def run(lib):
        a = leaf(lib, [[1.0], [2.0]])  # (2, 1)
        b = leaf(lib, [1.0, 2.0, 3.0])  # (3,)
        c = leaf(lib, 2.0)  # ()
        (a * b + c).backward(lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                                         dtype=lib.float64))
        return a.grad, b.grad, c.grad

    for o, t in zip(*both(run)):
        close(o, t)


def test_sum_to_shape() -> None:
    g = chainrule.ones(4, 2, 3)
    assert tuple(sum_to_shape(g, (2, 1)).shape) == (2, 1)
    np.testing.assert_array_equal(sum_to_shape(g, (1, 3)).numpy(), np.full((1, 3), 8.0))
    assert sum_to_shape(g, ()).item() == 24.0
    with pytest.raises(RuntimeError, match="invalid gradient"):
        sum_to_shape(g, (5,))


def test_grad_accumulates_across_backward_calls() -> None:
    def run(lib):
        x = leaf(lib, [1.0, 2.0])
        (x * x).sum().backward()
        (x * 3.0).sum().backward()
        first = x.grad.clone()
        x.grad = None
        x.exp().sum().backward()
        return first, x.grad

    for o, t in zip(*both(run)):
        close(o, t)


def test_grad_of_a_leaf_is_a_separate_tensor() -> None:
    x = chainrule.ones(3, requires_grad=True)
    g = chainrule.ones(3)
    (x * 1.0).backward(g)
    x.grad.add_(1.0)  # in-place on the stored grad must not alias the seed gradient
    assert g.tolist() == [1.0, 1.0, 1.0]


# -- non-leaf gradients ---------------------------------------------------------------------


def test_retain_grad_on_non_leaf() -> None:
    def run(lib):
        x = leaf(lib, [1.0, 2.0])
        y = x * x
        y.retain_grad()
        z = y.exp()
        z.retain_grad()
        z.sum().backward()
        assert y.retains_grad and y.requires_grad and not y.is_leaf
        return y.grad, z.grad, x.grad

    for o, t in zip(*both(run)):
        close(o, t)


def test_non_leaf_grad_is_none_with_torchs_warning() -> None:
    x = chainrule.ones(2, requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="not a leaf Tensor is being accessed"):
        assert y.grad is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is not None  # leaves: no warning
        y2 = x * 3
        y2.retain_grad()
        y2.sum().backward()
        assert y2.grad is not None  # retained: no warning
        assert chainrule.ones(2).grad is None  # no grad at all: no warning


# -- retain_graph / second backward -----------------------------------------------------------


def test_second_backward_raises_torchs_error() -> None:
    for lib in LIBS:
        x = leaf(lib, [1.0, 2.0])
        y = (x * x).sum()
        y.backward()
        with pytest.raises(RuntimeError, match=r"Trying to backward through the graph a second "
                                               r"time .*retain_graph=True"):
            y.backward()


def test_retain_graph_allows_a_second_backward() -> None:
    def run(lib):
        x = leaf(lib, [1.0, 2.0])
        y = (x.sin() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad

    close(*both(run))


def test_graph_without_saved_tensors_can_be_rerun() -> None:
    def run(lib):
        x = leaf(lib, [1.0, 2.0])
        y = (x + 1.0).sum()
        y.backward()
        y.backward()  # nothing was saved, so nothing was freed (torch allows this)
        return x.grad

    close(*both(run))


def test_backward_of_non_scalar_needs_a_gradient() -> None:
    for lib in LIBS:
        x = leaf(lib, [1.0, 2.0])
        with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
            (x * 2).backward()

    def run(lib):
        x = leaf(lib, [[1.0, 2.0], [3.0, 4.0]])
        (x * x).backward(lib.tensor([[1.0, -1.0], [0.5, 2.0]], dtype=lib.float64))
        return x.grad

    close(*both(run))


def test_backward_on_a_tensor_without_grad_raises() -> None:
    for lib in LIBS:
        with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
            lib.ones(2).sum().backward()


def test_backward_with_inputs_only_accumulates_there() -> None:
    def run(lib):
        a, b = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
        (a * b).sum().backward(inputs=[a])
        return a.grad, b.grad

    (oa, ob), (ta, tb) = both(run)
    close(oa, ta)
    assert ob is None and tb is None


# -- higher order -----------------------------------------------------------------------------


def test_second_derivative_of_cube() -> None:
    def run(lib):
        x = leaf(lib, [0.5, -2.0, 3.0])
        (dx,) = lib.autograd.grad((x**3).sum(), x, create_graph=True)
        (d2x,) = lib.autograd.grad(dx.sum(), x, create_graph=True)
        (d3x,) = lib.autograd.grad(d2x.sum(), x)
        return dx, d2x, d3x

    ours, theirs = both(run)
    for o, t in zip(ours, theirs):
        close(o, t)
    np.testing.assert_allclose(ours[1].detach().numpy(), [3.0, -12.0, 18.0])  # 6x
    np.testing.assert_allclose(ours[2].numpy(), [6.0, 6.0, 6.0])


def test_gradient_penalty() -> None:
    """WGAN-GP style: the norm of d(critic)/d(input) enters the loss, so backward runs
    through a backward pass."""
    rng = np.random.default_rng(0)
    w1, w2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 1))
    data = rng.standard_normal((5, 4))

    def run(lib):
        x = lib.tensor(data, requires_grad=True)
        a = leaf(lib, w1)
        b = leaf(lib, w2)
        critic = ((x @ a).tanh() @ b).sum()
        (g,) = lib.autograd.grad(critic, x, create_graph=True)
        penalty = ((g.norm(2, dim=1) - 1.0) ** 2).mean()
        (critic + 10.0 * penalty).backward()
        return a.grad, b.grad, x.grad

    for o, t in zip(*both(run)):
        close(o, t, 1e-10)


def test_hessian_vector_product() -> None:
    def run(lib):
        x = leaf(lib, [0.3, -0.7, 1.1])
        v = lib.tensor([1.0, 0.5, -2.0], dtype=lib.float64)
        f = (x.exp() * x.sin()).sum() + (x[0] * x[1] * x[2])
        (g,) = lib.autograd.grad(f, x, create_graph=True)
        (hv,) = lib.autograd.grad(g, x, grad_outputs=v)
        return hv

    close(*both(run))


# -- autograd.grad ------------------------------------------------------------------------------


def test_autograd_grad_arguments() -> None:
    def run(lib):
        x, y = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, -1.0])
        unused = leaf(lib, [0.0])
        out = x * y + x.exp()
        gx, gy, gu = lib.autograd.grad(
            [out], [x, y, unused], grad_outputs=[lib.tensor([1.0, 2.0], dtype=lib.float64)],
            retain_graph=True, allow_unused=True)
        assert gu is None
        assert x.grad is None  # autograd.grad never touches .grad
        (gx2,) = lib.autograd.grad(out.sum(), x)  # the graph was retained
        return gx, gy, gx2

    for o, t in zip(*both(run)):
        close(o, t)


def test_autograd_grad_errors() -> None:
    for lib in LIBS:
        x = leaf(lib, [1.0])
        other = leaf(lib, [2.0])
        with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
            lib.autograd.grad((x * 2).sum(), [x, other])
        with pytest.raises(RuntimeError, match="does not require grad"):
            lib.autograd.grad((x * 2).sum(), [lib.ones(1)])


def test_autograd_grad_materialize_and_multiple_outputs() -> None:
    def run(lib):
        x = leaf(lib, [1.0, 2.0])
        a, b = x.sin(), x.cos()
        (g,) = lib.autograd.grad([a.sum(), b.sum()], [x])
        (z,) = lib.autograd.grad(a.sum() * 0, [leaf(lib, [5.0])], allow_unused=True,
                                 materialize_grads=True)
        return g, z

    (og, oz), (tg, tz) = both(run)
    close(og, tg)
    close(oz, tz)


# -- grad modes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lib", LIBS, ids=["chainrule", "torch"])
def test_grad_mode_context_managers_and_decorators(lib) -> None:
    x = leaf(lib, [1.0])
    with lib.no_grad():
        assert not (x * 2).requires_grad
        assert not lib.is_grad_enabled()
        with lib.enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad

    @lib.no_grad()
    def f(t):
        return t * 2

    @lib.no_grad
    def f2(t):
        return t * 2

    @lib.enable_grad()
    def g(t):
        return t * 2

    assert not f(x).requires_grad and not f2(x).requires_grad
    with lib.no_grad():
        assert g(x).requires_grad
    with lib.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert lib.is_grad_enabled()
    lib.set_grad_enabled(False)  # as a plain function call
    assert not (x * 2).requires_grad
    lib.set_grad_enabled(True)
    with lib.inference_mode():
        assert not (x * 2).requires_grad
        assert lib.is_inference_mode_enabled()
    with lib.inference_mode(False):
        assert (x * 2).requires_grad

    @lib.inference_mode()
    def h(t):
        return t * 2

    assert not h(x).requires_grad

    def gen(t):
        yield t * 2

    assert not next(lib.no_grad()(gen)(x)).requires_grad


def test_grad_mode_is_restored_after_an_exception() -> None:
    with pytest.raises(ValueError):
        with chainrule.no_grad():
            raise ValueError
    assert chainrule.is_grad_enabled()


# -- custom Functions ----------------------------------------------------------------------------


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


# -- hooks ---------------------------------------------------------------------------------------


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


# -- in-place ops and version counters ---------------------------------------------------------


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


# -- in-place through views (torch's CopySlices) --------------------------------------------


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
