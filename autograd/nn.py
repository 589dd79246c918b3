"""Neural networks built on `Value`: micrograd's Neuron, Layer and MLP, dropout, and losses.

The structure and defaults are micrograd's (ReLU hidden layers, a linear last
layer, weights drawn from U(-1, 1), biases 0), so micrograd code runs with only
its import changed. Parameters are labelled with dotted paths
(``layer0.neuron3.w1``) and each neuron's output ``layer0.neuron3.out``, which
is how a drawing groups a network's nodes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from autograd.engine import Number, Value, linear

Activation = Callable[[Value], Value]
Input = Sequence[Value | Number]


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

INITIALISATIONS = ("uniform", "xavier", "he")


def _activation(activation: str | Activation) -> Activation:
    if callable(activation):
        return activation
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}, or a callable")
    return ACTIVATIONS[activation]


class RandomSource(Protocol):
    """What initialisation and dropout draw from: a `random.Random`, or the `random` module."""

    def uniform(self, a: float, b: float) -> float: ...
    def gauss(self, mu: float, sigma: float) -> float: ...
    def random(self) -> float: ...


Seed = int | RandomSource | None


def _rng(seed: Seed) -> RandomSource:
    """A seeded generator, or Python's global one when no seed is given (as micrograd draws)."""
    if seed is None:
        return random
    return random.Random(seed) if isinstance(seed, int) else seed


def initial_weight(init: str, fan_in: int, fan_out: int, rng: RandomSource) -> float:
    """One weight drawn by an initialisation scheme.

    - ``uniform``: U(-1, 1), micrograd's choice;
    - ``xavier`` (Glorot): U(-a, a) with a = √(6 / (fan_in + fan_out)), keeps the
      variance of activations steady through tanh and sigmoid layers;
    - ``he``: N(0, √(2 / fan_in)), the same for ReLU layers, which zero half their inputs.
    """
    if init == "uniform":
        return rng.uniform(-1, 1)
    if init == "xavier":
        bound = math.sqrt(6 / (fan_in + fan_out))
        return rng.uniform(-bound, bound)
    if init == "he":
        return rng.gauss(0.0, math.sqrt(2 / fan_in))
    raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITIALISATIONS)}")


class Module:
    """Base class: parameters, gradients and the train/eval mode of a model and its parts.

    Sub-modules are found among the attributes (directly or in lists), as in PyTorch.
    """

    training = True

    def children(self) -> list[Module]:
        """The modules this one is made of."""
        found: list[Module] = []
        for attribute in vars(self).values():
            if isinstance(attribute, Module):
                found.append(attribute)
            elif isinstance(attribute, list | tuple):
                found.extend(item for item in attribute if isinstance(item, Module))
        return found

    def parameters(self) -> list[Value]:
        """Every trainable Value, in a fixed order."""
        return [p for child in self.children() for p in child.parameters()]

    def weights(self) -> list[Value]:
        """The parameters without the biases: what L1 and L2 penalties act on."""
        return [w for child in self.children() for w in child.weights()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients add up across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True) -> Module:
        """Switch to training mode (dropout active), or evaluation mode with ``mode=False``."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (dropout off)."""
        return self.train(False)


