"""save/load: round trips of tensors and nested containers, optimizer and scheduler state,
weights-only safety, atomic writes, safetensors exchange with torch, reading torch.save files."""

from __future__ import annotations

import collections
import copy
import dataclasses
import io
import os
import pickle
import sys

import numpy as np
import pytest
import torch

import chainrule
from chainrule import serialization


def _roundtrip(obj, **kwargs):
    buffer = io.BytesIO()
    chainrule.save(obj, buffer)
    buffer.seek(0)
    return chainrule.load(buffer, **kwargs)


def _assert_equal(a, b):
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, chainrule.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _assert_equal(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _assert_equal(x, y)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16",
                                   "int8", "uint8", "bool", "complex64"])
def test_tensor_dtypes_round_trip(dtype):
    data = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    t = chainrule.tensor(data)
    _assert_equal(_roundtrip(t), t)
    _assert_equal(_roundtrip(t.t()), t.t())  # non-contiguous
    _assert_equal(_roundtrip(t[0, 0]), t[0, 0])  # 0-d
    _assert_equal(_roundtrip(t[:0]), t[:0])  # empty


def test_nested_containers_round_trip():
    w = chainrule.randn(3, 2, requires_grad=True)
    obj = collections.OrderedDict(
        z=1, a=[1, 2.5, -0.0, float("inf"), float("nan"), "s", None, True, False],
        t=(w, chainrule.tensor([1, 2])), d={0: "int key", (1, 2): "tuple key", None: 3},
        nested={"x": {"y": [chainrule.zeros(2), {"deep": (1,)}]}}, big=2**80,
        arr=np.arange(6, dtype=np.int16).reshape(2, 3), scalar=np.float32(1.5),
        i64=np.int64(7), dt=chainrule.float16, size=chainrule.Size([2, 3]),
        dev=chainrule.device("cpu"), raw=b"\x00\xff", cplx=1 - 2j, s={1, 2},
        fs=frozenset({"a"}), empty={}, empty_list=[], empty_tuple=(),
    )
    out = _roundtrip(obj)
    _assert_equal(out, obj)
    assert type(out["scalar"]) is np.float32 and type(out["i64"]) is np.int64
    assert out["t"][0].requires_grad and out["t"][0].is_leaf


def test_shared_tensors_stay_shared_and_parameters_stay_parameters():
    p = chainrule.nn.Parameter(chainrule.randn(4))
    out = _roundtrip({"a": p, "b": p, "c": [p]})
    assert out["a"] is out["b"] is out["c"][0]
    assert isinstance(out["a"], chainrule.nn.Parameter) and out["a"].requires_grad


def test_paths_and_file_objects(tmp_path):
    obj = {"w": chainrule.randn(5)}
    chainrule.save(obj, tmp_path / "a.pt")
    chainrule.save(obj, str(tmp_path / "b.pt"))
    with open(tmp_path / "c.pt", "wb") as f:
        chainrule.save(obj, f)
    for name in ("a.pt", "b.pt", "c.pt"):
        _assert_equal(chainrule.load(tmp_path / name), obj)
        with open(tmp_path / name, "rb") as f:
            _assert_equal(chainrule.load(f), obj)
    assert sorted(os.listdir(tmp_path)) == ["a.pt", "b.pt", "c.pt"]  # no temp files left


def test_optimizer_and_scheduler_state_round_trip(tmp_path):
    """Stop a run, save both state dicts, restore into new objects: the run continues exactly
    as an uninterrupted one."""
    def make():
        p = chainrule.tensor(np.linspace(-1, 1, 6), requires_grad=True)
        opt = chainrule.optim.Adam([p], lr=0.1, amsgrad=True)
        sched = chainrule.optim.lr_scheduler.MultiStepLR(opt, [3, 7], gamma=0.5)
        return p, opt, sched

    def train(p, opt, sched, steps):
        for _ in range(steps):
            opt.zero_grad()
            (p * p * p).sum().backward()
            opt.step()
            sched.step()

    p, opt, sched = make()
    train(p, opt, sched, 10)
    expected = p.detach().numpy().copy()

    p, opt, sched = make()
    train(p, opt, sched, 5)
    chainrule.save({"p": p, "opt": opt.state_dict(), "sched": sched.state_dict()},
                   tmp_path / "ckpt.pt")
    state = chainrule.load(tmp_path / "ckpt.pt")
    assert list(state["opt"]["state"]) == [0] and state["opt"]["state"][0]["step"].item() == 5
    p2, opt2, sched2 = make()
    with chainrule.no_grad():
        p2.copy_(state["p"])
    opt2.load_state_dict(state["opt"])
    sched2.load_state_dict(state["sched"])
    train(p2, opt2, sched2, 5)
    np.testing.assert_array_equal(p2.detach().numpy(), expected)


@dataclasses.dataclass
class Config:
    hidden: int
    name: str


