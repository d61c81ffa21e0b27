"""Module machinery against torch: registration, traversal, state_dict round trips and errors,
hooks, containers, reprs, conversions, copying."""

from __future__ import annotations

import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch
from _nn_compare import assert_close, copy_weights

import chainrule as cr


def _net(lib):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 4)
            self.register_buffer("scale", lib.ones(4))
            self.register_buffer("cache", lib.zeros(2), persistent=False)
            self.norm = nn.BatchNorm1d(4)
            self.act = nn.ReLU()

        def forward(self, x):
            return self.act(self.norm(self.fc(x))) * self.scale

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(2)])
            self.head = nn.Sequential(OrderedDict([("drop", nn.Dropout(0.5)),
                                                   ("out", nn.Linear(4, 2, bias=False))]))
            self.gates = nn.ParameterList([nn.Parameter(lib.ones(4)), nn.Parameter(lib.ones(2))])
            self.extra = nn.ParameterDict({"b": nn.Parameter(lib.zeros(1)),
                                           "a": nn.Parameter(lib.zeros(3))})
            self.temperature = nn.Parameter(lib.tensor(1.0))

        def forward(self, x):
            x = self.block(x)
            for layer in self.layers:
                x = layer(x) * self.gates[0]
            return self.head(x) * self.temperature

    return Net()


def test_names_order_shapes_match_torch():
    t_net, c_net = _net(torch), _net(cr)
    for attr in ("named_parameters", "named_buffers", "named_modules", "named_children"):
        t_names = [n for n, _ in getattr(t_net, attr)()]
        c_names = [n for n, _ in getattr(c_net, attr)()]
        assert c_names == t_names, attr
    t_sd, c_sd = t_net.state_dict(), c_net.state_dict()
    assert list(c_sd) == list(t_sd)
    for k in t_sd:
        assert tuple(c_sd[k].shape) == tuple(t_sd[k].shape), k
        assert str(c_sd[k].dtype) == str(t_sd[k].dtype), k
    assert [n for n, _ in c_net.named_parameters(prefix="m", recurse=False)] == \
        [n for n, _ in t_net.named_parameters(prefix="m", recurse=False)]
    assert repr(c_net) == repr(t_net)
    assert sorted(c_net.state_dict()._metadata) == sorted(t_net.state_dict()._metadata)


