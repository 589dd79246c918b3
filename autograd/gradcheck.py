"""Gradient experiments: check `backward()` against central finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.engine import Number, Value, grad, no_grad
from autograd.functional import leaves
from autograd.i18n import _

Function = Callable[..., Value | Number]


def _evaluate(f: Function, numbers: Sequence[float]) -> float:
    with no_grad():
        out = f(*(Value(x) for x in numbers))
    return out.data if isinstance(out, Value) else float(out)


def _check_step(eps: float) -> None:
    if not 0 < eps < math.inf:
        raise ValueError(f"eps must be a positive finite step, got eps = {eps}")


def numerical_grad(f: Function, inputs: Sequence[Value | Number], eps: float = 1e-6) -> list[float]:
    """d f / d input for each input, by central differences: (f(x+ε) − f(x−ε)) / 2ε.

    `f` takes one Value per input and returns a Value. The step `eps` must be
    a positive finite number.
    """
    _check_step(eps)
    numbers = [leaf.data for leaf in leaves(inputs)]
    grads = []
    for i in range(len(numbers)):
        up, down = list(numbers), list(numbers)
        up[i] += eps
        down[i] -= eps
        grads.append((_evaluate(f, up) - _evaluate(f, down)) / (2 * eps))
    return grads


@dataclass(frozen=True)
class GradcheckResult:
    """Analytic against numeric gradients, and where they differ most. True when they agree."""

    analytic: list[float]
    numeric: list[float]
    worst_input: int
    worst_error: float
    passed: bool

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if not self.analytic:
            return _("gradcheck passed: no inputs") if self.passed else _("gradcheck FAILED: no inputs")
        i = self.worst_input
        words = (
            _("gradcheck passed: worst mismatch at input {input}: analytic {analytic}, numeric {numeric}, "
              "|difference| {difference}")
            if self.passed
            else _("gradcheck FAILED: worst mismatch at input {input}: analytic {analytic}, numeric {numeric}, "
                   "|difference| {difference}")
        )  # fmt: skip
        analytic, numeric = repr(self.analytic[i]), repr(self.numeric[i])
        return words.format(input=i, analytic=analytic, numeric=numeric, difference=f"{self.worst_error:.3g}")


def gradcheck(
    f: Function,
    inputs: Sequence[Value | Number],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> GradcheckResult:
    """Compare `backward()` with central differences for each input of `f`.

    An input passes when ``|analytic − numeric| <= atol + rtol·|numeric|``
    (PyTorch's defaults). The result is truthy when every input passes, and
    names the input where the two differ most; a NaN on either side never
    passes and counts as the largest difference.
    """
    _check_step(eps)
    for name, tolerance in (("atol", atol), ("rtol", rtol)):
        if not tolerance >= 0:
            raise ValueError(f"{name} must be >= 0, got {name} = {tolerance}")
    xs = leaves(inputs)
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    analytic = grad(out, xs)  # the backward pass, leaving every .grad as it was (Values f uses from outside too)
    numeric = numerical_grad(f, xs, eps)
    errors = [abs(a - n) for a, n in zip(analytic, numeric)]
    passed = all(e <= atol + rtol * abs(n) for e, n in zip(errors, numeric))
    # max() would skip a NaN that is not first: rank NaN above every number
    worst = max(range(len(errors)), key=lambda i: math.inf if math.isnan(errors[i]) else errors[i], default=0)
    return GradcheckResult(analytic, numeric, worst, errors[worst] if errors else 0.0, passed)
