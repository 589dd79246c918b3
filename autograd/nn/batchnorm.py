"""Batch normalisation: each feature rescaled by the statistics of the batch it is in.

In training mode every feature j of a batch of N rows is normalised by the
batch's own mean and variance, then scaled and shifted by two parameters::

    mean_j = Σₙ xₙⱼ / N
    var_j  = Σₙ (xₙⱼ − mean_j)² / N              (biased: divided by N)
    yₙⱼ    = γⱼ · (xₙⱼ − mean_j) / √(var_j + eps) + βⱼ

The mean and the variance are nodes of the graph, computed from every row, so
each row's gradient also flows through them to every other row of the batch.
In evaluation mode the running averages kept during training replace them.
"""

from __future__ import annotations

import math
from typing import Any

from autograd.engine import Value
from autograd.nn.module import Module, Nested, NestedValues, check_shape, positive_int


def _total(values: list[Any]) -> Any:
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _sqrt(x: Value | float) -> Value | float:
    return x.sqrt() if isinstance(x, Value) else math.sqrt(x)


class BatchNorm1d(Module):
    """``torch.nn.BatchNorm1d`` on a batch: a list of N rows of `num_features` numbers each.

    Training mode normalises with the batch's mean and biased variance and
    updates the running statistics as PyTorch does, with the *unbiased*
    variance: ``running = (1 − momentum)·running + momentum·batch_statistic``.
    Evaluation mode normalises with the running statistics instead, so a
    batch of one example works there.

    Parameters (PyTorch's names): ``weight`` γ, starting at 1, and ``bias`` β,
    starting at 0. Buffers: ``running_mean``, ``running_var`` and
    ``num_batches_tracked``. Labels: ``bn.f2.gamma``, ``bn.f2.mean``,
    ``bn.f2.var`` and ``bn.f2.out5`` (feature 2 of row 5).
    """

    kind = "bn"

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, *, name: str = "bn") -> None:
        self.num_features = positive_int(num_features, "BatchNorm1d: num_features")
        if not eps > 0:
            raise ValueError(f"BatchNorm1d: eps must be > 0, got {eps}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"BatchNorm1d: momentum must be between 0 and 1, got {momentum}")
        self.eps = eps
        self.momentum = momentum
        self.weight = [Value(1.0) for _ in range(self.num_features)]
        self.bias = [Value(0.0) for _ in range(self.num_features)]
        self.running_mean = [0.0] * self.num_features
        self.running_var = [1.0] * self.num_features
        self.num_batches_tracked = 0
        self.rename(name)

    def _relabel(self) -> None:
        for j, (gamma, beta) in enumerate(zip(self.weight, self.bias)):
            gamma.label, beta.label = f"{self.name}.f{j}.gamma", f"{self.name}.f{j}.beta"

    def _own_parameters(self) -> dict[str, NestedValues]:
        return {"weight": self.weight, "bias": self.bias}  # type: ignore[dict-item]

    def weights(self) -> list[Value]:
        """None: γ and β scale and shift, and penalising them is not what L1 and L2 are for."""
        return []

    def _own_buffers(self) -> dict[str, Any]:
        return {
            "running_mean": list(self.running_mean),
            "running_var": list(self.running_var),
            "num_batches_tracked": self.num_batches_tracked,
        }

    def _set_buffer(self, name: str, value: Any) -> None:
        setattr(self, name, int(value) if name == "num_batches_tracked" else list(value))

    def __call__(self, batch: Nested) -> list[list[Value]]:
        size, _ = check_shape(batch, [None, self.num_features], f"{self.name}: the batch [N][num_features]")
        if self.training and size < 2:
            raise ValueError(f"{self.name}: training needs a batch of more than one row for a variance, got {size}")
        rows: list[list[Value]] = [[] for _ in range(size)]
        for j in range(self.num_features):
            feature = [row[j] for row in batch]
            if self.training:
                mean = _total(feature) / size
                var = _total([(x - mean) ** 2 for x in feature]) / size
                for node, what in ((mean, "mean"), (var, "var")):
                    if isinstance(node, Value):
                        node.label = f"{self.name}.f{j}.{what}"
                self._update_running(j, mean, var, size)
            else:
                mean, var = self.running_mean[j], self.running_var[j]
            std = _sqrt(var + self.eps)
            for n, x in enumerate(feature):
                y = self.weight[j] * ((x - mean) / std) + self.bias[j]
                y.label = f"{self.name}.f{j}.out{n}"
                rows[n].append(y)
        if self.training:
            self.num_batches_tracked += 1
        return rows

    def _update_running(self, j: int, mean: Value | float, var: Value | float, size: int) -> None:
        """PyTorch's running statistics: an average with weight `momentum` on this batch, unbiased variance."""
        batch_mean = mean.data if isinstance(mean, Value) else mean
        unbiased_var = (var.data if isinstance(var, Value) else var) * size / (size - 1)
        self.running_mean[j] = (1 - self.momentum) * self.running_mean[j] + self.momentum * batch_mean
        self.running_var[j] = (1 - self.momentum) * self.running_var[j] + self.momentum * unbiased_var

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum})"
