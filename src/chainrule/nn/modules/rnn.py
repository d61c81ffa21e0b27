"""Recurrent layers, as ``torch.nn.RNN``, ``LSTM``, ``GRU`` and their single-step cells.

Parameter names, shapes, order and initialization are torch's (``weight_ih_l{k}``,
``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``, ``weight_hr_l{k}`` with ``proj_size``,
``_reverse`` for the second direction; all ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``),
so state dicts move between chainrule and torch unchanged. The computation lives in
``nn.functional._rnn_stack`` (input projection of all steps in one matrix product, then a fused
recurrence per layer and direction).
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from ... import _creation
from ..._tensor import Tensor
from .. import init
from ..functional import _rnn, _rnn_stack
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from ._rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]


def _apply_permutation(tensor: Tensor, permutation: Tensor, dim: int = 1) -> Tensor:
    return tensor.index_select(dim, permutation)


class RNNBase(Module):
    """Base of :class:`RNN`, :class:`LSTM` and :class:`GRU`: parameters, checks, the stack.

    ``mode`` is ``"LSTM"``, ``"GRU"``, ``"RNN_TANH"`` or ``"RNN_RELU"``.
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1
                or isinstance(dropout, bool)):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of "
                "an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                f"num_layers={num_layers}",
                stacklevel=2,
            )
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(
                f"batch_first should be of type bool, got: {type(batch_first).__name__}"
            )
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(
                f"hidden_size should be of type int, got: {type(hidden_size).__name__}"
            )
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections"
            )
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _rnn_stack.GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _rnn_stack.GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size

        def empty(*shape: int) -> Parameter:
            return Parameter(_creation.empty(*shape, dtype=dtype, device=device))

        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input = input_size if layer == 0 else real_hidden * num_directions
                suffix = "_reverse" if direction == 1 else ""
                params = [(f"weight_ih_l{layer}{suffix}", empty(gate_size, layer_input)),
                          (f"weight_hh_l{layer}{suffix}", empty(gate_size, real_hidden))]
                if bias:
                    params += [(f"bias_ih_l{layer}{suffix}", empty(gate_size)),
                               (f"bias_hh_l{layer}{suffix}", empty(gate_size))]
                if proj_size > 0:
                    params.append((f"weight_hr_l{layer}{suffix}", empty(proj_size, hidden_size)))
                for name, param in params:
                    setattr(self, name, param)
                names = [name for name, _ in params]
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """All weights and biases ~ ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self) -> None:
        """A no-op (torch compacts weights for cuDNN here; NumPy needs nothing)."""

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def _layer_weights(self) -> list[tuple]:
        """Per (layer, direction): ``(w_ih, w_hh, b_ih, b_hh[, w_hr])``, biases None if absent."""
        result = []
        for names in self._all_weights:
            params = [getattr(self, name) for name in names]
            if not self.bias:
                params[2:2] = [None, None]
            result.append(tuple(params))
        return result

    # -- checks (torch's messages) ----------------------------------------------------------------
    def check_input(self, input: Tensor, batch_sizes: Tensor | None) -> None:
        weight_dtype = getattr(self, self._flat_weights_names[0]).dtype
        if input.dtype != weight_dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). "
                f"Convert input: input.to({weight_dtype}), or convert model: "
                f"model.to({input.dtype})"
            )
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(
                f"input must have {expected_input_dim} dimensions, got {input.dim()}"
            )
        if self.input_size != input.size(-1):
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                f"{input.size(-1)}"
            )

    def get_expected_hidden_size(self, input: Tensor, batch_sizes) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple,
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation: Tensor | None):
        if permutation is None:
            return hx
        return _apply_permutation(hx, permutation)

    # -- forward --------------------------------------------------------------------------------
    def _prepare(self, input, hx, name: str):
        """Unpacks/unsqueezes ``input`` and checks the states' ranks. Returns
        ``(data, layout, plan, batch, hx, packed_info, is_batched)``."""
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            plan = _rnn.step_plan("packed", None, batch_sizes._data)
            batch = int(batch_sizes[0])
            return data, "packed", plan, batch, hx, (batch_sizes, sorted_indices,
                                                      unsorted_indices), True
        if input.dim() not in (2, 3):
            suffix = " tensor" if name == "RNN" else ""
            raise ValueError(
                f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{suffix} instead"
            )
        is_batched = input.dim() == 3
        if not is_batched:
            input = input.unsqueeze(0 if self.batch_first else 1)
        layout = "bt" if self.batch_first else "tb"
        plan = _rnn.step_plan(layout, input.shape)
        batch = input.shape[0] if self.batch_first else input.shape[1]
        return input, layout, plan, batch, hx, None, is_batched

    def _run(self, data, layout, plan, batch, hx, cx):
        return _rnn_stack.run_stack(
            self.mode, data, layout, plan, batch, hx, cx, self._layer_weights(),
            self.num_layers, self.bidirectional, self.dropout, self.training,
        )

    def _finish(self, output, hidden, packed, is_batched):
        if packed is not None:
            batch_sizes, sorted_indices, unsorted_indices = packed
            out = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
            return out, self.permute_hidden(hidden, unsorted_indices)
        if not is_batched:
            output = output.squeeze(0 if self.batch_first else 1)
            hidden = tuple(h.squeeze(1) for h in hidden) if isinstance(hidden, tuple) \
                else hidden.squeeze(1)
        return output, hidden

    def _forward_single_state(self, input, hx, name: str):
        """RNN and GRU: one state tensor ``h``."""
        data, layout, plan, batch, hx, packed, is_batched = self._prepare(input, hx, name)
        if packed is None and hx is not None:
            if not is_batched:
                if hx.dim() != 2:
                    raise RuntimeError(
                        f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D "
                        "tensor"
                    )
                hx = hx.unsqueeze(1)
            elif hx.dim() != 3:
                raise RuntimeError(
                    f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor"
                )
        if hx is not None and packed is not None:
            hx = self.permute_hidden(hx, packed[1])
        batch_sizes = packed[0] if packed is not None else None
        self.check_input(data, batch_sizes)
        if hx is not None:
            self.check_hidden_size(hx, self.get_expected_hidden_size(data, batch_sizes))
        output, h_n, _ = self._run(data, layout, plan, batch, hx, None)
        return self._finish(output, h_n, packed, is_batched)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)


class RNN(RNNBase):
    r"""Multi-layer Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``
    (``nonlinearity='relu'`` uses ReLU).

    Args:
        input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
        batch_first=False, dropout=0.0 (between layers, training only), bidirectional=False.

    Shape:
        input ``(L, N, H_in)`` (``(N, L, H_in)`` with ``batch_first``), ``(L, H_in)`` unbatched,
        or a PackedSequence; ``h_0`` ``(D * num_layers, N, H_out)``. Returns ``output``
        ``(L, N, D * H_out)`` and ``h_n`` ``(D * num_layers, N, H_out)``.

    Example::

        >>> import chainrule as torch
        >>> rnn = torch.nn.RNN(10, 20, 2)
        >>> output, hn = rnn(torch.randn(5, 3, 10), torch.randn(2, 3, 20))
        >>> output.shape, hn.shape
        (torch.Size([5, 3, 20]), torch.Size([2, 3, 20]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(mode, *args, **kwargs)

    def forward(self, input, hx: Tensor | None = None):
        return self._forward_single_state(input, hx, "RNN")


class GRU(RNNBase):
    r"""Multi-layer gated recurrent unit, gates ordered r, z, n (torch's equations)::

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
        h' = (1 - z) * n + z * h

    Arguments and shapes as :class:`RNN` (no ``nonlinearity``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx: Tensor | None = None):
        return self._forward_single_state(input, hx, "GRU")


class LSTM(RNNBase):
    r"""Multi-layer long short-term memory, gates ordered i, f, g, o::

        i, f, o = sigmoid(W_i* x + b_i* + W_h* h + b_h*);  g = tanh(W_ig x + b_ig + W_hg h + b_hg)
        c' = f * c + i * g;  h' = o * tanh(c')       (h' = W_hr (o * tanh(c')) with proj_size)

    Args:
        input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
        bidirectional=False, proj_size=0.

    Shape:
        input as :class:`RNN`; ``(h_0, c_0)`` with ``h_0`` ``(D * num_layers, N, H_out)``
        (``H_out = proj_size or hidden_size``), ``c_0`` ``(D * num_layers, N, hidden_size)``.
        Returns ``output`` ``(L, N, D * H_out)`` and ``(h_n, c_n)``.

    Example::

        >>> import chainrule as torch
        >>> lstm = torch.nn.LSTM(10, 20, 2, batch_first=True)
        >>> output, (hn, cn) = lstm(torch.randn(3, 5, 10))
        >>> output.shape, hn.shape, cn.shape
        (torch.Size([3, 5, 20]), torch.Size([2, 3, 20]), torch.Size([2, 3, 20]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes) -> tuple[int, int, int]:
        expected = self.get_expected_hidden_size(input, batch_sizes)
        return (expected[0], expected[1], self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden: tuple, batch_sizes) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation: Tensor | None):
        if permutation is None:
            return hx
        return _apply_permutation(hx[0], permutation), _apply_permutation(hx[1], permutation)

    def forward(self, input, hx: tuple[Tensor, Tensor] | None = None):
        data, layout, plan, batch, hx, packed, is_batched = self._prepare(input, hx, "LSTM")
        batch_sizes = packed[0] if packed is not None else None
        if hx is not None:
            if packed is None:
                if is_batched and (hx[0].dim() != 3 or hx[1].dim() != 3):
                    raise RuntimeError(
                        "For batched 3-D input, hx and cx should also be 3-D but got "
                        f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                    )
                if not is_batched:
                    if hx[0].dim() != 2 or hx[1].dim() != 2:
                        raise RuntimeError(
                            "For unbatched 2-D input, hx and cx should also be 2-D but got "
                            f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                        )
                    hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
            else:
                hx = self.permute_hidden(hx, packed[1])
            self.check_forward_args(data, hx, batch_sizes)
            h0, c0 = hx
        else:
            self.check_input(data, batch_sizes)
            h0 = c0 = None
        output, h_n, c_n = self._run(data, layout, plan, batch, h0, c0)
        return self._finish(output, (h_n, c_n), packed, is_batched)