def test_state_dict_moves_between_libraries():
    t_net, c_net = _net(torch), _net(cr)
    t_net.train()
    t_net(torch.randn(5, 3))  # non-trivial running statistics
    copy_weights(t_net, c_net)
    for k, v in c_net.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), t_net.state_dict()[k].numpy())
    back = _net(torch)
    back.load_state_dict({k: torch.tensor(v.numpy()) for k, v in c_net.state_dict().items()})
    t_net.eval(), c_net.eval()
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(c_net(cr.tensor(x)).detach().numpy(),
                               t_net(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_state_dict_shares_memory_and_detaches():
    net = cr.nn.Linear(2, 2)
    sd = net.state_dict()
    assert not sd["weight"].requires_grad
    sd["weight"][0, 0] = 5.0
    assert net.weight[0, 0].item() == 5.0
    assert net.state_dict(keep_vars=True)["weight"] is net.weight


def _load_error(lib, mutate, strict=True):
    net = _net(lib)
    sd = {k: v.numpy().copy() if lib is cr else v.clone() for k, v in net.state_dict().items()}
    mutate(sd, lib)
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd, strict=strict)
    return str(info.value)


@pytest.mark.parametrize("mutate", [
    lambda sd, L: sd.pop("block.norm.running_var"),
    lambda sd, L: sd.update({"block.bogus": sd["temperature"]}),
    lambda sd, L: sd.update({"layers.0.weight": sd["layers.0.weight"][:2]}),
    lambda sd, L: (sd.pop("head.out.weight"), sd.update({"nothere.x": sd["temperature"]})),
])
def test_load_state_dict_errors_match_torch(mutate):
    assert _load_error(cr, mutate) == _load_error(torch, mutate)


def test_load_state_dict_non_strict_and_size_mismatch_always_raises():
    for lib in (torch, cr):
        net = _net(lib)
        sd = dict(net.state_dict())
        sd.pop("temperature")
        sd["unknown"] = sd["gates.0"]
        result = net.load_state_dict(sd, strict=False)
        assert result.missing_keys == ["temperature"]
        assert result.unexpected_keys == ["unknown"]
        assert repr(result) == "_IncompatibleKeys(missing_keys=['temperature'], " \
                               "unexpected_keys=['unknown'])"
        assert repr(net.load_state_dict(net.state_dict())) == "<All keys matched successfully>"
    mutate = lambda sd, L: sd.update({"gates.1": sd["gates.0"]})
    assert _load_error(cr, mutate, strict=False) == _load_error(torch, mutate, strict=False)


def test_load_state_dict_accepts_numpy_and_old_batchnorm_checkpoints():
    bn = cr.nn.BatchNorm1d(3)
    bn.num_batches_tracked.fill_(7)
    bn.load_state_dict({"weight": np.ones(3), "bias": np.zeros(3), "running_mean": np.ones(3),
                        "running_var": np.ones(3)})
    assert bn.num_batches_tracked.item() == 7
    np.testing.assert_array_equal(bn.running_mean.numpy(), np.ones(3, np.float32))
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        bn.load_state_dict([1, 2])


def test_load_state_dict_assign():
    lin = cr.nn.Linear(2, 2)
    w = cr.ones(2, 2)
    lin.load_state_dict({"weight": w, "bias": cr.zeros(2)}, assign=True)
    assert isinstance(lin.weight, cr.nn.Parameter) and lin.weight.requires_grad
    assert lin.weight._data is w._data


def test_registration_rules_match_torch():
    for lib in (torch, cr):
        m = lib.nn.Module()
        m.p = lib.nn.Parameter(lib.zeros(2))
        m.register_buffer("b", lib.zeros(1))
        m.child = lib.nn.Linear(1, 1)
        assert list(m._parameters) == ["p"] and list(m._buffers) == ["b"]
        m.p = None
        assert m.p is None and "p" in m._parameters
        with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'p'"):
            m.p = 3
        with pytest.raises(TypeError, match="cannot assign 'int' as child module 'child'"):
            m.child = 3
        with pytest.raises(KeyError, match="attribute 'child' already exists"):
            m.register_buffer("child", lib.zeros(1))
        with pytest.raises(KeyError, match="contain"):
            m.register_parameter("a.b", None)
        with pytest.raises(TypeError, match="is not a Module subclass"):
            m.add_module("x", 3)
        with pytest.raises(AttributeError, match="has no attribute 'nope'"):
            m.nope
        m.b = lib.ones(1)  # assigning a tensor to a buffer name replaces the buffer
        assert m._buffers["b"].item() == 1.0
        del m.b
        assert "b" not in m._buffers
        m.buf = lib.nn.Buffer(lib.ones(2), persistent=False)
        assert "buf" in m._buffers and "buf" not in m.state_dict()
        with pytest.raises(TypeError, match="cannot assign 'torch.FloatTensor' object to "
                                            "parameter 'q'"):
            m.register_parameter("q", lib.ones(1))


def test_init_required_before_assignment():
    class Bad(cr.nn.Module):
        def __init__(self):
            self.w = cr.nn.Parameter(cr.zeros(1))

    with pytest.raises(AttributeError, match="cannot assign parameters before Module.__init__"):
        Bad()


def test_get_submodule_parameter_buffer():
    for lib in (torch, cr):
        net = _net(lib)
        assert net.get_submodule("block.fc") is net.block.fc
        assert net.get_parameter("head.out.weight") is net.head.out.weight
        assert net.get_buffer("block.scale") is net.block.scale
        with pytest.raises(AttributeError, match="has no attribute `nope`"):
            net.get_submodule("block.nope")
        with pytest.raises(AttributeError, match="is not an nn.Parameter"):
            net.get_parameter("block.scale")


def test_modes_grads_apply():
    net = _net(cr)
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")
    out = net(cr.randn(4, 3)).sum()
    out.backward()
    used = [p for n, p in net.named_parameters() if not n.startswith(("gates.1", "extra"))]
    assert all(p.grad is not None for p in used)
    net.zero_grad(set_to_none=False)
    assert all(not p.grad.numpy().any() for p in used)
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Net" and seen[0] == "Linear"


def test_to_and_dtype_conversions_keep_parameter_identity():
    net = _net(cr)
    weight = net.block.fc.weight
    net(cr.randn(4, 3)).sum().backward()
    net.double()
    assert net.block.fc.weight is weight
    assert weight.dtype == cr.float64 and weight.grad.dtype == cr.float64
    assert net.block.norm.running_mean.dtype == cr.float64
    assert net.block.norm.num_batches_tracked.dtype == cr.int64  # integer buffers stay
    net.to(cr.float32)
    assert weight.dtype == cr.float32
    net.to("cpu", cr.float64)
    assert weight.dtype == cr.float64
    net.to(cr.zeros(1, dtype=cr.float32))
    assert weight.dtype == cr.float32
    net.half()
    assert weight.dtype == cr.float16
    net.float().cpu()
    with pytest.raises(TypeError, match="only accepts floating point or complex dtypes"):
        net.to(cr.int64)


def test_forward_hooks_match_torch():
    log = {}
    outs = {}
    for lib in (torch, cr):
        lin = lib.nn.Linear(2, 2)
        calls = []

        def pre(mod, args, calls=calls):
            calls.append("pre")
            return (args[0] * 2,)

        def pre_kw(mod, args, kwargs, calls=calls):
            calls.append("pre_kw")

        def post(mod, args, out, calls=calls):
            calls.append("post")
            return out + 1

        def first(mod, args, out, calls=calls):
            calls.append("first")

        h1 = lin.register_forward_pre_hook(pre)
        h2 = lin.register_forward_pre_hook(pre_kw, with_kwargs=True)
        h3 = lin.register_forward_hook(post)
        lin.register_forward_hook(first, prepend=True)
        with lib.no_grad():
            lin.weight.copy_(lib.eye(2))
            lin.bias.zero_()
        outs[lib.__name__] = lin(lib.ones(1, 2)).detach().numpy().copy()
        h1.remove(), h2.remove(), h3.remove()
        lin(lib.ones(1, 2))
        log[lib.__name__] = calls
    assert log["chainrule"] == log["torch"] == ["pre", "pre_kw", "first", "post", "first"]
    np.testing.assert_array_equal(outs["chainrule"], outs["torch"])


def test_forward_hook_always_call_runs_on_error():
    seen = []

    class Boom(cr.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Boom()
    m.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        m(cr.ones(1))
    assert seen == [None]


def test_full_backward_hooks_match_torch():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    results = {}
    for lib in (torch, cr):
        lin = lib.nn.Linear(4, 2, bias=False).double()
        lin.weight.data = lib.tensor(w)
        seen = []

        def hook(mod, grad_input, grad_output, seen=seen):
            seen.append(("hook", [None if g is None else g.numpy().copy() for g in grad_input],
                         [g.numpy().copy() for g in grad_output]))
            return (grad_input[0] * 3,)

        def pre(mod, grad_output, seen=seen):
            seen.append(("pre", [g.numpy().copy() for g in grad_output]))
            return (grad_output[0] * 2,)

        lin.register_full_backward_pre_hook(pre)
        lin.register_full_backward_hook(hook)
        inp = lib.tensor(x, requires_grad=True)
        lin(inp).sum().backward()
        results[lib.__name__] = (seen, inp.grad.numpy().copy(), lin.weight.grad.numpy().copy())
    (t_seen, t_gx, t_gw), (c_seen, c_gx, c_gw) = results["torch"], results["chainrule"]
    assert [s[0] for s in c_seen] == [s[0] for s in t_seen] == ["pre", "hook"]
    np.testing.assert_allclose(c_seen[0][1][0], t_seen[0][1][0])
    np.testing.assert_allclose(c_seen[1][1][0], t_seen[1][1][0])
    np.testing.assert_allclose(c_seen[1][2][0], t_seen[1][2][0])
    np.testing.assert_allclose(c_gx, t_gx)
    np.testing.assert_allclose(c_gw, t_gw)


@pytest.mark.parametrize("kind", ["pre", "full"])
def test_backward_hook_returning_wrong_count_raises_like_torch(kind):
    messages = []
    for lib in (torch, cr):
        lin = lib.nn.Linear(2, 2)
        if kind == "pre":
            lin.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
        else:
            lin.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        with pytest.raises(RuntimeError) as err:
            lin(lib.ones(1, 2, requires_grad=True)).sum().backward()
        messages.append(str(err.value))
    assert messages[1] == messages[0]


def test_backward_hook_without_input_grad():
    lin = cr.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go[0].shape)))
    lin(cr.ones(3, 2)).sum().backward()
    assert seen == [((None,), cr.Size([3, 1]))]


