"""autograd.gradcheck: finite differences and the comparison with backward()."""

from __future__ import annotations

import math

import pytest

from autograd import Value, gradcheck, numerical_grad
from autograd.engine import Number


def test_numerical_grad_matches_closed_forms() -> None:
    grads = numerical_grad(lambda a, b: a**3 * b.sin(), [2.0, 0.5])
    assert grads[0] == pytest.approx(3 * 4 * math.sin(0.5), rel=1e-8)
    assert grads[1] == pytest.approx(8 * math.cos(0.5), rel=1e-8)


def test_numerical_grad_of_the_seed_example() -> None:
    (dw,) = numerical_grad(lambda w: (w * 3.0 - 10) ** 2, [2.0])
    assert dw == pytest.approx(-24.0, abs=1e-6)


def test_gradcheck_passes_on_correct_gradients() -> None:
    result = gradcheck(lambda a, b: (a * b).tanh() + a.exp() / b, [0.3, 1.2])
    assert result
    assert result.passed and len(result.analytic) == 2
    assert str(result).startswith("gradcheck passed: worst mismatch at input")


def test_gradcheck_finds_the_input_with_a_wrong_gradient() -> None:
    def wrong_on_b(a: Value, b: Value) -> Value:
        # b.detach() hides b's dependence from backward(), not from finite differences
        return a * 2 + b.detach() * b.detach() + b

    result = gradcheck(wrong_on_b, [1.0, 3.0])
    assert not result
    assert result.worst_input == 1
    assert result.analytic[1] == 1.0 and result.numeric[1] == pytest.approx(7.0)
    assert result.worst_error == pytest.approx(6.0)
    assert "FAILED" in str(result) and "input 1" in str(result)


def test_gradcheck_leaves_the_callers_values_alone() -> None:
    a = Value(2.0)
    a.grad = 5.0
    assert gradcheck(lambda x: x * x, [a])
    assert a.grad == 5.0


def test_gradcheck_leaves_values_captured_by_f_alone() -> None:
    shared = Value(3.0)
    assert gradcheck(lambda x: x * shared + shared, [2.0])
    assert shared.grad == 0.0


def test_gradcheck_tolerances_are_respected() -> None:
    def f(x: Value) -> Value:
        return (x * 100).sin()

    assert gradcheck(f, [0.3])
    # a huge step makes the central difference wrong: a tight check fails, a loose one passes
    assert not gradcheck(f, [0.3], eps=1e-2, atol=1e-6, rtol=1e-6)
    assert gradcheck(f, [0.3], eps=1e-2, atol=200.0)


def test_gradcheck_needs_a_value_result() -> None:
    def constant(x: Value) -> Number:
        return 1.0

    with pytest.raises(TypeError, match="f must return a Value"):
        gradcheck(constant, [1.0])
