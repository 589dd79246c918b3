"""The chains of one operation, or of the common ones mixed, that `run.py` times and `instructions.py` counts.

Kept apart from `run.py` so that counting instructions does not import PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import micrograd.engine


def _lecture_tanh(self: Any) -> Any:
    """The lecture's tanh for micrograd's Value (micrograd 0.1.0 has none): its extension style."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = micrograd.engine.Value(t, (self,), "tanh")

    def _backward() -> None:
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def _lecture_exp(self: Any) -> Any:
    """The lecture's exp for micrograd's Value."""
    out = micrograd.engine.Value(math.exp(self.data), (self,), "exp")

    def _backward() -> None:
        self.grad += out.data * out.grad

    out._backward = _backward
    return out


micrograd.engine.Value.tanh = _lecture_tanh
micrograd.engine.Value.exp = _lecture_exp

Step = Callable[[Any, Any], Any]
OPERATION_STEPS: dict[str, Step] = {
    "Value × Value": lambda y, a: y * a,
    "+ number": lambda y, a: y + 0.5,
    "× number": lambda y, a: y * 0.5,
    "** number": lambda y, a: y**2,
    "relu": lambda y, a: y.relu(),
    "tanh": lambda y, a: y.tanh(),
    "exp": lambda y, a: y.exp(),
}
MIXED = ["Value × Value", "+ number", "** number", "relu", "tanh", "exp", "× number"]
"""The mixed chain cycles through these; its numbers stay between 0 and about 4, so exp never overflows."""
CHAINS: dict[str, list[Step]] = {
    **{name: [step] for name, step in OPERATION_STEPS.items() if name != "exp"},  # exp on its own overflows
    "mixed: " + ", ".join(MIXED): [OPERATION_STEPS[name] for name in MIXED],
}


def operation_chain(value: Callable[[float], Any], steps: list[Step], operations: int) -> tuple[Any, Any]:
    x, a = value(0.3), value(0.999)
    y = x
    for i in range(operations):
        y = steps[i % len(steps)](y, a)
    return x, y