def test_global_forward_hooks():
    from chainrule.nn.modules import module as mod

    seen = []
    h = mod.register_module_forward_hook(lambda m, a, o: seen.append(type(m).__name__))
    try:
        cr.nn.Sequential(cr.nn.ReLU(), cr.nn.Tanh())(cr.ones(2))
    finally:
        h.remove()
    cr.nn.ReLU()(cr.ones(2))
    assert seen == ["ReLU", "Tanh", "Sequential"]


def test_state_dict_and_load_hooks():
    lin = cr.nn.Linear(2, 2)
    seen = []
    lin.register_state_dict_pre_hook(lambda m, prefix, keep_vars: seen.append("pre"))
    lin.register_state_dict_post_hook(lambda m, sd, prefix, meta: seen.append("post"))
    lin.register_load_state_dict_pre_hook(lambda m, sd, *a: seen.append("load_pre"))
    lin.register_load_state_dict_post_hook(lambda m, keys: seen.append("load_post"))
    lin.load_state_dict(lin.state_dict())
    assert seen == ["pre", "post", "load_pre", "load_post"]


def test_containers_match_torch():
    for lib in (torch, cr):
        nn = lib.nn
        seq = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 3))
        assert len(seq) == 3 and isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Linear)
        sub = seq[1:]
        assert isinstance(sub, nn.Sequential) and list(sub._modules) == ["1", "2"]
        seq.append(nn.Tanh()).insert(0, nn.Identity())
        assert [type(m).__name__ for m in seq] == ["Identity", "Linear", "ReLU", "Linear",
                                                   "Tanh"]
        del seq[1]
        assert list(seq._modules) == ["0", "1", "2", "3"]
        seq.extend([nn.Sigmoid()])
        both = seq + nn.Sequential(nn.ReLU())
        assert len(both) == 6 and len(seq * 2) == 10
        assert type(seq.pop(0)).__name__ == "Identity"
        ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU()])
        ml[1] = nn.Tanh()
        d = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
        d.update([("c", nn.Sigmoid())])
        assert list(d.keys()) == ["b", "a", "c"] and "a" in d and len(d) == 3
        pl = nn.ParameterList([lib.zeros(2), nn.Parameter(lib.ones(3, 2))])
        pl.append(lib.ones(1))
        pd = nn.ParameterDict({"w": lib.zeros(2)})
        pd["v"] = lib.ones(1, 2)
    reprs = {}
    for lib in (torch, cr):
        nn = lib.nn
        ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(),
                                                                   nn.Linear(2, 2)])
        reprs[lib.__name__] = [repr(ml), repr(nn.ModuleList()),
                               repr(nn.ParameterList([lib.zeros(2), lib.ones(1, 3)])),
                               repr(nn.ParameterDict({"a": lib.zeros(2)})),
                               repr(nn.Sequential(OrderedDict(a=nn.Linear(1, 1),
                                                              b=nn.Sequential(nn.ReLU()))))]
    assert reprs["chainrule"] == reprs["torch"]


