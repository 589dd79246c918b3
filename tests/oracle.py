"""Helpers for comparing a module with its torch.nn twin: same weights in, same numbers and gradients out."""

from __future__ import annotations

import random
from typing import Any

from autograd import Value
from autograd.nn import Module
from autograd.nn.module import flatten, map_nested

TOLERANCE = 1e-10


def random_values(shape: tuple[int, ...], seed: int) -> Any:
    """Nested lists of Values of `shape`, drawn from U(−2, 2)."""
    rng = random.Random(seed)

    def make(dims: tuple[int, ...]) -> Any:
        if not dims:
            return Value(rng.uniform(-2, 2))
        return [make(dims[1:]) for _ in range(dims[0])]

    return make(shape)


def to_tensor(torch: Any, nested: Any) -> Any:
    """A float64 leaf tensor holding the numbers of nested Values, ready to take a gradient."""
    return torch.tensor(map_nested(lambda v: v.data, nested), dtype=torch.float64, requires_grad=True)


def copy_weights(torch: Any, ours: Module, theirs: Any) -> None:
    """Load our state dict into the torch module: the names and shapes must be PyTorch's."""
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    theirs.double()


def weighted_sum(torch: Any, ours: Any, theirs: Any, seed: int = 99) -> tuple[Value, Any]:
    """Σ cₖ·outₖ with random coefficients on both sides, so every output gets its own upstream gradient."""
    outputs = flatten(ours)
    rng = random.Random(seed)
    coefficients = [rng.uniform(-1, 1) for _ in outputs]
    total = outputs[0] * coefficients[0]
    for v, c in zip(outputs[1:], coefficients[1:]):
        total = total + v * c
    return total, (theirs.reshape(-1) * torch.tensor(coefficients)).sum()


def assert_same(ours: Any, theirs: Any, what: str) -> None:
    """Numbers (Values, floats or nested lists of them) equal to a tensor's to 1e-10."""
    numbers = [v.data if isinstance(v, Value) else v for v in flatten(ours)]
    expected = theirs.reshape(-1).tolist()
    assert len(numbers) == len(expected), f"{what}: {len(numbers)} numbers, PyTorch has {len(expected)}"
    worst = max((abs(a - b) for a, b in zip(numbers, expected)), default=0.0)
    assert worst <= TOLERANCE * max(1.0, *(abs(b) for b in expected)), f"{what}: off by {worst:.3g}"


def assert_same_grads(ours: Any, theirs: Any, what: str) -> None:
    """The gradients of nested Values equal to a tensor's gradient."""
    assert theirs.grad is not None, f"{what}: PyTorch computed no gradient"
    assert_same([v.grad for v in flatten(ours)], theirs.grad, f"{what} gradient")


def assert_same_parameter_grads(ours: Module, theirs: Any) -> None:
    """Every named parameter's gradient equal to the torch module's parameter of the same name."""
    torch_parameters = dict(theirs.named_parameters())
    names = [name for name, _ in ours.named_parameters()]
    assert sorted(names) == sorted(torch_parameters), "parameter names differ from PyTorch's"
    for name, values in ours.named_parameters():
        assert_same_grads(values, torch_parameters[name], name)


def assert_same_forward_and_backward(
    torch: Any,
    out: Any,
    expected: Any,
    inputs: Any,
    input_tensor: Any,
    *,
    what: str = "input",
    modules: tuple[Module, Any] | None = None,
    seed: int = 99,
) -> None:
    """The outputs equal; then one weighted sum of them differentiated on both sides, and the
    inputs' gradients equal, and every parameter's when `modules` (ours, theirs) are given."""
    assert_same(out, expected, "output")
    loss, expected_loss = weighted_sum(torch, out, expected, seed=seed)
    loss.backward()
    expected_loss.backward()
    assert_same_grads(inputs, input_tensor, what)
    if modules is not None:
        assert_same_parameter_grads(*modules)