def test_weights_only_refuses_unknown_classes_and_safe_globals_allow_them():
    buffer = io.BytesIO()
    chainrule.save({"cfg": Config(8, "mlp"), "w": chainrule.ones(2)}, buffer)
    for kwargs in ({}, {"weights_only": True}):
        buffer.seek(0)
        with pytest.raises(pickle.UnpicklingError, match=r"(?s)Weights only load failed.*GLOBAL "
                           r"test_serialization.Config was not an allowed global by default"):
            chainrule.load(buffer, **kwargs)
    buffer.seek(0)
    assert chainrule.load(buffer, weights_only=False)["cfg"] == Config(8, "mlp")
    with chainrule.serialization.safe_globals([Config]):
        assert Config in chainrule.serialization.get_safe_globals()
        buffer.seek(0)
        out = chainrule.load(buffer)
    assert out["cfg"] == Config(8, "mlp") and out["w"].tolist() == [1.0, 1.0]
    assert Config not in chainrule.serialization.get_safe_globals()
    chainrule.serialization.add_safe_globals([Config])
    try:
        buffer.seek(0)
        assert chainrule.load(buffer)["cfg"].hidden == 8
    finally:
        chainrule.serialization.clear_safe_globals()
    assert chainrule.serialization.get_safe_globals() == []


