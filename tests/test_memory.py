"""Graph memory: no reference cycles (everything dies by reference counting alone), saved data
released after backward, and flat memory over many training steps."""

from __future__ import annotations

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import chainrule
from chainrule import nn


@pytest.fixture
def no_gc():
    """Cyclic garbage collection off: anything that is not freed by reference counting
    alone stays alive and the weakref checks below see it."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _forward_backward(x, w1, w2, refs: list):
    h = (x @ w1).tanh()
    h.retain_grad()
    a = h.sigmoid() * h.exp()
    logits = a @ w2
    loss = logits.log_softmax(1).mean() + (w1 * w1).sum() * 1e-3
    loss.backward()
    for t in (h, a, logits, loss):
        refs.append(weakref.ref(t))
        refs.append(weakref.ref(t._data))
        if t.grad_fn is not None:
            refs.append(weakref.ref(t.grad_fn))


def test_intermediates_die_with_the_loss(no_gc) -> None:
    x = chainrule.randn(8, 5)
    w1 = chainrule.randn(5, 6, requires_grad=True)
    w2 = chainrule.randn(6, 3, requires_grad=True)
    refs: list = []
    _forward_backward(x, w1, w2, refs)
    alive = [r() for r in refs if r() is not None]
    assert not alive, f"{len(alive)} intermediates outlived their graph: {alive[:3]}"
    assert w1.grad is not None and w2.grad is not None
    assert w1.grad.grad_fn is None  # accumulated grads hold no graph


def test_no_cyclic_garbage(no_gc) -> None:
    x = chainrule.randn(8, 5)
    w1 = chainrule.randn(5, 6, requires_grad=True)
    w2 = chainrule.randn(6, 3, requires_grad=True)
    gc.collect()
    for _ in range(3):
        _forward_backward(x, w1, w2, [])
        y = (x @ w1).relu()
        y.register_hook(lambda g: g * 2)
        (g,) = chainrule.autograd.grad((y @ w2).sum(), w1, create_graph=True)
        g.sum().backward()
        del y, g
    found = gc.collect()
    assert found == 0, f"{found} objects were only freed by the cycle collector"


def test_saved_tensors_are_released_after_backward(no_gc) -> None:
    x = chainrule.randn(1000, requires_grad=True)
    a = x * 2.0
    b = a.sin()  # SinBackward saves ``a``
    loss = b.sum()
    saved = weakref.ref(a._data)
    del a
    assert saved() is not None  # the graph keeps it for backward
    loss.backward()
    assert saved() is None  # ... and lets go of it after backward (loss is still alive)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


def test_retain_graph_keeps_saved_tensors_until_the_graph_dies(no_gc) -> None:
    x = chainrule.randn(1000, requires_grad=True)
    a = x * 2.0
    loss = a.sin().sum()
    saved = weakref.ref(a._data)
    del a
    loss.backward(retain_graph=True)
    assert saved() is not None
    loss.backward()
    assert saved() is None
    node = weakref.ref(loss.grad_fn)
    del loss
    assert node() is None


def test_outputs_saved_by_their_own_node_make_no_cycle(no_gc) -> None:
    x = chainrule.randn(100, requires_grad=True)
    y = x.exp()  # ExpBackward saves its output
    node = weakref.ref(y.grad_fn)
    data = weakref.ref(y._data)
    del y
    assert node() is None and data() is None


def test_custom_function_ctx_makes_no_cycle(no_gc) -> None:
    class Square(chainrule.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            out = t * t
            ctx.save_for_backward(t, out)
            return out

        @staticmethod
        def backward(ctx, g):
            t, _ = ctx.saved_tensors
            return 2 * t * g

    x = chainrule.randn(10, requires_grad=True)
    y = Square.apply(x)
    node = weakref.ref(y.grad_fn)
    y.sum().backward()
    del y
    assert node() is None


def _live_bytes() -> int:
    """Traced bytes held by live objects. A full collection first empties CPython's free
    lists (freed tuples and frames parked for reuse, which tracemalloc still counts); the
    cycle checks above run with the collector off, so collecting here hides no cycle."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def _mlp_step(model, data, target, lr: float) -> float:
    out = model(data)
    loss = ((out - target) ** 2).mean()
    loss.backward()
    with chainrule.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
            p.grad = None
    return loss.item()


def test_training_memory_is_flat() -> None:
    chainrule.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 1))
    rng = np.random.default_rng(0)
    data = chainrule.tensor(rng.standard_normal((64, 16)), dtype=chainrule.float32)
    target = chainrule.tensor(rng.standard_normal((64, 1)), dtype=chainrule.float32)
    losses = [_mlp_step(model, data, target, 0.05) for _ in range(100)]  # warm up caches
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(50):
            _mlp_step(model, data, target, 0.05)
        start = _live_bytes()
        for _ in range(600):
            last = _mlp_step(model, data, target, 0.05)
        end = _live_bytes()
    finally:
        tracemalloc.stop()
    print(f"memory growth over 600 steps: {end - start} bytes")
    assert end - start < 16 * 1024, f"memory grew by {end - start} bytes over 600 steps"
    assert last < losses[0]  # it did train


def test_raw_ops_training_memory_is_flat() -> None:
    """The same without nn: parameters as plain leaf tensors, retain_grad and hooks in use."""
    rng = np.random.default_rng(1)
    w = chainrule.tensor(rng.standard_normal((16, 8)) * 0.1, requires_grad=True)
    b = chainrule.zeros(8, requires_grad=True)
    v = chainrule.tensor(rng.standard_normal((8, 1)) * 0.1, requires_grad=True)
    data = chainrule.tensor(rng.standard_normal((32, 16)), dtype=chainrule.float32)
    target = chainrule.tensor(rng.standard_normal((32, 1)), dtype=chainrule.float32)

    def step() -> None:
        h = (data @ w + b).relu()
        h.retain_grad()
        h.register_hook(lambda g: g)
        loss = ((h @ v - target) ** 2).mean()
        loss.backward()
        with chainrule.no_grad():
            for p in (w, b, v):
                p.sub_(0.01 * p.grad)
                p.grad.zero_()

    for _ in range(30):
        step()
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(30):
            step()
        start = _live_bytes()
        for _ in range(500):
            step()
        end = _live_bytes()
    finally:
        tracemalloc.stop()
    print(f"memory growth over 500 steps: {end - start} bytes")
    assert end - start < 16 * 1024, f"memory grew by {end - start} bytes over 500 steps"
