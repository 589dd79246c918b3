"""Optimizers: turn the gradients `backward()` left in ``p.grad`` into changes of ``p.data``.

Shaped like ``torch.optim``, with PyTorch's defaults and update formulas. A
training step has two separate parts, and an optimizer is only the second::

    optimizer.zero_grad()
    loss.backward()     # backpropagation: computes every p.grad, changes no parameter
    optimizer.step()    # the optimizer: changes every p.data, computes no gradient

The learning rate is a plain attribute, so decaying it by hand works:
``optimizer.lr = 1.0 - 0.9 * k / 100``.

Options are checked as PyTorch checks them: a negative or NaN ``lr``,
``momentum``, ``weight_decay`` or ``eps``, or ``betas`` outside [0, 1), is a
ValueError naming the option and its value. Two checks go further than
PyTorch: NaN is refused by `SGD` too, and RMSprop's ``alpha`` must be in
[0, 1) like Adam's ``betas`` (PyTorch lets alpha ≥ 1 through, where the
average of squared gradients never moves or goes negative). ``eps = 0`` is
allowed, and a parameter whose gradients have all been 0 then stays where it
is (PyTorch would make it NaN by dividing 0 by 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd.engine import Value


class Optimizer:
    """What every optimizer shares: its parameters, `zero_grad()`, and `step()`.

    A subclass only says how far one parameter moves for a given gradient, in
    `change()`; it keeps any per-parameter memory (momentum, running averages)
    in lists indexed like `params`.
    """

    def __init__(self, params: Iterable[Value], lr: float, weight_decay: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got no parameters")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"optimizer parameters must be Values, got {type(p).__name__}: {p!r}")
        if len(set(self.params)) != len(self.params):
            raise ValueError("a parameter appears more than once, so each step would move it twice")
        self._check("lr", lr)
        self._check("weight_decay", weight_decay)
        self.lr = lr
        self.weight_decay = weight_decay
        self.steps = 0  # how many times step() has run; Adam's bias correction needs it

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (backward() adds to what is there)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Move every parameter once, using the gradient it holds now."""
        self.steps += 1
        for i, p in enumerate(self.params):
            grad = p.grad
            if self.weight_decay:
                grad += self.weight_decay * p.data  # the gradient of an L2 penalty (λ/2)·p², as PyTorch does
            p.data -= self.change(i, grad)

    def change(self, i: int, grad: float) -> float:
        """How much to subtract from parameter `i`, whose gradient is `grad`."""
        raise NotImplementedError

    def _check(self, name: str, value: float, *, decay: bool = False) -> None:
        """Refuse an option below 0 or NaN, or a decay rate outside [0, 1), naming it and its value."""
        if decay and not 0 <= value < 1:
            raise ValueError(f"{type(self).__name__}: {name} must be in [0, 1), got {name} = {value}")
        if not value >= 0:
            raise ValueError(f"{type(self).__name__}: {name} must be >= 0, got {name} = {value}")

    def _divide(self, i: int, numerator: float, square_average: float, eps: float) -> float:
        """``numerator / (√square_average + eps)``: how Adagrad, RMSprop and Adam scale a step.

        With eps = 0 a parameter whose gradients have all been 0 would divide
        0 by 0; it takes no step instead. Anything else over 0 (only Adam with
        betas[1] = 0 gets there) would be an infinite step, and is refused.
        """
        if numerator == 0:
            return 0.0
        denominator = math.sqrt(square_average) + eps
        if denominator == 0:
            raise ValueError(
                f"{type(self).__name__}: parameter {i}'s step divides {numerator:g} by zero "
                "(its average of squared gradients is 0, and eps = 0): use eps > 0"
            )
        return numerator / denominator


