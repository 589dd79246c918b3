"""autograd.nn.dropout, and train/eval modes reaching every part of a model."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.nn import Dropout, Layer, Module, Neuron


def test_dropout_scales_kept_values_and_is_off_in_eval() -> None:
    dropout = Dropout(0.25, seed=0)
    xs = [Value(1.0) for _ in range(4000)]
    out = dropout(xs)
    kept = [v.data for v in out if v.data != 0]
    assert set(kept) == {1 / 0.75}
    assert len(kept) / len(xs) == pytest.approx(0.75, abs=0.03)
    dropout.eval()
    assert [v.data for v in dropout(xs)] == [1.0] * len(xs)


def test_modes_reach_every_submodule() -> None:
    class Net(Module):
        def __init__(self) -> None:
            self.hidden = Layer(2, 3, seed=0)
            self.drop = Dropout(0.5, seed=0)
            self.out = Neuron(3, nonlin=False, seed=0)

        def __call__(self, x: list[float]) -> Value:
            return self.out(self.drop(self.hidden(x)))  # type: ignore[arg-type]

    net = Net()
    assert len(net.parameters()) == 3 * 3 + 4
    net.eval()
    assert not net.drop.training and not net.hidden.neurons[0].training
    assert net([1.0, 2.0]).data == net([1.0, 2.0]).data
    net.train()
    assert net.drop.training


def test_dropout_refuses_a_probability_outside_0_to_1() -> None:
    with pytest.raises(ValueError, match=r"Dropout needs 0 <= p < 1, got p = 1.0"):
        Dropout(1.0)
