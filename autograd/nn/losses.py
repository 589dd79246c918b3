"""Losses, and the L1 and L2 penalties.

Each loss takes one prediction and target, or equally long sequences of them
(then the mean). Predictions may be Values or plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from numbers import Integral, Real

from autograd.engine import Number, Value
from autograd.nn.module import Module


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


def _class_index(target: object, classes: int) -> int:
    """`target` as a class index: an int (numpy's too), or a float with a whole value such as 1.0."""
    whole = isinstance(target, Integral) or (isinstance(target, Real) and float(target).is_integer())
    if isinstance(target, bool) or not whole:
        raise TypeError(f"cross_entropy: a target is a class index (an int), got {type(target).__name__}: {target!r}")
    index = int(target)  # type: ignore[call-overload]
    if not 0 <= index < classes:
        raise ValueError(f"cross_entropy: target {index} is not a class index for {classes} logits")
    return index


def _cross_entropy_one(logits: Sequence[Value | Number], target: int) -> Value:
    index = _class_index(target, len(logits))
    values = [_as_value(logit) for logit in logits]
    # log Σ exp(lᵢ) = m + log Σ exp(lᵢ − m) with m the largest logit (a constant):
    # no exp overflows, so logits of 1000 still give a finite loss and gradients.
    m = max(v.data for v in values)
    shifted = _total([(v - m).exp() for v in values])
    return shifted.log() + m - values[index]


def cross_entropy(logits: Sequence[Value] | Sequence[Sequence[Value]], target: int | Sequence[int]) -> Value:
    """Softmax cross-entropy ``log Σⱼ exp(lⱼ) − l_target`` for one example, or the mean over a batch.

    A target is a class index, 0 to len(logits) − 1; a float with a whole value (``1.0``) counts as that
    index, and a bool is refused.
    """
    if len(logits) == 0:
        raise ValueError("cross_entropy: no logits")
    if isinstance(logits[0], Sequence):
        return _batched("cross_entropy", _cross_entropy_one, logits, target)  # type: ignore[arg-type]
    return _cross_entropy_one(logits, target)  # type: ignore[arg-type]


def _weights(model: Module | Iterable[Value]) -> list[Value]:
    return model.weights() if isinstance(model, Module) else list(model)


def _penalty(model: Module | Iterable[Value], lam: float, term: Callable[[Value], Value]) -> Value:
    """``λ·Σ term(w)`` over the weights; 0 for a model without weights (a dropout, a pooling)."""
    terms = [term(w) for w in _weights(model)]
    return lam * _total(terms) if terms else Value(0.0)


def l1_penalty(model: Module | Iterable[Value], lam: float) -> Value:
    """``λ·Σ|w|`` over the weights (biases are not penalised): pushes weights to exactly 0."""
    return _penalty(model, lam, abs)


def l2_penalty(model: Module | Iterable[Value], lam: float) -> Value:
    """``λ·Σw²`` over the weights (biases are not penalised): its gradient 2λw decays weights."""
    return _penalty(model, lam, lambda w: w * w)