class SGD(Optimizer):
    """Stochastic gradient descent: ``p -= lr·g``, optionally with momentum.

    With momentum the step follows a velocity ``v = momentum·v + g`` instead of
    ``g`` alone, so directions the gradient keeps pointing in speed up.
    Nesterov momentum steps by ``g + momentum·v``: a look at where the velocity
    is about to carry the parameter.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        *,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._check("momentum", momentum)
        if nesterov and momentum <= 0:
            raise ValueError(f"SGD: Nesterov momentum needs momentum > 0, got momentum = {momentum}")
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocity = [0.0] * len(self.params)

    def change(self, i: int, grad: float) -> float:
        if self.momentum:
            self.velocity[i] = self.momentum * self.velocity[i] + grad
            grad = grad + self.momentum * self.velocity[i] if self.nesterov else self.velocity[i]
        return self.lr * grad


class Adagrad(Optimizer):
    """Adagrad: each parameter's step is divided by the root of its summed squared gradients.

    Parameters with large gradients so far get smaller steps; the steps only
    ever shrink, which suits sparse gradients and stalls long runs.
    """

    def __init__(
        self, params: Iterable[Value], lr: float = 1e-2, *, weight_decay: float = 0.0, eps: float = 1e-10
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._check("eps", eps)
        self.eps = eps
        self.sum_of_squares = [0.0] * len(self.params)

    def change(self, i: int, grad: float) -> float:
        self.sum_of_squares[i] += grad * grad
        return self.lr * self._divide(i, grad, self.sum_of_squares[i], self.eps)


class RMSprop(Optimizer):
    """RMSprop: Adagrad with a running *average* of squared gradients, so steps can grow again.

    ``s = alpha·s + (1 − alpha)·g²`` and the step is ``lr·g / (√s + eps)``;
    with momentum, that step feeds a velocity as in SGD.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-2,
        *,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._check("alpha", alpha, decay=True)
        self._check("eps", eps)
        self._check("momentum", momentum)
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.square_average = [0.0] * len(self.params)
        self.velocity = [0.0] * len(self.params)

    def change(self, i: int, grad: float) -> float:
        self.square_average[i] = self.alpha * self.square_average[i] + (1 - self.alpha) * grad * grad
        scaled = self._divide(i, grad, self.square_average[i], self.eps)
        if self.momentum:
            self.velocity[i] = self.momentum * self.velocity[i] + scaled
            scaled = self.velocity[i]
        return self.lr * scaled


class Adam(Optimizer):
    """Adam: a running average of gradients (m) over the root of one of squared gradients (v).

    ``m = β₁·m + (1 − β₁)·g`` and ``v = β₂·v + (1 − β₂)·g²``. Both start at 0,
    so early averages are too small; dividing by ``1 − βᵗ`` after t steps
    corrects that bias. The step is ``lr·m̂ / (√v̂ + eps)``: about `lr` in
    size whatever the gradient's scale.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        *,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        if len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2), got betas = {betas}")
        for k, beta in enumerate(betas):
            self._check(f"betas[{k}]", beta, decay=True)
        self._check("eps", eps)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.mean = [0.0] * len(self.params)
        self.square_mean = [0.0] * len(self.params)

    def change(self, i: int, grad: float) -> float:
        self.mean[i] = self.beta1 * self.mean[i] + (1 - self.beta1) * grad
        self.square_mean[i] = self.beta2 * self.square_mean[i] + (1 - self.beta2) * grad * grad
        mean_corrected = self.mean[i] / (1 - self.beta1**self.steps)
        square_mean_corrected = self.square_mean[i] / (1 - self.beta2**self.steps)
        return self.lr * self._divide(i, mean_corrected, square_mean_corrected, self.eps)


def clip_grad_norm(params: Iterable[Value], max_norm: float) -> float:
    """Scale the gradients down so that their joint length is at most `max_norm`.

    The length is the Euclidean norm of all the gradients taken as one vector;
    scaling them together keeps its direction. A remedy for exploding
    gradients: call it between ``backward()`` and ``step()``. Returns the norm
    before clipping, as ``torch.nn.utils.clip_grad_norm_`` does.

    Like PyTorch: a NaN gradient makes the norm and every gradient NaN, and an
    infinite one scales the others to 0 (and itself to NaN). A negative or NaN
    `max_norm` is a ValueError (PyTorch would flip or poison the gradients).
    """
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm: max_norm must be >= 0, got max_norm = {max_norm}")
    params = list(params)
    grads = [p.grad for p in params]
    total_norm = math.nan if any(math.isnan(g) for g in grads) else math.hypot(*grads)  # hypot(inf, nan) is inf
    scale = max_norm / (total_norm + 1e-6)  # PyTorch's 1e-6 keeps a zero norm from dividing by 0
    if math.isnan(scale) or scale < 1:
        for p in params:
            p.grad *= scale
    return total_norm