class Neuron(Module):
    """``activation(b + Σ wᵢ·xᵢ)``: one unit with `nin` weights and a bias.

    ``fused=True`` computes the weighted sum as one `linear` node (fast, a small
    graph); ``fused=False`` builds it from ``*`` and ``+`` nodes, so a drawing
    shows every product. Both give the same numbers and gradients.
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str | Activation | None = None,
        init: str = "uniform",
        fan_out: int = 1,
        seed: Seed = None,
        fused: bool = True,
        name: str = "neuron",
    ) -> None:
        rng = _rng(seed)
        self.w = [Value(initial_weight(init, nin, fan_out, rng), f"{name}.w{k}") for k in range(nin)]
        self.b = Value(0.0, f"{name}.b")
        self.activation_name = activation if isinstance(activation, str) else "relu" if nonlin else "linear"
        self.activation = _activation(activation if activation is not None else self.activation_name)
        self.fused = fused
        self.name = name
        self._out_label = f"{name}.out"

    def __call__(self, x: Input) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"{self.name} expects {len(self.w)} inputs, got {len(x)}")
        if self.fused:
            weighted_sum = linear(self.w, x, self.b)
        else:
            weighted_sum = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        out = self.activation(weighted_sum)
        out.label = self._out_label
        return out

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def weights(self) -> list[Value]:
        return list(self.w)

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "elu": "ELU", "leaky_relu": "LeakyReLU"}.get(self.activation_name)
        return f"{kind or str(self.activation_name).capitalize()}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons reading the same inputs; a one-neuron layer returns a Value, not a list."""

    def __init__(self, nin: int, nout: int, *, name: str = "layer", seed: Seed = None, **kwargs: object) -> None:
        rng = _rng(seed)
        self.neurons = [
            Neuron(nin, fan_out=nout, seed=rng, name=f"{name}.neuron{j}", **kwargs)  # type: ignore[arg-type]
            for j in range(nout)
        ]

    def __call__(self, x: Input) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` has two hidden layers of 16 and one output.

    Hidden layers use `activation` (ReLU by default), the last one
    `output_activation` (linear by default), as in micrograd.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: str | Activation = "relu",
        output_activation: str | Activation = "linear",
        init: str = "uniform",
        seed: Seed = None,
        fused: bool = True,
    ) -> None:
        sizes = [nin, *nouts]
        rng = _rng(seed)
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation=output_activation if i == last else activation,
                init=init,
                seed=rng,
                fused=fused,
                name=f"layer{i}",
            )
            for i in range(len(nouts))
        ]
        self.nin = nin

    def __call__(self, x: Input) -> Value | list[Value]:
        if len(x) != self.nin:
            raise ValueError(f"MLP expects {self.nin} inputs, got {len(x)}")
        out: Value | list[Value] = list(x)  # type: ignore[arg-type]
        for layer in self.layers:
            out = layer(out if isinstance(out, list) else [out])
        return out

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


class Dropout(Module):
    """Zero each input with probability `p` while training, scaling the rest by 1/(1 − p).

    The scaling keeps each value's expected size, so evaluation (where dropout
    does nothing) needs no correction.
    """

    def __init__(self, p: float = 0.5, seed: Seed = None) -> None:
        if not 0 <= p < 1:
            raise ValueError(f"Dropout needs 0 <= p < 1, got p = {p}")
        self.p = p
        self.rng = _rng(seed)

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        if not self.training or self.p == 0:
            return list(x)
        keep = 1 / (1 - self.p)
        return [v * (keep if self.rng.random() >= self.p else 0.0) for v in x]

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


# ---- losses ---------------------------------------------------------------------------
# Each takes one prediction and target, or equally long sequences of them (then the mean).


def _total(values: Sequence[Value]) -> Value:
    """v₀ + v₁ + …, starting from the first value (Python's sum() would add a constant 0 node)."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _mean(losses: Sequence[Value]) -> Value:
    return _total(losses) / len(losses) if len(losses) > 1 else losses[0]


def _batched(name: str, loss: Callable[[Value, float], Value], prediction: object, target: object) -> Value:
    """`loss` of one prediction, or the mean of `loss` over equally long sequences."""
    if isinstance(prediction, Sequence):
        if not isinstance(target, Sequence) or len(target) != len(prediction):
            got = len(target) if isinstance(target, Sequence) else "one target"
            raise ValueError(f"{name}: {len(prediction)} predictions but {got}")
        if not prediction:
            raise ValueError(f"{name}: no predictions")
        return _mean([loss(p, t) for p, t in zip(prediction, target)])
    return loss(prediction, target)  # type: ignore[arg-type]


def _as_value(x: Value | Number) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _bce(p: Value, y: float) -> Value:
    # −y·log(a) − (1 − y)·log(1 − a), the lecture's L(a, y); a term whose
    # coefficient is 0 is left out, so a = 1 with y = 1 is not log(0).
    p = _as_value(p)
    terms = []
    if y != 0:
        terms.append(-y * p.log())
    if y != 1:
        terms.append(-(1 - y) * (1 - p).log())
    return _total(terms)


def binary_cross_entropy(p: Value | Sequence[Value], y: float | Sequence[float]) -> Value:
    """``−y·log(p) − (1 − y)·log(1 − p)`` for a probability p in (0, 1): the lecture's L(a, y)."""
    return _batched("binary_cross_entropy", _bce, p, y)


def _bce_logits(z: Value, y: float) -> Value:
    return _as_value(z).softplus() - y * z


def binary_cross_entropy_with_logits(z: Value | Sequence[Value], y: float | Sequence[float]) -> Value:
    """Binary cross-entropy of σ(z), as ``softplus(z) − y·z``: never log(0), whatever z."""
    return _batched("binary_cross_entropy_with_logits", _bce_logits, z, y)


def _squared_error(prediction: Value, target: float) -> Value:
    return (_as_value(prediction) - target) ** 2


def mse_loss(prediction: Value | Sequence[Value], target: float | Sequence[float]) -> Value:
    """Mean squared error ``(prediction − target)²``."""
    return _batched("mse_loss", _squared_error, prediction, target)


def _hinge(score: Value, y: float) -> Value:
    return (1 - y * _as_value(score)).relu()


def hinge_loss(score: Value | Sequence[Value], y: float | Sequence[float]) -> Value:
    """SVM hinge loss ``relu(1 − y·score)`` for labels y in {−1, +1} (micrograd's demo)."""
    return _batched("hinge_loss", _hinge, score, y)


def _cross_entropy_one(logits: Sequence[Value], target: int) -> Value:
    if not 0 <= target < len(logits):
        raise ValueError(f"cross_entropy: target {target} is not a class index for {len(logits)} logits")
    # log Σ exp(lᵢ) = m + log Σ exp(lᵢ − m) with m the largest logit (a constant):
    # no exp overflows, so logits of 1000 still give a finite loss and gradients.
    m = max(_as_value(logit).data for logit in logits)
    shifted = _total([(logit - m).exp() for logit in logits])
    return shifted.log() + m - logits[target]


def cross_entropy(logits: Sequence[Value] | Sequence[Sequence[Value]], target: int | Sequence[int]) -> Value:
    """Softmax cross-entropy ``log Σⱼ exp(lⱼ) − l_target`` for one example, or the mean over a batch."""
    if logits and isinstance(logits[0], Sequence):
        return _batched("cross_entropy", _cross_entropy_one, logits, target)  # type: ignore[arg-type]
    return _cross_entropy_one(logits, target)  # type: ignore[arg-type]


def _weights(model: Module | Iterable[Value]) -> list[Value]:
    return model.weights() if isinstance(model, Module) else list(model)


def l1_penalty(model: Module | Iterable[Value], lam: float) -> Value:
    """``λ·Σ|w|`` over the weights (biases are not penalised): pushes weights to exactly 0."""
    return lam * _total([abs(w) for w in _weights(model)])


def l2_penalty(model: Module | Iterable[Value], lam: float) -> Value:
    """``λ·Σw²`` over the weights (biases are not penalised): its gradient 2λw decays weights."""
    return lam * _total([w * w for w in _weights(model)])
