"""Dropout: a regulariser that is active only in training mode."""

from __future__ import annotations

from collections.abc import Sequence

from autograd.engine import Value
from autograd.nn.module import Module, Seed, _rng


class Dropout(Module):
    """Zero each input with probability `p` while training, scaling the rest by 1/(1 − p).

    The scaling keeps each value's expected size, so evaluation (where dropout
    does nothing) needs no correction.
    """

    kind = "dropout"

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
