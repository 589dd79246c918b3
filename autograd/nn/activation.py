"""Activation functions by name, and as modules (`ReLU`, `Tanh`, `Sigmoid`) to put in a `Sequential`."""

from __future__ import annotations

from collections.abc import Callable

from autograd.engine import Value
from autograd.nn.module import Module, Nested, map_nested

Activation = Callable[[Value], Value]


def _identity(v: Value) -> Value:
    return v


ACTIVATIONS: dict[str, Activation] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,
    "elu": Value.elu,
    "linear": _identity,
}


def activation_function(activation: str | Activation) -> Activation:
    """The function an activation name stands for (a callable is returned as it is)."""
    if callable(activation):
        return activation
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}, or a callable")
    return ACTIVATIONS[activation]


def activation_name(activation: str | Activation) -> str:
    """The name of an activation: its key in `ACTIVATIONS`, else the callable's own name."""
    if isinstance(activation, str):
        return activation
    for name, function in ACTIVATIONS.items():
        if function is activation:
            return name
    return getattr(activation, "__name__", type(activation).__name__)


def _as_value(x: Value | float) -> Value:
    return x if isinstance(x, Value) else Value(x)


class _Elementwise(Module):
    """An activation applied to every number of its input, whatever the input's shape."""

    function: Activation

    def __init__(self, name: str | None = None) -> None:
        self.name = name or self.kind

    def __call__(self, x: Nested) -> Nested:
        return map_nested(lambda v: type(self).function(_as_value(v)), x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """``max(0, x)`` for every number of the input, like ``torch.nn.ReLU``."""

    kind = "relu"
    function = Value.relu


class Tanh(_Elementwise):
    """``tanh(x)`` for every number of the input, like ``torch.nn.Tanh``."""

    kind = "tanh"
    function = Value.tanh


class Sigmoid(_Elementwise):
    """``σ(x) = 1 / (1 + e^−x)`` for every number of the input, like ``torch.nn.Sigmoid``."""

    kind = "sigmoid"
    function = Value.sigmoid
