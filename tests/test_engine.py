"""The backward engine against torch: graph shapes (diamond, reuse, long chains), gradient
accumulation, retain_grad, retain_graph, create_graph, autograd.grad, grad modes, and the
errors torch raises. (Custom Functions and hooks: test_engine_functions.py; in-place ops and
version counters: test_engine_inplace.py.)"""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest
from engine_helpers import LIBS, both, close, leaf

import chainrule
from chainrule.autograd.engine import sum_to_shape

# -- graph shapes ---------------------------------------------------------------------------


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


def test_implicit_gradient_needs_a_real_scalar_output() -> None:
    # torch refuses to make the ones for a complex loss: the caller must say which gradient
    for lib in LIBS:
        z = lib.tensor([1 + 2j, 3 - 1j], requires_grad=True)
        with pytest.raises(RuntimeError, match="only for real scalar outputs but got "
                           r"torch\.complex64"):
            (z * z).sum().backward()
        loss = (z * z).sum()
        loss.backward(lib.tensor(1 + 0j))  # an explicit gradient is fine
        assert z.grad is not None


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


# -- hooks ---------------------------------------------------------------------------------------


# -- in-place ops and version counters ---------------------------------------------------------


# -- in-place through views (torch's CopySlices) --------------------------------------------


