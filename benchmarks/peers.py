"""NumPy-based peers: the benchmark workloads in DeZero, MyGrad and HIPS autograd, beside chainrule.

``python -m benchmarks --peers`` adds this section; ``python -m benchmarks.peers ROUNDS`` prints
the raw JSON. Peers are optional: one that is not installed is reported as such (install them
with ``pip install dezero mygrad autograd``; they are not chainrule dependencies).

Each peer runs the workloads of ``workloads.WORKLOADS`` written in its own API: the same shapes,
float32 data from the same seeds, the same loss and optimizer algorithm, timed per training step
exactly as chainrule and torch are (``runner._time``, rounds alternating with chainrule in one
process). Where a peer lacks a piece its users would write it themselves, and so do we:

- DeZero 0.0.13 has every layer and optimizer used (``L.Linear``, ``L.Conv2d``, ``F.pooling``,
  ``L.LSTM``, ``MomentumSGD``, ``Adam``); it still refers to ``np.int``, removed in NumPy 1.24,
  so ``np.int = int`` is set before importing it.
- MyGrad has layers for the CNN (``conv_nd``, ``max_pool``) and the losses, no LSTM layer and no
  optimizers: the LSTM is written from its tensor ops (matmul, sigmoid, tanh, slicing) and the
  updates are in-place NumPy on the parameters' arrays.
- autograd is functional (``grad`` of a loss over a parameter list): layers from
  ``autograd.numpy``, convolution from ``autograd.scipy.signal.convolve`` (as its own convnet
  example), the LSTM written out per step, in-place NumPy updates.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

from . import runner, workloads

PEERS = ("DeZero", "MyGrad", "autograd")
ROOT = Path(__file__).resolve().parent.parent
F32 = np.float32


# -- shared data and plain-NumPy optimizers (for peers without them) -------------------------------
def _uniform(rng, shape, fan_in):
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, shape).astype(F32)


def _data(kind: str):
    """The workload's inputs and targets, the same arrays ``workloads`` builds."""
    if kind == "seed":
        return (np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], F32),
                np.array([[1.0], [2.0], [3.0]], F32))
    if kind == "mlp":
        rng = np.random.default_rng(2)
        return rng.standard_normal((128, 784)).astype(F32), rng.integers(0, 10, 128)
    if kind == "cnn":
        rng = np.random.default_rng(4)
        return rng.standard_normal((64, 1, 28, 28)).astype(F32), rng.integers(0, 10, 64)
    rng = np.random.default_rng(6)
    return rng.standard_normal((32, 35, 32)).astype(F32), rng.integers(0, 10, 32)


def _shapes(kind: str) -> list[tuple]:
    """Parameter shapes ``(shape, fan_in)`` in torch's layout (weights ``(out, in)``)."""
    if kind == "seed":
        return [((3, 2), 2), ((3,), 2), ((1, 3), 3), ((1,), 3)]
    if kind == "mlp":
        return [((256, 784), 784), ((256,), 784), ((256, 256), 256), ((256,), 256),
                ((10, 256), 256), ((10,), 256)]
    if kind == "cnn":
        return [((8, 1, 3, 3), 9), ((8,), 9), ((16, 8, 3, 3), 72), ((16,), 72),
                ((64, 784), 784), ((64,), 784), ((10, 64), 64), ((10,), 64)]
    return [((512, 32), 128), ((512, 128), 128), ((512,), 128), ((10, 128), 128), ((10,), 128)]


def _params(kind: str) -> list[np.ndarray]:
    rng = np.random.default_rng(10)
    return [_uniform(rng, shape, fan) for shape, fan in _shapes(kind)]


class _SGD:
    """``p -= lr * (momentum * buf + g)``, torch's SGD, in place."""

    def __init__(self, params, lr, momentum=0.0):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.bufs = [np.zeros_like(p) for p in params] if momentum else None

    def step(self, grads):
        for k, (p, g) in enumerate(zip(self.params, grads)):
            if self.bufs is not None:
                buf = self.bufs[k]
                buf *= self.momentum
                buf += g
                g = buf
            p -= self.lr * g


