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


def test_gradcheck_blames_the_input_whose_analytic_gradient_is_nan() -> None:
    # sqrt'(0) = inf, times 0.0 is NaN: input 1's analytic gradient is NaN, input 0's differs by ~1e-10
    result = gradcheck(lambda a, b: a * 1.5 + abs(b).sqrt() * 0.0, [1.0, 0.0])
    assert not result
    assert math.isnan(result.analytic[1])
    assert result.worst_input == 1 and math.isnan(result.worst_error)
    assert "input 1" in str(result)


def test_gradcheck_blames_the_input_whose_numeric_gradient_is_nan() -> None:
    # f is NaN as soon as b moves away from 1, so only b's finite difference is NaN
    result = gradcheck(lambda a, b: a * 1.5 + b + (0.0 if b.data == 1.0 else math.nan), [1.0, 1.0])
    assert not result
    assert result.analytic == [1.5, 1.0] and math.isnan(result.numeric[1])
    assert result.worst_input == 1


@pytest.mark.parametrize("eps", [0.0, -1e-6, math.nan, math.inf])
def test_a_step_that_is_not_a_positive_number_is_refused(eps: float) -> None:
    with pytest.raises(ValueError, match=rf"eps must be a positive finite step, got eps = {eps}"):
        gradcheck(lambda a: a * a, [1.0], eps=eps)
    with pytest.raises(ValueError, match="eps must be"):
        numerical_grad(lambda a: a * a, [1.0], eps=eps)


@pytest.mark.parametrize(("name", "options"), [("atol", {"atol": -1e-5}), ("rtol", {"rtol": math.nan})])
def test_negative_or_nan_tolerances_are_refused(name: str, options: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=rf"{name} must be >= 0, got {name} = "):
        gradcheck(lambda a: a * a, [1.0], **options)
