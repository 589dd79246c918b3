"""autograd.explain: each backward step written out as a line of chain rule, every term named."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from autograd import OPERATIONS, Value
from autograd.engine import FLOAT, operation
from autograd.explain import Explanation, Symbol, derivative_formulas, explain, format_number, node_name


def lines(root: Value) -> list[str]:
    return [str(explain(step)) for step in root.backward_steps()]


def test_each_step_names_the_local_derivative_the_upstream_gradient_and_the_sum() -> None:
    w = Value(2.0, label="w")
    loss = (w * 3 - 10) ** 2
    assert lines(loss) == [
        "∂[**]/∂[**] = 1; [**].grad = 1 (was 0)",
        "∂[**]/∂[-] = 2·(−4) = −8; [-].grad += ∂[**]/∂[-] × [**].grad = (−8) × 1 = −8 (was 0)",
        "∂[-]/∂[*] = 1; [*].grad += ∂[-]/∂[*] × [-].grad = 1 × (−8) = −8 (was 0)",
        "∂[*]/∂w = 3; w.grad += ∂[*]/∂w × [*].grad = 3 × (−8) = −24 (was 0)",
    ]


def test_the_lecture_neuron_step_reads_as_the_issue_asks() -> None:
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    out = x1w1 * 0.5
    steps = list(out.backward_steps())
    into_x1 = next(step for step in steps if step.input is x1)
    explanation = explain(into_x1)
    assert explanation == Explanation("∂x1w1/∂x1 = w1 = −3", "x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5", 0)
    assert explanation.update == "x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5 (was 0)"


def test_a_second_path_says_what_the_gradient_was_and_is() -> None:
    a = Value(2.0, label="a")
    c = a * a
    c.label = "c"
    assert lines(c)[1:] == [
        "∂c/∂a = a = 2; a.grad += ∂c/∂a × c.grad = 2 × 1 = 2 (was 0)",
        "∂c/∂a = a = 2; a.grad += ∂c/∂a × c.grad = 2 × 1 = 2 (was 2, now 4)",
    ]


def test_the_output_appears_by_name_in_its_own_derivative() -> None:
    n = Value(0.8813735870195432, label="n")
    o = n.tanh()
    o.label = "o"
    assert lines(o)[1] == "∂o/∂n = 1 − o² = 0.5; n.grad += ∂o/∂n × o.grad = 0.5 × 1 = 0.5 (was 0)"


def test_labels_with_spaces_are_parenthesised() -> None:
    s = Value(1.0, label="a + b") * Value(2.0, label="c")
    assert lines(s)[1].startswith("∂[*]/∂(a + b) = c = 2; (a + b).grad += ∂[*]/∂(a + b) × [*].grad")
    assert node_name(Value(1.0)) == "[leaf]"


def test_numbers_read_with_four_digits_and_a_true_minus() -> None:
    assert format_number(-1234.5678) == "−1235"
    assert format_number(0.000012345) == "1.234e−05"


def test_an_operation_defined_outside_the_engine_is_explained_too() -> None:
    @operation("cube")
    def cube(m: Any, x: Any) -> tuple[Any, ...]:
        return x**3, (3 * x**2,)

    try:
        x = Value(2.0, label="x")
        assert lines(cube(x))[1] == "∂[cube]/∂x = 3·x² = 12; x.grad += ∂[cube]/∂x × [cube].grad = 12 × 1 = 12 (was 0)"
    finally:
        del OPERATIONS["cube"]  # the table is shared with every other test


def _as_python(formula: str) -> str:
    """A written formula back in Python syntax: the test reads what learners read."""
    for written, python in [("−", "-"), ("·", "*"), ("^", "**"), ("²", "**2"), ("σ(", "sigmoid("), ("√(", "sqrt("),
                            ("≤", "<="), ("≥", ">="), ("≠", "!=")]:  # fmt: skip
        formula = formula.replace(written, python)
    return formula


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_formula_computes_the_number_it_stands_for(name: str) -> None:
    """The text explain() shows is the definition itself: evaluated, it gives the local derivative."""
    op = OPERATIONS[name]
    arity = 5 if op.arity is None else op.arity
    names = [f"a{i}" for i in range(arity)]
    params = {"**": [(3.0,), (-1.5,), (0.0,)], "leaky_relu": [(), (0.2,)], "elu": [(), (0.5,)]}.get(name, [()])
    rng = random.Random(name)
    functions = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos,
                 "tanh": math.tanh, "sigmoid": lambda v: 1 / (1 + math.exp(-v)), "abs": abs, "e": math.e,
                 "softplus": lambda v: math.log1p(math.exp(v)), "sign": lambda v: float((v > 0) - (v < 0))}  # fmt: skip
    for parameters in params:
        formulas = derivative_formulas(op, [Symbol(n) for n in names] + list(parameters))
        for _ in range(5):
            xs = [rng.choice([-1, 1]) * rng.uniform(0.1, 2.0) for _ in range(arity)]
            if name in ("log", "sqrt", "pow", "**"):
                xs[0] = abs(xs[0])
            out, local_grads = op.definition(FLOAT, *xs, *parameters)
            scope = {**functions, **dict(zip(names, xs)), "out": out}
            evaluated = [eval(_as_python(f), scope) for f in formulas]
            assert evaluated == pytest.approx(list(local_grads), rel=1e-12), (name, formulas)


def test_negative_zero_reads_as_zero() -> None:
    assert format_number(-0.0) == "0" and format_number(-1e-300 * 1e-300) == "0"