def test_container_errors_match_torch():
    for lib in (torch, cr):
        seq = lib.nn.Sequential(lib.nn.ReLU())
        with pytest.raises(IndexError, match="index 3 is out of range"):
            seq[3]
        with pytest.raises(ValueError, match="add operator supports only objects of Sequential"):
            seq + lib.nn.ReLU()
        with pytest.raises(RuntimeError, match="ParameterList should not be called"):
            lib.nn.ParameterList()()


def test_deepcopy_pickle_and_dir():
    net = _net(cr)
    net(cr.randn(2, 3)).sum().backward()
    clone = copy.deepcopy(net)
    assert clone.block.fc.weight is not net.block.fc.weight
    assert isinstance(clone.block.fc.weight, cr.nn.Parameter)
    np.testing.assert_array_equal(clone.block.fc.weight.detach().numpy(),
                                  net.block.fc.weight.detach().numpy())
    assert clone.block.fc.weight.grad is not None
    seq = cr.nn.Sequential(cr.nn.Linear(2, 3), cr.nn.BatchNorm1d(3))
    restored = pickle.loads(pickle.dumps(seq))
    assert list(restored.state_dict()) == list(seq.state_dict())
    assert restored[0].weight.requires_grad and isinstance(restored[0].weight, cr.nn.Parameter)
    np.testing.assert_array_equal(restored[0].weight.detach().numpy(),
                                  seq[0].weight.detach().numpy())
    names = dir(net)
    assert "block" in names and "temperature" in names and "forward" in names
    del net.temperature
    assert "temperature" not in dict(net.named_parameters())


def test_shared_parameters_listed_once():
    for lib in (torch, cr):
        lin = lib.nn.Linear(2, 2)
        seq = lib.nn.Sequential(lin, lin)
        assert len(list(seq.parameters())) == 2
        assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
        assert list(seq.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_parameter_basics_match_torch():
    for lib in (torch, cr):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
        assert p.requires_grad and p.is_leaf
        assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
        assert repr(lib.nn.Parameter(lib.ones(1), requires_grad=False)) == \
            "Parameter containing:\ntensor([1.])"
        assert type(p * 2) is lib.Tensor
        with pytest.raises(RuntimeError, match="floating point"):
            lib.nn.Parameter(lib.tensor([1, 2]))
    with cr.no_grad():
        assert cr.nn.Parameter(cr.ones(1)).requires_grad


def test_call_without_hooks_is_plain_forward():
    lin = cr.nn.Linear(3, 2)
    x = cr.randn(4, 3)
    assert_close(lin(x), lin.forward(x), dict(rtol=0, atol=0))
    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        cr.nn.Module()(x)
