"""autograd.functional: Hessians and Hessian-vector products, from two passes of grad()."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import OPERATIONS, Value, grad, hessian, hvp


def numerical_hessian(f: Callable[..., Value], xs: list[float], eps: float = 1e-5) -> list[list[float]]:
    """Central differences of the exact gradient: row i is (∇f(x + ε·eᵢ) − ∇f(x − ε·eᵢ)) / 2ε."""

    def gradient(point: list[float]) -> list[float]:
        leaves = [Value(x) for x in point]
        return grad(f(*leaves), leaves)

    rows = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += eps
        down[i] -= eps
        rows.append([(a - b) / (2 * eps) for a, b in zip(gradient(up), gradient(down))])
    return rows


def test_hessian_of_a_quadratic_form_is_its_matrix() -> None:
    # f = x² + 3xy + 2y², whose Hessian is [[2, 3], [3, 4]] everywhere
    assert hessian(lambda x, y: x * x + 3 * x * y + 2 * y * y, [1.5, -0.5]) == [[2.0, 3.0], [3.0, 4.0]]


def test_hessian_of_the_lecture_loss_matches_its_closed_form() -> None:
    # logistic regression on one example: L = −log σ(w·x + b) for y = 1, so
    # ∂²L/∂wᵢ∂wⱼ = a(1 − a)·xᵢxⱼ with a = σ(w·x + b)
    x = [0.5, -1.2]

    def loss(w1: Value, w2: Value, b: Value) -> Value:
        return -(w1 * x[0] + w2 * x[1] + b).sigmoid().log()

    w = [0.3, 0.8, 0.1]
    a = 1 / (1 + math.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))
    features = [*x, 1.0]
    expected = [[a * (1 - a) * fi * fj for fj in features] for fi in features]
    for row, expected_row in zip(hessian(loss, w), expected):
        assert row == pytest.approx(expected_row, rel=1e-12)


def test_hessian_matches_pytorch(torch: Any) -> None:
    def f(a: Any, b: Any, c: Any) -> Any:
        return (a * b).tanh() * c.exp() + (a / (1 + b * b)).sin() + (c**3) * a

    xs = [0.4, -0.7, 0.2]
    expected = torch.autograd.functional.hessian(lambda t: f(t[0], t[1], t[2]), torch.tensor(xs))
    for row, expected_row in zip(hessian(f, xs), expected.tolist()):
        assert row == pytest.approx(expected_row, rel=1e-10, abs=1e-12)


SMOOTH_UNARY = ["tanh", "sigmoid", "sin", "cos", "exp", "softplus", "neg"]


@st.composite
def smooth_functions(draw: st.DrawFn) -> tuple[list[float], Callable[..., Value]]:
    xs = draw(st.lists(st.floats(-1.2, 1.2), min_size=1, max_size=3))
    steps = draw(st.lists(st.tuples(st.sampled_from(["+", "-", "*", *SMOOTH_UNARY]), st.integers(0, 50),
                                    st.integers(0, 50)), min_size=1, max_size=8))  # fmt: skip

    def f(*values: Value) -> Value:
        nodes = list(values)
        for name, i, j in steps:
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            nodes.append(OPERATIONS[name](a) if name in SMOOTH_UNARY else OPERATIONS[name](a, b))
        return sum(nodes[len(values) :], nodes[0] * nodes[-1])  # every variable reaches the output twice

    return xs, f


@settings(max_examples=60, deadline=None)
@given(smooth_functions())
def test_hessian_matches_finite_differences_of_grad(case: tuple[list[float], Callable[..., Value]]) -> None:
    xs, f = case
    assume(abs(f(*(Value(x) for x in xs)).data) < 1e4)
    exact, numeric = hessian(f, xs), numerical_hessian(f, xs)
    for row, numeric_row in zip(exact, numeric):
        assert row == pytest.approx(numeric_row, rel=1e-4, abs=1e-5)
    for row, column in zip(exact, zip(*exact)):  # symmetric
        assert row == pytest.approx(list(column), rel=1e-9, abs=1e-12)


def test_hvp_is_the_hessian_times_the_vector() -> None:
    def f(x: Value, y: Value) -> Value:
        return (x * y).sin() + x**3

    point, v = [0.3, 1.1], [2.0, -1.0]
    h = hessian(f, point)
    value, product = hvp(f, point, v)
    assert value == pytest.approx(math.sin(0.33) + 0.027)
    assert product == pytest.approx([sum(hij * vj for hij, vj in zip(row, v)) for row in h], rel=1e-12)


def test_a_function_that_ignores_its_inputs_has_a_zero_hessian() -> None:
    assert hessian(lambda x, y: 3.0, [1.0, 2.0]) == [[0.0, 0.0], [0.0, 0.0]]
    assert hessian(lambda x, y: x * 2 + y, [1.0, 2.0]) == [[0.0, 0.0], [0.0, 0.0]]


def test_hessian_leaves_the_callers_values_alone() -> None:
    w = Value(2.0)
    w.grad = 5.0
    assert hessian(lambda x: x**4, [w]) == [[48.0]]
    assert (w.data, w.grad) == (2.0, 5.0)


def test_hvp_needs_one_number_per_input() -> None:
    with pytest.raises(ValueError, match="v has 1 numbers for 2 inputs"):
        hvp(lambda x, y: x * y, [1.0, 2.0], [1.0])
