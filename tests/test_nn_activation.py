"""autograd.nn.activation: ReLU, Tanh and Sigmoid modules against torch.nn, on inputs of any shape."""

from __future__ import annotations

from typing import Any

import pytest
from oracle import assert_same_forward_and_backward, random_values, to_tensor

from autograd import Value
from autograd.nn import ReLU, Sigmoid, Tanh


@pytest.mark.parametrize("module", [ReLU, Tanh, Sigmoid])
@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 2, 3)])
def test_activations_match_pytorch_elementwise(torch: Any, module: type, shape: tuple[int, ...]) -> None:
    x = random_values(shape, seed=0)
    x_tensor = to_tensor(torch, x)
    out, expected = module()(x), getattr(torch.nn, module.__name__)()(x_tensor)
    assert_same_forward_and_backward(torch, out, expected, x, x_tensor)


def test_plain_numbers_become_values() -> None:
    out = ReLU()([[-1.0, 2]])
    assert isinstance(out[0][0], Value) and [v.data for v in out[0]] == [0.0, 2.0]
