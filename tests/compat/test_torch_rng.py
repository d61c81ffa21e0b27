"""chainrule's generator reproduces torch's CPU random stream: after the same manual_seed,
samplers, default layer initializations, dropout masks and shuffles are torch's, bit for bit
(float64 normals of 16+ elements may differ in the last bit: NumPy's log/cos vs glibc's)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def _both(fn, seed=0):
    out = []
    for lib in (chainrule, torch):
        lib.manual_seed(seed)
        result = fn(lib)
        follow = lib.rand(3)  # the stream continues at the same place
        out.append((result, follow))
    return out


def _arrays(value):
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _arrays(v)]
    if isinstance(value, dict):
        return [a for k in sorted(value) for a in _arrays(value[k])]
    if hasattr(value, "detach"):
        value = value.detach().numpy()
    return [np.asarray(value)]


def _assert_same(fn, seed=0, exact=True):
    (ours, our_next), (theirs, their_next) = _both(fn, seed)
    for a, b in zip(_arrays(ours), _arrays(theirs), strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype, (a.dtype, b.dtype, a.shape, b.shape)
        if exact:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(our_next.numpy(), their_next.numpy())


SAMPLERS = {
    "rand": lambda t: t.rand(3, 5),
    "rand float64": lambda t: t.rand(7, dtype=t.float64),
    "randn small": lambda t: t.randn(5),
    "randn 16": lambda t: t.randn(16),
    "randn 41": lambda t: t.randn(41),
    "randn 1000": lambda t: t.randn(10, 100),
    "randn small float64": lambda t: t.randn(9, dtype=t.float64),
    "randint": lambda t: t.randint(-3, 17, (25,)),
    "randint wide": lambda t: t.randint(0, 2 ** 40, (5,)),
    "randint high": lambda t: t.randint(10, (4, 2)),
    "randperm": lambda t: t.randperm(30),
    "normal scalars": lambda t: t.normal(1.5, 0.5, size=(20,)),
    "normal tensor mean": lambda t: t.normal(2 * t.ones(20, 2), 1),
    "normal tensors": lambda t: t.normal(t.zeros(18), t.arange(18.0)),
    "bernoulli probs": lambda t: t.bernoulli(t.linspace(0.05, 0.95, 20)),
    "bernoulli p": lambda t: t.bernoulli(t.zeros(9), 0.3),
    "multinomial replacement": lambda t: t.multinomial(t.tensor([0.1, 0.2, 0.7]), 9, True),
    "multinomial rows": lambda t: t.multinomial(t.tensor([[1.0, 2.0, 3.0], [3.0, 1.0, 0.5]]), 1),
    "multinomial without": lambda t: t.multinomial(t.arange(1.0, 7.0), 4),
    "uniform_": lambda t: t.empty(4, 5).uniform_(-2, 3),
    "normal_": lambda t: t.empty(6, 6).normal_(0.5, 2.0),
    "exponential_": lambda t: t.empty(7).exponential_(2.5),
    "random_ to": lambda t: t.empty(6, dtype=t.int64).random_(5),
    "random_ from to": lambda t: t.empty(6, dtype=t.int64).random_(3, 9),
    "random_ full": lambda t: t.empty(3, dtype=t.int64).random_(),
    "bernoulli_": lambda t: t.empty(12).bernoulli_(0.3),
    "bernoulli_ tensor": lambda t: t.empty(4).bernoulli_(t.tensor([0.1, 0.9, 0.5, 0.5])),
    "cauchy_": lambda t: t.empty(4, dtype=t.float64).cauchy_(),
    "geometric_": lambda t: t.empty(4, dtype=t.float64).geometric_(0.3),
    "log_normal_": lambda t: t.empty(4, dtype=t.float64).log_normal_(),
    "rand_like": lambda t: (t.rand_like(t.zeros(3)), t.randn_like(t.zeros(2, 2)),
                            t.randint_like(t.zeros(4), 7)),
    "generator": lambda t: _with_generator(t),
}


def _with_generator(t):
    g = t.Generator().manual_seed(7)
    return t.rand(3, generator=g), t.randn(20, generator=g)


@pytest.mark.parametrize("name", list(SAMPLERS))
@pytest.mark.parametrize("seed", [0, 42, 2 ** 40 + 7])
def test_samplers_equal_torch(name, seed):
    _assert_same(SAMPLERS[name], seed)


def _state(module):
    return {k: v for k, v in module.state_dict().items() if v.dtype.is_floating_point}


LAYERS = {
    "Linear": lambda t: t.nn.Linear(4, 3),
    "Conv2d": lambda t: t.nn.Conv2d(2, 3, 3),
    "Conv1d": lambda t: t.nn.Conv1d(2, 2, 3),
    "ConvTranspose2d": lambda t: t.nn.ConvTranspose2d(2, 2, 2),
    "Conv3d": lambda t: t.nn.Conv3d(1, 2, 2),
    "Embedding": lambda t: t.nn.Embedding(5, 3, padding_idx=1),
    "Bilinear": lambda t: t.nn.Bilinear(2, 3, 2),
    "LSTM": lambda t: t.nn.LSTM(3, 4, 2),
    "LSTM proj bi": lambda t: t.nn.LSTM(2, 3, bidirectional=True, proj_size=2),
    "GRU": lambda t: t.nn.GRU(3, 2, batch_first=True),
    "RNN": lambda t: t.nn.RNN(2, 3),
    "cells": lambda t: (t.nn.LSTMCell(2, 3), t.nn.GRUCell(2, 2), t.nn.RNNCell(2, 2)),
    "MultiheadAttention": lambda t: t.nn.MultiheadAttention(4, 2),
    "TransformerEncoderLayer": lambda t: t.nn.TransformerEncoderLayer(4, 2, 8),
    "Sequential MLP": lambda t: t.nn.Sequential(t.nn.Linear(3, 5), t.nn.ReLU(),
                                                t.nn.Linear(5, 2)),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_default_initialization_equals_torch(name):
    def build(t):
        made = LAYERS[name](t)
        made = made if isinstance(made, tuple) else (made,)
        return [_state(m) for m in made]

    _assert_same(build, seed=1)


INITS = {
    "xavier_uniform_": lambda t, w: t.nn.init.xavier_uniform_(w),
    "xavier_normal_": lambda t, w: t.nn.init.xavier_normal_(w),
    "kaiming_uniform_": lambda t, w: t.nn.init.kaiming_uniform_(w, nonlinearity="relu"),
    "kaiming_normal_": lambda t, w: t.nn.init.kaiming_normal_(w, mode="fan_out"),
    "normal_": lambda t, w: t.nn.init.normal_(w, std=0.01),
    "uniform_": lambda t, w: t.nn.init.uniform_(w, -0.1, 0.1),
    "trunc_normal_": lambda t, w: t.nn.init.trunc_normal_(w, std=0.02),
    "trunc_normal_ narrow": lambda t, w: t.nn.init.trunc_normal_(w, mean=0.0, std=1.0, a=1.5,
                                                                b=2.5),
    "sparse_": lambda t, w: t.nn.init.sparse_(w, 0.5),
}


@pytest.mark.parametrize("name", list(INITS))
def test_init_functions_equal_torch(name):
    _assert_same(lambda t: INITS[name](t, t.empty(6, 5)), seed=3)


def test_orthogonal_init_draws_as_torch():
    _assert_same(lambda t: t.nn.init.orthogonal_(t.empty(3, 5)), seed=3, exact=False)


DROPOUT = {
    "dropout": lambda t: t.nn.functional.dropout(t.ones(4, 6), 0.5),
    "dropout .1": lambda t: t.nn.functional.dropout(t.ones(40), 0.1),
    "Dropout module": lambda t: t.nn.Dropout(0.3)(t.ones(4, 6)),
    "Dropout2d": lambda t: t.nn.Dropout2d(0.5)(t.ones(2, 4, 2, 2)),
    "AlphaDropout": lambda t: t.nn.AlphaDropout(0.2)(t.ones(8)),
    "native_dropout": lambda t: t.native_dropout(t.ones(10), 0.4, True),
    "rrelu": lambda t: t.nn.functional.rrelu(t.tensor([-1.0, 2.0, -3.0, -0.5]), training=True),
    "gumbel_softmax": lambda t: (t.nn.functional.gumbel_softmax(t.ones(2, 4), tau=0.5),
                                 t.nn.functional.gumbel_softmax(t.ones(3, 3), hard=True)),
}


@pytest.mark.parametrize("name", list(DROPOUT))
def test_dropout_masks_equal_torch(name):
    _assert_same(DROPOUT[name], seed=5, exact=name not in ("rrelu", "gumbel_softmax"))


def test_shuffles_and_samplers_equal_torch():
    def draw(t):
        data = t.utils.data
        ds = data.TensorDataset(t.arange(10))
        out = [t.cat([b[0] for b in data.DataLoader(ds, batch_size=4, shuffle=True)])
               for _ in range(2)]
        out.append(t.tensor(data.random_split(range(10), [7, 3])[0].indices))
        out.append(t.tensor(data.random_split(range(10), [0.6, 0.4],
                                              generator=t.Generator().manual_seed(42))[1].indices))
        out.append(t.tensor(list(data.WeightedRandomSampler([0.1, 0.9, 0.5], 6))))
        out.append(t.tensor(list(data.SubsetRandomSampler([5, 6, 7, 8]))))
        out.append(t.tensor(list(data.RandomSampler(range(5), replacement=True,
                                                    num_samples=40))))
        return out

    _assert_same(draw, seed=11)


def test_distributions_sample_as_torch():
    def draw(t):
        d = t.distributions
        return (d.Categorical(t.tensor([0.2, 0.3, 0.5])).sample((6,)),
                d.Categorical(logits=t.zeros(2, 4)).sample(),
                d.Normal(0.0, 1.0).sample((4,)),
                d.Normal(t.zeros(3), t.ones(3)).rsample(),
                d.Bernoulli(probs=t.tensor([0.3, 0.6])).sample(),
                d.Uniform(0.0, 2.0).sample((3,)))

    _assert_same(draw, seed=13)


def test_rng_state_round_trip_and_seed_reset():
    chainrule.manual_seed(3)
    state = chainrule.get_rng_state()
    first = chainrule.randn(5)  # leaves a cached normal behind
    chainrule.set_rng_state(state)
    np.testing.assert_array_equal(first.numpy(), chainrule.randn(5).numpy())
    assert chainrule.initial_seed() == 3
    g = chainrule.Generator().manual_seed(9)
    clone = g.clone_state()
    np.testing.assert_array_equal(chainrule.rand(4, generator=g).numpy(),
                                  chainrule.rand(4, generator=clone).numpy())
    chainrule.manual_seed(3)
    torch.manual_seed(3)
    np.testing.assert_array_equal(chainrule.randn(5).numpy(), torch.randn(5).numpy())


def test_more_distributions_sample_as_torch():
    def draw(t):
        d = t.distributions
        scale_tril = t.tensor([[1.0, 0.0], [0.5, 2.0]])
        return (d.Exponential(t.tensor([0.5, 2.0])).rsample((3,)),
                d.Laplace(0.0, 1.0).sample((4,)),
                d.MultivariateNormal(t.zeros(2), scale_tril=scale_tril).sample((3,)))

    _assert_same(draw, seed=17, exact=False)


def test_dropout_of_a_transposed_input_follows_its_memory_order():
    # torch's noise is empty_like(input): the draws follow the input's strides (the batch_first
    # output of attention is such a transposed view)
    def draw(t):
        x = t.arange(24.0).reshape(4, 2, 3).transpose(0, 1)
        return t.nn.functional.dropout(x, 0.5), t.nn.functional.dropout(x.permute(2, 0, 1), 0.3)

    _assert_same(draw, seed=19)

    def layer(t):
        enc = t.nn.TransformerEncoderLayer(16, nhead=4, dim_feedforward=32, batch_first=True)
        return enc(t.randn(3, 8, 16))

    _assert_same(layer, seed=23, exact=False)


def test_lazy_linear_initializes_on_first_call_as_torch():
    def run(t):
        lazy = t.nn.Sequential(t.nn.LazyLinear(5), t.nn.ReLU(), t.nn.LazyLinear(2, bias=False))
        held = list(lazy.parameters())
        out = lazy(t.ones(3, 7))
        assert type(lazy[0]) is t.nn.Linear and lazy[0].in_features == 7
        assert all(a is b for a, b in zip(held, lazy.parameters()))
        return out, [p.detach() for p in lazy.parameters()], repr(t.nn.LazyLinear(4))

    (ours, _), (theirs, _) = _both(run, seed=29)
    assert ours[2] == theirs[2]
    _assert_same(lambda t: run(t)[1], seed=29)  # the weights, bit for bit
    _assert_same(lambda t: run(t)[0], seed=29, exact=False)


def test_rng_state_bytes_equal_torch_and_load_across_libraries():
    states = []
    for lib in (chainrule, torch):
        lib.manual_seed(0)
        fresh = lib.get_rng_state().numpy().copy()
        lib.rand(3)
        lib.randn(3)  # leaves a cached normal in the state
        states.append((fresh, lib.get_rng_state().numpy().copy()))
    np.testing.assert_array_equal(states[0][0], states[1][0])
    np.testing.assert_array_equal(states[0][1], states[1][1])
    assert states[0][1].shape == (5056,)
    # a state saved by torch restores in chainrule (checkpoints move across)
    chainrule.set_rng_state(chainrule.tensor(states[1][1]))
    torch.set_rng_state(torch.tensor(states[1][1]))
    np.testing.assert_array_equal(chainrule.randn(4).numpy(), torch.randn(4).numpy())
    with pytest.raises(RuntimeError, match="RNG state size"):
        chainrule.set_rng_state(chainrule.zeros(10, dtype=chainrule.uint8))
