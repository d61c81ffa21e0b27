"""Type promotion against torch: every pair of dtypes, as dimensioned tensors, zero-dim
tensors, Python scalars and NumPy scalars, through ``+``, ``*`` and ``/`` (both operand
orders); plus promote_types/result_type/can_cast and the weak-scalar rules spelled out."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"]
PYTHON_SCALARS = [True, 3, 2.5]
OPS = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


def _value(dtype: str):
    return True if dtype == "bool" else 3


def operand(lib, kind: str, spec):
    """``kind``: 'tensor' (shape (2,)), 'zero-dim', 'python' or 'numpy'."""
    if kind == "tensor":
        return lib.full((2,), _value(spec), dtype=getattr(lib, spec))
    if kind == "zero-dim":
        return lib.tensor(_value(spec), dtype=getattr(lib, spec))
    if kind == "numpy":
        return np.dtype("bool" if spec == "bool" else spec).type(_value(spec))
    return spec  # a Python scalar, used as is


OPERANDS = (
    [("tensor", d) for d in DTYPES]
    + [("zero-dim", d) for d in DTYPES]
    + [("python", s) for s in PYTHON_SCALARS]
    + [("numpy", d) for d in DTYPES]
)


def _label(kind, spec) -> str:
    return f"{kind}:{spec!r}" if kind == "python" else f"{kind}:{spec}"


def _outcome(lib, fn, a, b):
    try:
        out = fn(a, b)
    except Exception as e:  # noqa: BLE001 - an error must be matched by type
        return ("error", type(e).__name__)
    if not isinstance(out, (torch.Tensor, chainrule.Tensor)):
        return ("not a tensor", type(out).__name__)
    return ("ok", str(out.dtype), tuple(out.shape), np.asarray(out.tolist(), dtype=np.float64))


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize(("left_kind", "left"), OPERANDS,
                         ids=[_label(k, s) for k, s in OPERANDS])
def test_binary_result_dtype_matches_torch(op: str, left_kind: str, left) -> None:
    fn = OPS[op]
    mismatches = []
    for right_kind, right in OPERANDS:
        if "tensor" not in left_kind + right_kind and "zero-dim" not in left_kind + right_kind:
            continue  # no tensor operand: plain Python/NumPy arithmetic
        theirs = _outcome(torch, fn, operand(torch, left_kind, left),
                          operand(torch, right_kind, right))
        ours = _outcome(chainrule, fn, operand(chainrule, left_kind, left),
                        operand(chainrule, right_kind, right))
        same = theirs[:3] == ours[:3] and (
            theirs[0] != "ok" or np.allclose(theirs[3], ours[3], rtol=1e-3)
        )
        if not same:
            mismatches.append(
                f"{_label(left_kind, left)} {op} {_label(right_kind, right)}: "
                f"torch {theirs[:3]}, chainrule {ours[:3]}"
            )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("a", DTYPES)
def test_promote_types_result_type_can_cast(a: str) -> None:
    for b in DTYPES:
        ta, tb = getattr(torch, a), getattr(torch, b)
        ca, cb = getattr(chainrule, a), getattr(chainrule, b)
        assert str(chainrule.promote_types(ca, cb)) == str(torch.promote_types(ta, tb)), (a, b)
        assert chainrule.can_cast(ca, cb) == torch.can_cast(ta, tb), (a, b)
        for ka in ("tensor", "zero-dim"):
            for kb in ("tensor", "zero-dim", "python", "numpy"):
                spec_b = 2.5 if kb == "python" else b
                theirs = torch.result_type(operand(torch, ka, a), operand(torch, kb, spec_b))
                ours = chainrule.result_type(operand(chainrule, ka, a),
                                             operand(chainrule, kb, spec_b))
                assert str(ours) == str(theirs), (ka, a, kb, spec_b)


def test_python_scalars_are_weak() -> None:
    f32 = chainrule.ones(3)
    i64 = chainrule.ones(3, dtype=chainrule.int64)
    assert (f32 * 2.5).dtype == chainrule.float32
    assert (2.5 * f32).dtype == chainrule.float32
    assert (f32 * 2).dtype == chainrule.float32
    assert (i64 * 2.5).dtype == chainrule.float32  # the default float, not float64
    assert (i64 * 2).dtype == chainrule.int64
    assert (i64 / 2).dtype == chainrule.float32  # true division of integers
    assert (i64 * True).dtype == chainrule.int64
    u8 = chainrule.ones(3, dtype=chainrule.uint8)
    assert (u8 + 300).dtype == chainrule.uint8  # a weak int does not widen the tensor
    assert (chainrule.ones(3, dtype=chainrule.bool) + 1).dtype == chainrule.int64


def test_zero_dim_tensors_are_weaker_than_dimensioned_ones() -> None:
    f32 = chainrule.ones(3)
    assert (f32 * chainrule.tensor(2.0, dtype=chainrule.float64)).dtype == chainrule.float32
    i32 = chainrule.ones(3, dtype=chainrule.int32)
    assert (i32 + chainrule.tensor(2, dtype=chainrule.int64)).dtype == chainrule.int32
    # ... unless they are of a higher category
    assert (i32 + chainrule.tensor(2.0, dtype=chainrule.float64)).dtype == chainrule.float64


def test_default_dtype_changes_weak_float_results() -> None:
    chainrule.set_default_dtype(chainrule.float64)
    try:
        i64 = chainrule.ones(3, dtype=chainrule.int64)
        assert (i64 * 2.5).dtype == chainrule.float64
        assert chainrule.tensor([1.5]).dtype == chainrule.float64
        assert (chainrule.ones(2, dtype=chainrule.float32) * 2.5).dtype == chainrule.float32
    finally:
        chainrule.set_default_dtype(chainrule.float32)
    assert chainrule.get_default_dtype() == chainrule.float32


def test_no_float64_upcast_through_gradients() -> None:
    x = chainrule.ones(4, requires_grad=True)
    y = (x * 2.5 + 1 / (x + 3.0) - x**0.5).exp().log1p().sum()
    y.backward()
    assert y.dtype == chainrule.float32
    assert x.grad.dtype == chainrule.float32


def test_dtype_objects_behave_like_torch() -> None:
    assert repr(chainrule.float32) == "torch.float32"
    assert chainrule.float is chainrule.float32 and chainrule.double is chainrule.float64
    assert chainrule.long is chainrule.int64 and chainrule.half is chainrule.float16
    assert chainrule.float32.is_floating_point and not chainrule.int64.is_floating_point
    assert chainrule.float32.itemsize == 4
    assert chainrule.int8.is_signed and not chainrule.uint8.is_signed
    with pytest.raises(TypeError):
        chainrule.set_default_dtype(chainrule.int64)
