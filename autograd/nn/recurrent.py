"""Recurrent cells, one time step each: `RNNCell`, `LSTMCell` and `GRUCell`, with PyTorch's equations.

A cell maps an input ``x`` (``input_size`` numbers) and the previous hidden
state ``h`` (``hidden_size`` numbers, zeros when not given) to the next state.
Run it in a Python loop over a sequence and the loop unrolls into one graph:
backpropagation through time is the ordinary backward pass on that graph, and
the cell's weights, used at every step, collect one gradient per step.

Every pre-activation is ``W_ih·x + b_ih + W_hh·h + b_hh``, two fused `linear`
nodes added. The parameters have PyTorch's names and shapes: ``weight_ih``
``[gates·hidden_size][input_size]``, ``weight_hh`` ``[gates·hidden_size][hidden_size]``,
``bias_ih`` and ``bias_hh``, the gates' rows stacked in PyTorch's order. All
are drawn from U(−1/√hidden_size, 1/√hidden_size), PyTorch's default.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd.engine import Number, Value, linear
from autograd.nn.module import Module, NestedValues, Seed, _rng, check_shape, draw_uniform, positive_int

State = Sequence[Value | Number]


class _Cell(Module):
    """What the cells share: stacked gate weights, their labels, and input checks."""

    gates: tuple[str, ...]
    """The gates' names in PyTorch's order; each gate has `hidden_size` rows of the weights."""

    def __init__(self, input_size: int, hidden_size: int, seed: Seed, name: str) -> None:
        cell = type(self).__name__
        self.input_size = positive_int(input_size, f"{cell}: input_size")
        self.hidden_size = positive_int(hidden_size, f"{cell}: hidden_size")
        rows = len(self.gates) * self.hidden_size
        bound = 1 / math.sqrt(self.hidden_size)
        rng = _rng(seed)
        self.weight_ih = [[draw_uniform(bound, rng, "") for _ in range(self.input_size)] for _ in range(rows)]
        self.weight_hh = [[draw_uniform(bound, rng, "") for _ in range(self.hidden_size)] for _ in range(rows)]
        self.bias_ih = [draw_uniform(bound, rng, "") for _ in range(rows)]
        self.bias_hh = [draw_uniform(bound, rng, "") for _ in range(rows)]
        self.rename(name)

    def _relabel(self) -> None:
        """Row ``gate·hidden_size + j`` belongs to unit j of that gate: ``lstm.f2.w_hh0``, ``lstm.f2.b_ih``."""
        for row in range(len(self.weight_ih)):
            unit = f"{self.name}.{self.gates[row // self.hidden_size]}{row % self.hidden_size}"
            for k, w in enumerate(self.weight_ih[row]):
                w.label = f"{unit}.w_ih{k}"
            for k, w in enumerate(self.weight_hh[row]):
                w.label = f"{unit}.w_hh{k}"
            self.bias_ih[row].label = f"{unit}.b_ih"
            self.bias_hh[row].label = f"{unit}.b_hh"

    def _own_parameters(self) -> dict[str, NestedValues]:
        return {
            "weight_ih": self.weight_ih,  # type: ignore[dict-item]
            "weight_hh": self.weight_hh,  # type: ignore[dict-item]
            "bias_ih": self.bias_ih,  # type: ignore[dict-item]
            "bias_hh": self.bias_hh,  # type: ignore[dict-item]
        }

    def _check(self, x: State, h: State | None, what: str = "h") -> State:
        """The hidden state to use (zeros when None), after checking both sizes."""
        check_shape(x, [self.input_size], f"{self.name}: the input x")
        if h is None:
            return [0.0] * self.hidden_size
        check_shape(h, [self.hidden_size], f"{self.name}: the state {what}")
        return h

    def _pre_activation(self, gate: int, j: int, x: State, h: State) -> tuple[Value, Value]:
        """``W_ih·x + b_ih`` and ``W_hh·h + b_hh`` for unit j of a gate: two `linear` nodes."""
        row = gate * self.hidden_size + j
        from_input = linear(self.weight_ih[row], x, self.bias_ih[row])
        from_state = linear(self.weight_hh[row], h, self.bias_hh[row])
        return from_input, from_state

    def _gate_sum(self, gate: int, j: int, x: State, h: State) -> Value:
        """``W_ih·x + b_ih + W_hh·h + b_hh`` for unit j of a gate."""
        from_input, from_state = self._pre_activation(gate, j, x, h)
        return from_input + from_state

    def _label(self, values: list[Value], what: str) -> list[Value]:
        for j, v in enumerate(values):
            v.label = f"{self.name}.{what}{j}"
        return values

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.input_size}, {self.hidden_size})"


class RNNCell(_Cell):
    """``torch.nn.RNNCell``: ``h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh)`` (or ReLU).

    Going back one step multiplies the gradient by the activation's slope
    times ``W_hh``: over many steps it fades (or explodes).
    """

    kind = "rnn"
    gates = ("unit",)

    def __init__(
        self, input_size: int, hidden_size: int, nonlinearity: str = "tanh", *, seed: Seed = None, name: str = "rnn"
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, seed, name)

    def __call__(self, x: State, h: State | None = None) -> list[Value]:
        """The next hidden state, from the input and the previous state (zeros when None)."""
        h = self._check(x, h)
        new_h = []
        for j in range(self.hidden_size):
            z = self._gate_sum(0, j, x, h)
            new_h.append(z.tanh() if self.nonlinearity == "tanh" else z.relu())
        return self._label(new_h, "h")

    def __repr__(self) -> str:
        return f"RNNCell({self.input_size}, {self.hidden_size}, nonlinearity={self.nonlinearity!r})"


class LSTMCell(_Cell):
    """``torch.nn.LSTMCell``: returns ``(h', c')``; gates in PyTorch's order i, f, g, o::

        i = σ(…)   f = σ(…)   g = tanh(…)   o = σ(…)     (each … is W_ih·x + b_ih + W_hh·h + b_hh)
        c' = f·c + i·g
        h' = o·tanh(c')

    The cell state is updated by *addition*: going back one step along c
    multiplies the gradient by the forget gate f alone, so while f stays near 1
    the gradient travels many steps almost unchanged.
    """

    kind = "lstm"
    gates = ("i", "f", "g", "o")

    def __init__(self, input_size: int, hidden_size: int, *, seed: Seed = None, name: str = "lstm") -> None:
        super().__init__(input_size, hidden_size, seed, name)

    def __call__(self, x: State, state: tuple[State, State] | None = None) -> tuple[list[Value], list[Value]]:
        """``(h', c')`` from the input and ``(h, c)`` (zeros when None)."""
        h: State
        c: State
        if state is None:
            h, c = self._check(x, None), [0.0] * self.hidden_size
        else:
            h, c = self._check(x, state[0], "h"), self._check(x, state[1], "c")
        new_h, new_c = [], []
        for j in range(self.hidden_size):
            i = self._gate_sum(0, j, x, h).sigmoid()
            f = self._gate_sum(1, j, x, h).sigmoid()
            g = self._gate_sum(2, j, x, h).tanh()
            o = self._gate_sum(3, j, x, h).sigmoid()
            for gate, name in ((i, "i"), (f, "f"), (g, "g"), (o, "o")):
                gate.label = f"{self.name}.{name}{j}.out"
            new_c.append(f * c[j] + i * g)
            new_h.append(o * new_c[j].tanh())
        return self._label(new_h, "h"), self._label(new_c, "c")


class GRUCell(_Cell):
    """``torch.nn.GRUCell``: gates in PyTorch's order r, z, n::

        r = σ(W_ir·x + b_ir + W_hr·h + b_hr)
        z = σ(W_iz·x + b_iz + W_hz·h + b_hz)
        n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn))
        h' = (1 − z)·n + z·h

    ``h'`` is a mix of the new candidate n and the old state h: where the
    update gate z is near 1, h is kept and its gradient passes back almost unchanged.
    """

    kind = "gru"
    gates = ("r", "z", "n")

    def __init__(self, input_size: int, hidden_size: int, *, seed: Seed = None, name: str = "gru") -> None:
        super().__init__(input_size, hidden_size, seed, name)

    def __call__(self, x: State, h: State | None = None) -> list[Value]:
        """The next hidden state, from the input and the previous state (zeros when None)."""
        h = self._check(x, h)
        new_h = []
        for j in range(self.hidden_size):
            r = self._gate_sum(0, j, x, h).sigmoid()
            z = self._gate_sum(1, j, x, h).sigmoid()
            from_input, from_state = self._pre_activation(2, j, x, h)
            n = (from_input + r * from_state).tanh()
            for gate, name in ((r, "r"), (z, "z"), (n, "n")):
                gate.label = f"{self.name}.{name}{j}.out"
            new_h.append((1 - z) * n + z * h[j])
        return self._label(new_h, "h")