class _Exploit:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_weights_only_never_runs_code(tmp_path):
    marker = tmp_path / "pwned"
    buffer = io.BytesIO()
    chainrule.save({"x": _Exploit(str(marker))}, buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        chainrule.load(buffer)
    assert not marker.exists()


def test_whole_module_save_needs_weights_only_false(tmp_path):
    model = chainrule.nn.Sequential(chainrule.nn.Linear(3, 4), chainrule.nn.ReLU(),
                                    chainrule.nn.Linear(4, 2))
    chainrule.save(model, tmp_path / "model.pt")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        chainrule.load(tmp_path / "model.pt")
    loaded = chainrule.load(tmp_path / "model.pt", weights_only=False)
    x = chainrule.randn(5, 3)
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())
    assert all(isinstance(p, chainrule.nn.Parameter) for p in loaded.parameters())


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    chainrule.save({"version": 1, "w": chainrule.ones(3)}, path)
    before = path.read_bytes()
    real_write = serialization._write

    def crashing_write(obj, out):
        real_write(obj, out)  # most of the bytes reach the temporary file...
        out.flush()
        raise OSError("disk full (simulated)")  # ...then the save dies

    monkeypatch.setattr(serialization, "_write", crashing_write)
    with pytest.raises(OSError, match="simulated"):
        chainrule.save({"version": 2, "w": chainrule.zeros(1000)}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.pt"]  # the temporary file was removed
    monkeypatch.setattr(serialization, "_write", real_write)
    assert chainrule.load(path)["version"] == 1


def test_errors(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory .* does not exist"):
        chainrule.save({"a": 1}, tmp_path / "missing" / "x.pt")
    buffer = io.BytesIO()
    chainrule.save({"w": chainrule.ones(100)}, buffer)
    with pytest.raises(RuntimeError, match="truncated"):
        chainrule.load(io.BytesIO(buffer.getvalue()[:-300]))
    with pytest.raises(pickle.UnpicklingError, match="not a chainrule or torch checkpoint"):
        chainrule.load(io.BytesIO(b"garbage" * 10))


def test_map_location():
    t = chainrule.randn(3)
    calls = []

    def hook(tensor, location):
        calls.append(location)

    out = _roundtrip({"t": t}, map_location=hook)
    assert calls == ["cpu"] and out["t"].tolist() == t.tolist()
    assert _roundtrip(t, map_location="cpu").device.type == "cpu"
    assert _roundtrip(t, map_location={"cuda:0": "cpu"}).device.type == "cpu"


def _models():
    tmodel = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
    model = chainrule.nn.Sequential(chainrule.nn.Linear(4, 3), chainrule.nn.Tanh(),
                                    chainrule.nn.Linear(3, 2))
    return model, tmodel


def test_safetensors_to_and_from_torch(tmp_path):
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    model, tmodel = _models()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    # chainrule -> torch
    serialization.save_safetensors(model.state_dict(), tmp_path / "m.safetensors",
                                   metadata={"format": "pt", "epoch": "3"})
    tmodel.load_state_dict(load_file(tmp_path / "m.safetensors"))
    np.testing.assert_allclose(tmodel(torch.tensor(x)).detach().numpy(),
                               model(chainrule.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)
    with safe_open(tmp_path / "m.safetensors", framework="np") as f:
        assert f.metadata() == {"format": "pt", "epoch": "3"}
    # torch -> chainrule
    torch.nn.init.normal_(tmodel[0].weight)
    save_file(tmodel.state_dict(), tmp_path / "t.safetensors")
    loaded = serialization.load_safetensors(tmp_path / "t.safetensors")
    assert all(isinstance(v, chainrule.Tensor) for v in loaded.values())
    model.load_state_dict(loaded)
    np.testing.assert_allclose(model(chainrule.tensor(x)).detach().numpy(),
                               tmodel(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)
    # bfloat16 (which chainrule keeps as float32) and other dtypes
    save_file({"h": torch.tensor([1.5, -2.0], dtype=torch.bfloat16),
               "i": torch.arange(3)}, tmp_path / "bf.safetensors")
    bf = serialization.load_safetensors(tmp_path / "bf.safetensors")
    assert bf["h"].dtype == chainrule.float32 and bf["h"].tolist() == [1.5, -2.0]
    assert bf["i"].dtype == chainrule.int64


def test_safetensors_errors(tmp_path, monkeypatch):
    with pytest.raises(TypeError, match="expects a dict of tensors"):
        serialization.save_safetensors({"a": 1.0}, tmp_path / "x.safetensors")
    monkeypatch.setitem(sys.modules, "safetensors", None)
    with pytest.raises(ImportError, match=r"chainrule\[io\]"):
        serialization.save_safetensors({"a": chainrule.ones(1)}, tmp_path / "x.safetensors")


def test_reads_torch_save_files(tmp_path):
    base = torch.arange(12, dtype=torch.float64).reshape(3, 4)
    sd = collections.OrderedDict(
        w=torch.randn(2, 3), p=torch.nn.Parameter(torch.ones(3)), view=base[:, 1],
        base=base, half=torch.ones(2, dtype=torch.float16), bf=torch.tensor([0.5],
                                                                           dtype=torch.bfloat16),
        ints=torch.arange(4, dtype=torch.int32), flags=torch.tensor([True, False]),
        n=3, meta={"name": "x", "shape": torch.Size([1, 2]), "dtype": torch.float16},
    )
    torch.save(sd, tmp_path / "torch.pt")
    out = chainrule.load(tmp_path / "torch.pt")
    assert list(out) == list(sd) and isinstance(out, collections.OrderedDict)
    for key in ("w", "view", "base", "half", "ints", "flags"):
        assert str(out[key].dtype) == str(sd[key].dtype), key
        np.testing.assert_array_equal(out[key].numpy(), sd[key].numpy())
    assert isinstance(out["p"], chainrule.nn.Parameter) and out["p"].requires_grad
    assert out["bf"].dtype == chainrule.float32 and out["bf"].tolist() == [0.5]
    assert out["meta"] == {"name": "x", "shape": chainrule.Size([1, 2]),
                           "dtype": chainrule.float16}
    # a model's state dict from torch loads straight into the chainrule model
    model, tmodel = _models()
    torch.save(tmodel.state_dict(), tmp_path / "model.pt")
    model.load_state_dict(chainrule.load(tmp_path / "model.pt", map_location="cpu"))
    x = np.ones((1, 4), dtype=np.float32)
    np.testing.assert_allclose(model(chainrule.tensor(x)).detach().numpy(),
                               tmodel(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    # a whole torch module is code: refused in weights-only mode
    torch.save(tmodel, tmp_path / "module.pt")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        chainrule.load(tmp_path / "module.pt")


def test_optimizer_state_from_torch_file(tmp_path):
    p = torch.nn.Parameter(torch.randn(4, dtype=torch.float64))
    opt = torch.optim.Adam([p], lr=0.1)
    p.grad = torch.ones_like(p)
    opt.step()
    torch.save(opt.state_dict(), tmp_path / "opt.pt")
    state = chainrule.load(tmp_path / "opt.pt")
    q = chainrule.tensor(p.detach().numpy().copy(), requires_grad=True)
    copt = chainrule.optim.Adam([q], lr=0.1)
    copt.load_state_dict(copy.deepcopy(state))
    for o, t in ((copt, q), (opt, p)):
        t.grad = (chainrule if o is copt else torch).ones_like(t)
        o.step()
    np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-12)


def test_get_unsafe_globals_in_checkpoint(tmp_path):
    buffer = io.BytesIO()
    chainrule.save({"cfg": Config(1, "a"), "count": collections.Counter("ab"),
                    "w": chainrule.ones(2)}, buffer)
    buffer.seek(0)
    assert serialization.get_unsafe_globals_in_checkpoint(buffer) == ["test_serialization.Config"]
    torch.save(torch.nn.Linear(2, 2), tmp_path / "lin.pt")
    ours = serialization.get_unsafe_globals_in_checkpoint(tmp_path / "lin.pt")
    assert ours == torch.serialization.get_unsafe_globals_in_checkpoint(tmp_path / "lin.pt")
    torch.save({"s": {1, 2}, "w": torch.ones(2)}, tmp_path / "sd.pt")
    assert serialization.get_unsafe_globals_in_checkpoint(tmp_path / "sd.pt") == []
    assert chainrule.load(tmp_path / "sd.pt")["s"] == {1, 2}
