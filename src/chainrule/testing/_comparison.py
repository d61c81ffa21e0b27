"""``assert_close``: |actual - expected| <= atol + rtol * |expected|, elementwise.

Default tolerances depend on the dtype, as in torch: float16 (1e-3, 1e-5), bfloat16
(1.6e-2, 1e-5), float32/complex64 (1.3e-6, 1e-5), float64/complex128 (1e-7, 1e-7), integers
and bools exact. Tensors, NumPy arrays and Python numbers compare with their own kind;
sequences and mappings compare item by item, naming the failing item.
"""

from __future__ import annotations

import collections.abc
from typing import Any

import numpy as np

from .. import _dtypes
from .._tensor import Tensor

__all__ = ["assert_allclose", "assert_close"]

_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
    np.dtype(np.complex64): (1.3e-6, 1e-5),
    np.dtype(np.complex128): (1e-7, 1e-7),
}


def _default_tolerances(*dtypes: np.dtype) -> tuple[float, float]:
    rtols, atols = zip(*[_TOLERANCES.get(d, (0.0, 0.0)) for d in dtypes])
    return max(rtols), max(atols)


class _Failure(AssertionError):
    pass


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True,
                 rtol: float | None = None, atol: float | None = None, equal_nan: bool = False,
                 check_device: bool = True, check_dtype: bool = True, check_layout: bool = True,
                 check_stride: bool = False, msg=None) -> None:
    """Raises AssertionError unless ``actual`` and ``expected`` are close (see module doc).

    Args:
        actual, expected: tensors, arrays, numbers, or sequences/mappings of them.
        rtol, atol: tolerances; both or neither (defaults by dtype).
        equal_nan: NaNs in the same places compare equal.
        check_dtype, check_device: also require equal dtypes/devices.
        msg: replaces the message (a string, or a callable taking the generated one).
    """
    if (rtol is None) != (atol is None):
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
            f"{'rtol' if rtol is None else 'atol'}."
        )
    _compare(actual, expected, [], dict(rtol=rtol, atol=atol, equal_nan=equal_nan,
                                        check_device=check_device, check_dtype=check_dtype,
                                        msg=msg))


def _compare(actual, expected, path: list, opts: dict) -> None:
    if _is_leaf(actual) or _is_leaf(expected):
        try:
            _compare_leaf(actual, expected, opts)
        except _Failure as failure:
            message = str(failure)
            if path and opts["msg"] is None:
                message += f"\n\nThe failure occurred for item {''.join(f'[{p!r}]' for p in path)}"
            raise AssertionError(message) from None
        return
    if isinstance(actual, collections.abc.Mapping) and isinstance(
        expected, collections.abc.Mapping
    ):
        if set(actual.keys()) != set(expected.keys()):
            raise AssertionError(
                f"The keys of the mappings do not match:\n{sorted(map(str, actual.keys()))}\n"
                f"{sorted(map(str, expected.keys()))}"
            )
        for key in actual:
            _compare(actual[key], expected[key], path + [key], opts)
        return
    if isinstance(actual, collections.abc.Sequence) and isinstance(
        expected, collections.abc.Sequence
    ) and not isinstance(actual, str):
        if len(actual) != len(expected):
            raise AssertionError(
                f"The length of the sequences mismatch: {len(actual)} != {len(expected)}"
            )
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, path + [i], opts)
        return
    raise TypeError(
        f"No comparison pair was able to handle inputs of type {type(actual)} and "
        f"{type(expected)}."
    )


def _is_leaf(x) -> bool:
    return isinstance(x, (Tensor, np.ndarray, np.generic, bool, int, float, complex))


def _fail(opts: dict, message: str):
    custom = opts["msg"]
    if custom is not None:
        message = custom(message) if callable(custom) else custom
    raise _Failure(message)


def _compare_leaf(actual, expected, opts: dict) -> None:
    number_types = (bool, int, float, complex)
    if isinstance(actual, number_types) and isinstance(expected, number_types):
        return _compare_numbers(actual, expected, opts)
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        if opts["check_device"] and actual.device != expected.device:
            _fail(opts, f"The values for attribute 'device' do not match: {actual.device} != "
                        f"{expected.device}.")
        a, e = actual.detach()._data, expected.detach()._data
        a = np.asarray(a.get()) if hasattr(a, "get") else a
        e = np.asarray(e.get()) if hasattr(e, "get") else e
        show = _dtypes.from_numpy_dtype
        shape = (actual.shape, expected.shape)
    elif isinstance(actual, (np.ndarray, np.generic)) and isinstance(
        expected, (np.ndarray, np.generic)
    ):
        a, e = np.asarray(actual), np.asarray(expected)
        show = _dtypes.from_numpy_dtype
        from .._tensor import Size

        shape = (Size(a.shape), Size(e.shape))
    else:
        raise TypeError(
            f"No comparison pair was able to handle inputs of type {type(actual)} and "
            f"{type(expected)}."
        )
    if shape[0] != shape[1]:
        _fail(opts, f"The values for attribute 'shape' do not match: {shape[0]} != {shape[1]}.")
    if opts["check_dtype"] and a.dtype != e.dtype:
        _fail(opts, f"The values for attribute 'dtype' do not match: {show(a.dtype)} != "
                    f"{show(e.dtype)}.")
    rtol, atol = opts["rtol"], opts["atol"]
    if rtol is None:
        rtol, atol = _default_tolerances(a.dtype, e.dtype)
    if a.dtype != e.dtype:
        common = np.promote_types(a.dtype, e.dtype)
        a, e = a.astype(common), e.astype(common)
    _compare_values(a, e, rtol, atol, opts, scalar=a.ndim == 0)


