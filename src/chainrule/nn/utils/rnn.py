"""Variable-length sequences for recurrent layers, as ``torch.nn.utils.rnn``.

A batch of sequences of different lengths is either *padded* (a ``(T, B, *)`` tensor, or
``(B, T, *)`` with ``batch_first``) or *packed*: a :class:`PackedSequence` whose ``data`` holds,
time step after time step, the rows of the sequences still running at that step, longest
sequences first. With lengths ``[3, 1, 2]`` the packed order is ``a0 c0 b0 | a1 c1 | a2`` and
``batch_sizes = [3, 2, 1]``. Recurrent layers then run step ``t`` on the first
``batch_sizes[t]`` rows only, so padding never enters the computation.

Every conversion here is one differentiable gather (``data = padded_flat[index]``), so
gradients flow back to the padded input and to each sequence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from ... import _dtypes, ops
from ..._creation import full
from ..._tensor import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]


def _long(a) -> Tensor:
    return Tensor._wrap(np.asarray(a, dtype=np.int64))


class _PackedSequenceBase(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedSequenceBase):
    """A packed batch of variable-length sequences (a named tuple, as torch's).

    Attributes:
        data: ``(N, *)``, the rows of all sequences, time step by time step
            (``N = sum(lengths)``).
        batch_sizes: int64 ``(T,)``, how many sequences run at each time step (non-increasing).
        sorted_indices: int64 ``(B,)`` or None; ``sorted_indices[j]`` is the original batch
            position of the ``j``-th longest sequence.
        unsorted_indices: int64 ``(B,)`` or None, the inverse permutation.

    Build it with :func:`pack_padded_sequence` or :func:`pack_sequence`, not by hand.
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # the legacy PackedSequence((data, batch_sizes)) form
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """Moves or casts ``data`` (the indices follow its device; batch_sizes stays on CPU)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = self.sorted_indices
        unsorted_indices = self.unsorted_indices
        if sorted_indices is not None:
            sorted_indices = sorted_indices.to(data.device)
            unsorted_indices = unsorted_indices.to(data.device)
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cpu(self, *args, **kwargs) -> PackedSequence:
        return self.to("cpu")

    def cuda(self, *args, **kwargs) -> PackedSequence:
        return self.to("cuda")

    def pin_memory(self) -> PackedSequence:
        return self

    def double(self) -> PackedSequence:
        return self.to(dtype=_dtypes.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=_dtypes.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=_dtypes.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=_dtypes.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=_dtypes.int32)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation of ``range(n)`` (None stays None)."""
    if permutation is None:
        return None
    perm = permutation._data
    inverse = np.empty_like(perm)
    inverse[perm] = np.arange(perm.shape[0], dtype=perm.dtype)
    return Tensor._wrap(inverse)


def _lengths_array(lengths) -> np.ndarray:
    if isinstance(lengths, Tensor):
        data = lengths._data
    else:
        data = np.asarray([int(v) for v in lengths]) if not isinstance(lengths, np.ndarray) \
            else lengths
    return np.asarray(data).astype(np.int64).reshape(-1)


def pack_padded_sequence(
    input: Tensor,
    lengths: Tensor | list[int],
    batch_first: bool = False,
    enforce_sorted: bool = True,
) -> PackedSequence:
    """Packs a padded batch ``(T, B, *)`` (``(B, T, *)`` with ``batch_first``) of sequences
    with the given lengths.

    With ``enforce_sorted=True`` the lengths must be non-increasing; otherwise the batch is
    sorted by decreasing length (stable) and the permutation is kept in ``sorted_indices``.
    """
    lens = _lengths_array(lengths)
    batch = input.shape[0 if batch_first else 1]
    steps = input.shape[1 if batch_first else 0]
    if lens.shape[0] != batch:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {lens.shape[0]} "
            f"(batch_size={batch})"
        )
    if enforce_sorted:
        sorted_idx = None
        order = np.arange(batch)
        if np.any(lens[1:] > lens[:-1]):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability."
            )
    else:
        order = np.argsort(-lens, kind="stable")
        sorted_idx = _long(order)
    lens_sorted = lens[order]
    if batch and lens_sorted[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' "
            "that is <= 0"
        )
    if batch and lens_sorted[0] > steps:
        raise RuntimeError(
            f"Expected sequence length to be at most {steps} (the padded length), but got "
            f"{int(lens_sorted[0])}"
        )
    mask = np.arange(lens_sorted[0] if batch else 0)[:, None] < lens_sorted[None, :]
    t_idx, j_idx = np.nonzero(mask)  # row-major: step by step, longest sequences first
    b_idx = order[j_idx]
    flat_index = b_idx * steps + t_idx if batch_first else t_idx * batch + b_idx
    flat = input.reshape(batch * steps, *input.shape[2:])
    data = flat[_long(flat_index)]
    return PackedSequence(data, _long(mask.sum(1)), sorted_idx, None)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    """Unpacks a PackedSequence into a padded ``(T, B, *)`` tensor (``(B, T, *)`` with
    ``batch_first``) and the int64 lengths, both in the original batch order.

    ``total_length`` pads to that many steps (at least the longest sequence).
    """
    data = sequence.data
    sizes = sequence.batch_sizes._data.astype(np.int64)
    steps = sizes.shape[0]
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{steps}"
            )
        steps = int(total_length)
    batch = int(sizes[0])
    mask = np.arange(batch)[None, :] < sizes[:, None]  # (T, B) in sorted batch order
    rows = data.shape[0]
    index = np.full((steps, batch), rows, dtype=np.int64)  # ``rows``: the padding row
    index[: sizes.shape[0]][mask] = np.arange(rows)
    lengths = mask.sum(0)
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices._data
        index = index[:, unsorted]
        lengths = lengths[unsorted]
    if batch_first:
        index = index.T
    pad_row = full((1, *data.shape[1:]), padding_value, dtype=data.dtype)
    padded = ops.cat([data, pad_row])[_long(index)]
    return padded, _long(lengths)


def pad_sequence(
    sequences: Iterable[Tensor] | Tensor,
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Stacks sequences ``(L_i, *)`` into ``(T, B, *)`` (``(B, T, *)`` with ``batch_first``),
    ``T = max L_i``, padding with ``padding_value`` after (``"right"``) or before (``"left"``)."""
    if padding_side not in ("left", "right"):
        raise ValueError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    seqs = list(sequences.unbind(0)) if isinstance(sequences, Tensor) else list(sequences)
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    lengths = np.array([s.shape[0] for s in seqs], dtype=np.int64)
    steps = int(lengths.max())
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    total = int(lengths.sum())
    t = np.arange(steps)[:, None]
    start = steps - lengths[None, :] if padding_side == "left" else np.zeros((1, len(seqs)), int)
    pos = t - start  # position inside each sequence, (T, B)
    index = np.where((pos >= 0) & (pos < lengths[None, :]), offsets[None, :] + pos, total)
    if batch_first:
        index = index.T
    trailing = seqs[0].shape[1:]
    pad_row = full((1, *trailing), padding_value, dtype=seqs[0].dtype)
    return ops.cat([*seqs, pad_row])[_long(index)]


def unpad_sequence(
    padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False
) -> list[Tensor]:
    """The inverse of :func:`pad_sequence`: a list of ``(L_i, *)`` tensors."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[: int(n)] for seq, n in zip(padded_sequences, _lengths_array(lengths))]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Packs a list of ``(L_i, *)`` tensors (``pad_sequence`` then ``pack_padded_sequence``)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The inverse of :func:`pack_sequence`: a list of ``(L_i, *)`` tensors."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