class _Adam:
    """torch's Adam (no weight decay), in place."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps, self.t = params, lr, betas, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        b1, b2 = self.betas
        step_size = self.lr / (1 - b1**self.t)
        root2 = (1 - b2**self.t) ** 0.5
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            denom = np.sqrt(v)
            denom /= root2
            denom += self.eps
            p -= step_size * m / denom


def _optimizer(kind: str, params):
    if kind == "seed":
        return _SGD(params, 0.01)
    if kind == "lstm":
        return _Adam(params)
    return _SGD(params, 0.01, 0.9)


# -- DeZero ---------------------------------------------------------------------------------------
def _dezero(kind: str):
    if not hasattr(np, "int"):
        np.int = int  # DeZero 0.0.13 predates NumPy 1.24
    import dezero
    import dezero.functions as F
    import dezero.layers as L

    x, y = _data(kind)
    params = _params(kind)

    class Net(dezero.Model):
        pass

    net = Net()

    def linear(name, w, b, in_size):
        layer = L.Linear(w.shape[0], in_size=in_size)
        layer.W.data, layer.b.data = w.T.copy(), b
        setattr(net, name, layer)
        return layer

    if kind in ("seed", "mlp"):
        layers = [linear(f"l{k}", params[2 * k], params[2 * k + 1], params[2 * k].shape[1])
                  for k in range(len(params) // 2)]

        def forward():
            h = x
            for k, layer in enumerate(layers):
                h = layer(h)
                if k < len(layers) - 1:
                    h = F.relu(h)
            return F.mean_squared_error(h, y) if kind == "seed" else \
                F.softmax_cross_entropy(h, y)
    elif kind == "cnn":
        convs = []
        for k in range(2):
            w, b = params[2 * k], params[2 * k + 1]
            conv = L.Conv2d(w.shape[0], 3, 1, 1, in_channels=w.shape[1])
            conv.W.data, conv.b.data = w, b
            setattr(net, f"c{k}", conv)
            convs.append(conv)
        fc1 = linear("f1", params[4], params[5], 784)
        fc2 = linear("f2", params[6], params[7], 64)

        def forward():
            h = x
            for conv in convs:
                h = F.pooling(F.relu(conv(h)), 2, 2)
            h = F.relu(fc1(F.reshape(h, (h.shape[0], -1))))
            return F.softmax_cross_entropy(fc2(h), y)
    else:
        # L.LSTM is a per-step cell (gates f, i, o, u as eight Linear layers)
        net.lstm = L.LSTM(128, in_size=32)
        head = linear("head", params[3], params[4], 128)
        steps = [np.ascontiguousarray(x[:, t]) for t in range(x.shape[1])]

        def forward():
            net.lstm.reset_state()
            for x_t in steps:
                h = net.lstm(x_t)
            return F.softmax_cross_entropy(head(h), y)

    if kind == "seed":
        opt = dezero.optimizers.SGD(0.01)
    elif kind == "lstm":
        opt = dezero.optimizers.Adam(1e-3)
    else:
        opt = dezero.optimizers.MomentumSGD(0.01, 0.9)
    opt.setup(net)

    def step():
        net.cleargrads()
        loss = forward()
        loss.backward()
        opt.update()

    return step


# -- MyGrad ---------------------------------------------------------------------------------------
def _mygrad(kind: str):
    import mygrad as mg
    from mygrad.nnet.activations import relu, sigmoid, tanh
    from mygrad.nnet.layers import conv_nd, max_pool
    from mygrad.nnet.losses import softmax_crossentropy

    x, y = _data(kind)
    params = [mg.tensor(p) for p in _params(kind)]
    opt = _optimizer(kind, [p.data for p in params])

    def dense(h, w, b):
        return mg.matmul(h, w.T) + b

    if kind in ("seed", "mlp"):
        def loss_fn():
            h = x
            n = len(params) // 2
            for k in range(n):
                h = dense(h, params[2 * k], params[2 * k + 1])
                if k < n - 1:
                    h = relu(h)
            return mg.mean((h - y) ** 2) if kind == "seed" else softmax_crossentropy(h, y)
    elif kind == "cnn":
        def loss_fn():
            h = x
            for k in range(2):
                w, b = params[2 * k], params[2 * k + 1]
                h = relu(conv_nd(h, w, stride=1, padding=1) + b[:, None, None])
                h = max_pool(h, (2, 2), 2)
            h = relu(dense(h.reshape(h.shape[0], -1), params[4], params[5]))
            return softmax_crossentropy(dense(h, params[6], params[7]), y)
    else:
        steps = [np.ascontiguousarray(x[:, t]) for t in range(x.shape[1])]

        def loss_fn():
            w_ih, w_hh, b, w_out, b_out = params
            H = w_hh.shape[1]
            h = c = None
            for x_t in steps:
                a = mg.matmul(x_t, w_ih.T) + b
                if h is not None:
                    a = a + mg.matmul(h, w_hh.T)
                i, f = sigmoid(a[:, :H]), sigmoid(a[:, H : 2 * H])
                g, o = tanh(a[:, 2 * H : 3 * H]), sigmoid(a[:, 3 * H :])
                c = i * g if c is None else f * c + i * g
                h = o * tanh(c)
            return softmax_crossentropy(dense(h, w_out, b_out), y)

    def step():
        loss = loss_fn()
        loss.backward()
        opt.step([p.grad for p in params])

    return step


# -- HIPS autograd --------------------------------------------------------------------------------
def _autograd(kind: str):
    import autograd
    import autograd.numpy as anp
    from autograd.scipy.signal import convolve
    from autograd.scipy.special import logsumexp

    x, y = _data(kind)
    params = _params(kind)
    opt = _optimizer(kind, params)

    def cross_entropy(logits):
        logp = logits - logsumexp(logits, axis=1, keepdims=True)
        return -anp.mean(logp[anp.arange(len(y)), y])

    def dense(h, w, b):
        return anp.dot(h, w.T) + b

    if kind in ("seed", "mlp"):
        def loss_fn(ps):
            h = x
            n = len(ps) // 2
            for k in range(n):
                h = dense(h, ps[2 * k], ps[2 * k + 1])
                if k < n - 1:
                    h = anp.maximum(h, 0.0)
            return anp.mean((h - y) ** 2) if kind == "seed" else cross_entropy(h)
    elif kind == "cnn":
        def pool(h):
            N, C, Hh, W = h.shape
            return anp.max(anp.max(h.reshape(N, C, Hh // 2, 2, W // 2, 2), axis=3), axis=4)

        def loss_fn(ps):
            h = x
            for k in range(2):
                w, b = ps[2 * k], ps[2 * k + 1]
                h = anp.pad(h, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="constant")
                h = convolve(h, w, axes=([2, 3], [2, 3]), dot_axes=([1], [1]), mode="valid")
                h = pool(anp.maximum(h + b[:, None, None], 0.0))
            h = anp.maximum(dense(h.reshape(h.shape[0], -1), ps[4], ps[5]), 0.0)
            return cross_entropy(dense(h, ps[6], ps[7]))
    else:
        steps = [np.ascontiguousarray(x[:, t]) for t in range(x.shape[1])]

        def sigmoid(a):
            return 0.5 * (anp.tanh(0.5 * a) + 1.0)

        def loss_fn(ps):
            w_ih, w_hh, b, w_out, b_out = ps
            H = w_hh.shape[1]
            h = c = None
            for x_t in steps:
                a = anp.dot(x_t, w_ih.T) + b
                if h is not None:
                    a = a + anp.dot(h, w_hh.T)
                i, f = sigmoid(a[:, :H]), sigmoid(a[:, H : 2 * H])
                g, o = anp.tanh(a[:, 2 * H : 3 * H]), sigmoid(a[:, 3 * H :])
                c = i * g if c is None else f * c + i * g
                h = o * anp.tanh(c)
            return cross_entropy(dense(h, w_out, b_out))

    grad = autograd.grad(loss_fn)

    def step():
        opt.step(grad(params))

    return step


MAKERS = {"DeZero": _dezero, "MyGrad": _mygrad, "autograd": _autograd}
KINDS = dict(zip(workloads.WORKLOADS, ("seed", "mlp", "cnn", "lstm")))


def _installed(peer: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(peer.lower()) is not None


def run(rounds: int) -> dict:
    """``{workload: {"chainrule": {min, median}, peer: {min, median} | {"skip": why}}}``."""
    import chainrule

    results = {}
    for name, make in workloads.WORKLOADS.items():
        kind = KINDS[name]
        steps = {"chainrule": make(chainrule)}
        entry = {}
        for peer in PEERS:
            if not _installed(peer):
                entry[peer] = {"skip": "not installed"}
                continue
            try:
                steps[peer] = MAKERS[peer](kind)
                steps[peer]()  # a peer that cannot run the workload says so here
            except Exception as e:  # noqa: BLE001 - reported in the table, not hidden
                steps.pop(peer, None)
                entry[peer] = {"skip": f"{type(e).__name__}: {e}"[:120]}
        inner = {k: runner._inner_for(s) for k, s in steps.items()}
        samples = {k: [] for k in steps}
        for _ in range(rounds):
            for k, s in steps.items():
                samples[k] += runner._time(s, 1, inner[k])
        for k, v in samples.items():
            entry[k] = {"min": min(v), "median": statistics.median(v)}
        results[name] = entry
    return results


def section(threads: int, rounds: int, env: dict) -> list[str]:
    """Markdown for ``python -m benchmarks --peers``: one table per thread count."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.peers", str(rounds)], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True)
    results = json.loads(out.stdout.strip().splitlines()[-1])
    title = f"### NumPy-based peers, {threads} thread{'s' if threads > 1 else ''}"
    head = "| workload | chainrule min |" + "".join(f" {p} min | {p} / chainrule |"
                                                   for p in PEERS)
    intro = ("Times per training step (min over rounds); ratio = peer / chainrule: above 1 "
             "means chainrule is faster.")
    lines = [title, "", intro, "", head, "|---|---|" + "---|---|" * len(PEERS)]
    notes = []
    for name, entry in results.items():
        c = entry["chainrule"]["min"]
        row = f"| {name} | {_fmt(c)} |"
        for peer in PEERS:
            r = entry[peer]
            if "skip" in r:
                row += " — | skipped |"
                notes.append(f"- {peer}, {name}: skipped ({r['skip']})")
            else:
                row += f" {_fmt(r['min'])} | {r['min'] / c:.2f} |"
        lines.append(row)
    return lines + [""] + notes + ([""] if notes else [])


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.1f} µs"


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