def _compare_numbers(actual, expected, opts: dict) -> None:
    if isinstance(actual, bool) and isinstance(expected, bool):
        if actual != expected:
            _fail(opts, f"Booleans mismatch: {actual} is not {expected}")
        return
    if isinstance(actual, complex) or isinstance(expected, complex):
        dtype = np.complex128
    elif isinstance(actual, float) or isinstance(expected, float):
        dtype = np.float64
    else:
        dtype = np.int64
    a, e = np.array(actual, dtype=dtype), np.array(expected, dtype=dtype)
    rtol, atol = opts["rtol"], opts["atol"]
    if rtol is None:
        rtol, atol = _default_tolerances(a.dtype)
    _compare_values(a, e, rtol, atol, opts, scalar=True)


def _compare_values(a: np.ndarray, e: np.ndarray, rtol: float, atol: float, opts: dict,
                    scalar: bool) -> None:
    if a.dtype.kind == "b":
        a, e = a.astype(np.int64), e.astype(np.int64)
    exact = a.dtype.kind in "iu" and rtol == 0 and atol == 0
    with np.errstate(invalid="ignore", over="ignore"):
        if a.dtype.kind in "iu":
            diff = np.abs(a.astype(np.int64) - e.astype(np.int64))
            close = diff <= atol + rtol * np.abs(e)
        else:
            # differences in the inputs' own dtype, as torch reports them
            diff = np.abs(a - e)
            close = diff <= atol + rtol * np.abs(e)
            close |= np.isinf(a) & np.isinf(e) & (a == e)
            if opts["equal_nan"]:
                close |= np.isnan(a) & np.isnan(e)
    if close.all():
        return
    if scalar:
        kind = "equal" if exact else "close"
        lines = [f"Scalars are not {kind}!", "", f"Expected {e.item()} but got {a.item()}."]
        abs_diff = diff.item()
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = abs_diff / abs(e.item()) if e.item() != 0 else (
                float("inf") if abs_diff else float("nan"))
        lines.append(f"Absolute difference: {abs_diff}" + ("" if exact else
                     f" (up to {atol} allowed)"))
        lines.append(f"Relative difference: {rel}" + ("" if exact else
                     f" (up to {rtol} allowed)"))
        _fail(opts, "\n".join(lines))
    mismatched = int((~close).sum())
    total = close.size
    kind = "equal" if exact else "close"
    with np.errstate(divide="ignore", invalid="ignore"):
        if a.dtype.kind in "iu":
            rel_diff = (diff.astype(np.float32) / np.abs(e).astype(np.float32))
        else:
            rel_diff = diff / np.abs(e).astype(diff.dtype)
    abs_idx = np.unravel_index(int(np.nanargmax(diff)) if not np.isnan(diff).all() else 0,
                               diff.shape)
    finite_rel = np.where(np.isnan(rel_diff), -np.inf, rel_diff)
    rel_idx = np.unravel_index(int(np.argmax(finite_rel)), diff.shape)
    lines = [
        f"Tensor-likes are not {kind}!",
        "",
        f"Mismatched elements: {mismatched} / {total} ({mismatched / total:.1%})",
        f"Greatest absolute difference: {diff[abs_idx].item()} at index "
        f"{tuple(int(i) for i in abs_idx)}" + ("" if exact else f" (up to {atol} allowed)"),
        f"Greatest relative difference: {float(rel_diff[rel_idx])} at index "
        f"{tuple(int(i) for i in rel_idx)}" + ("" if exact else f" (up to {rtol} allowed)"),
    ]
    _fail(opts, "\n".join(lines))


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg="") -> None:
    """Deprecated torch spelling: like ``assert_close`` without the dtype check."""
    if not isinstance(actual, Tensor):
        from .._creation import tensor

        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        from .._creation import tensor

        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        rtol, atol = _default_tolerances(actual._data.dtype, expected._data.dtype)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan,
                 check_device=True, check_dtype=False, msg=msg or None)
