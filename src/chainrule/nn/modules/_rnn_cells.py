"""Single-step recurrent cells, as ``torch.nn.RNNCell``, ``LSTMCell`` and ``GRUCell``
(re-exported by ``nn.modules.rnn``, torch's home for them).

Parameters ``weight_ih`` ``(chunks*H, in)``, ``weight_hh`` ``(chunks*H, H)``, ``bias_ih`` and
``bias_hh`` ``(chunks*H,)``, all ``U(-1/sqrt(H), 1/sqrt(H))`` as torch. One step is a few
Tensor ops (``nn.functional._rnn_stack``): a cell is meant for a Python loop over time.
"""

from __future__ import annotations

import math
from typing import Any

from ... import _creation, ops
from ..._tensor import Tensor
from .. import init
from ..functional import _rnn_stack
from ..parameter import Parameter
from .module import Module

__all__ = ["GRUCell", "LSTMCell", "RNNCell", "RNNCellBase"]


class RNNCellBase(Module):
    """Base of the single-step cells: ``weight_ih`` ``(chunks*H, in)``, ``weight_hh``
    ``(chunks*H, H)``, ``bias_ih``/``bias_hh`` ``(chunks*H,)``, all ``U(-1/sqrt(H), 1/sqrt(H))``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        size = num_chunks * hidden_size
        self.weight_ih = Parameter(_creation.empty(size, input_size, dtype=dtype, device=device))
        self.weight_hh = Parameter(_creation.empty(size, hidden_size, dtype=dtype, device=device))
        if bias:
            self.bias_ih = Parameter(_creation.empty(size, dtype=dtype, device=device))
            self.bias_hh = Parameter(_creation.empty(size, dtype=dtype, device=device))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _batched(self, name: str, input: Tensor, states: tuple, labels: tuple):
        """Checks ranks (1-D or 2-D); returns ``(input, states, is_batched)`` batched."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for label, s in zip(labels, states):
            if s is not None and s.dim() not in (1, 2):
                raise ValueError(
                    f"{name}: Expected {label} to be 1D or 2D, got {s.dim()}D instead"
                )
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
            states = tuple(None if s is None else s.unsqueeze(0) for s in states)
        if input.shape[1] != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.shape[1]} expected "
                f"{self.input_size}"
            )
        states = tuple(
            _creation.zeros(input.shape[0], self.hidden_size, dtype=input.dtype)
            if s is None else s for s in states
        )
        for k, s in enumerate(states):
            if s.shape[0] != input.shape[0]:
                raise RuntimeError(
                    f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                    f"{s.shape[0]}"
                )
            if s.shape[1] != self.hidden_size:
                raise RuntimeError(
                    f"hidden{k} has inconsistent hidden_size: got {s.shape[1]}, expected "
                    f"{self.hidden_size}"
                )
        return input, states, is_batched


class RNNCell(RNNCellBase):
    """One Elman step: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or ReLU).

    Shape: input ``(N, H_in)`` or ``(H_in)``, hidden ``(N, H)`` or ``(H)`` (zeros if omitted);
    returns ``h'`` of hidden's shape.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, (hx,), is_batched = self._batched("RNNCell", input, (hx,), ("hidden",))
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        pre = ops.linear(input, self.weight_ih, self.bias_ih) + ops.linear(
            hx, self.weight_hh, self.bias_hh)
        h = _rnn_stack.rnn_step(pre, self.nonlinearity == "relu")
        return h if is_batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step (gates i, f, g, o): ``c' = f c + i g``, ``h' = o tanh(c')``.

    Shape: input ``(N, H_in)`` or ``(H_in)``; ``(h, c)`` each ``(N, H)`` or ``(H)`` (zeros if
    omitted); returns ``(h', c')``.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None):
        states = (None, None) if hx is None else tuple(hx)
        input, (h, c), is_batched = self._batched("LSTMCell", input, states,
                                                  ("hx[0]", "hx[1]"))
        gates = ops.linear(input, self.weight_ih, self.bias_ih) + ops.linear(
            h, self.weight_hh, self.bias_hh)
        h, c = _rnn_stack.lstm_step(gates, c, None)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step (gates r, z, n): ``n = tanh(W_in x + b_in + r (W_hn h + b_hn))``,
    ``h' = (1 - z) n + z h``.

    Shape: input ``(N, H_in)`` or ``(H_in)``, hidden ``(N, H)`` or ``(H)`` (zeros if omitted);
    returns ``h'``.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, (hx,), is_batched = self._batched("GRUCell", input, (hx,), ("hidden",))
        h = _rnn_stack.gru_step(ops.linear(input, self.weight_ih, self.bias_ih),
                                ops.linear(hx, self.weight_hh, self.bias_hh), hx)
        return h if is_batched else h.squeeze(0)
