"""autograd.lecture: the engine reproduces the lecture's derivations element by element."""

# ruff: noqa: E741  (l is the lecture's name for a layer index)

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest

from autograd.lecture import (
    HIDDEN_ACTIVATIONS,
    SLIPS,
    TOLERANCE,
    Comparison,
    Row,
    l_layer,
    l_layer_formulas,
    logistic_regression,
    seed_example,
    two_layer,
    two_layer_formulas,
    two_layer_one_example,
    two_layer_one_example_formulas,
)

HIDDEN = list(HIDDEN_ACTIVATIONS)
SHAPES = [(3, 4, 5, 0), (2, 3, 1, 1), (4, 2, 7, 2), (1, 1, 3, 3), (5, 6, 2, 4)]  # (n0, n1, m, seed), m = 1 included


def assert_every_element_agrees(comparison: Comparison, expected: dict[str, tuple[int, ...]]) -> None:
    """One row per element of each expected quantity, each within 1e-10, and not all of them zero."""
    counts = {quantity: sum(1 for row in comparison.rows if row.quantity == quantity) for quantity in expected}
    assert counts == {quantity: int(np.prod(shape)) for quantity, shape in expected.items()}
    assert len(comparison.rows) == sum(counts.values())
    for row in comparison.rows:
        assert abs(row.engine - row.formula) <= 1e-10, f"{row.name}: engine {row.engine}, formula {row.formula}"
    assert any(row.engine != 0 for row in comparison.rows)
    assert comparison.agrees and comparison.max_difference <= TOLERANCE


def random_two_layer(n0: int, n1: int, m: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "X": rng.standard_normal((n0, m)),
        "Y": rng.integers(0, 2, (1, m)).astype(np.float64),
        "W1": rng.standard_normal((n1, n0)),
        "b1": rng.standard_normal((n1, 1)),
        "W2": rng.standard_normal((1, n1)),
        "b2": rng.standard_normal((1, 1)),
    }


# ---- 1. the smallest example ------------------------------------------------------------


def test_seed_example_gives_exactly_minus_24() -> None:
    comparison = seed_example()
    (row,) = comparison.rows
    assert row.name == "dloss/dw"
    assert row.engine == -24.0 and row.formula == -24.0 and row.difference == 0.0


def test_seed_example_follows_other_numbers() -> None:
    row = seed_example(w=0.5, x=-2.0, target=1.0)["dloss/dw"]
    assert row.engine == row.formula == 2 * (0.5 * -2.0 - 1.0) * -2.0


# ---- 2. logistic regression ---------------------------------------------------------------


@pytest.mark.parametrize("n0, seed", [(3, 0), (3, 1), (3, 2), (3, 3), (1, 4), (6, 5)])
def test_logistic_regression_agrees_element_by_element(n0: int, seed: int) -> None:
    comparison = logistic_regression(n0=n0, seed=seed)
    assert_every_element_agrees(comparison, {"da": (1, 1), "dz": (1, 1), "dw": (n0, 1), "db": (1, 1)})
    assert comparison["db[0, 0]"].engine == comparison["dz[0, 0]"].engine  # db = dz


def test_logistic_regression_covers_both_labels() -> None:
    # da = −y/a + (1 − y)/(1 − a) is negative for y = 1 and positive for y = 0
    signs = {np.sign(logistic_regression(seed=seed)["da[0, 0]"].engine) for seed in range(4)}
    assert signs == {-1.0, 1.0}


# ---- 3. the two-layer network ---------------------------------------------------------------


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("n0, n1, m, seed", SHAPES)
def test_two_layer_vectorised_agrees_element_by_element(hidden: str, n0: int, n1: int, m: int, seed: int) -> None:
    comparison = two_layer(hidden=hidden, n0=n0, n1=n1, m=m, seed=seed)
    assert_every_element_agrees(comparison, {"dW2": (1, n1), "db2": (1, 1), "dW1": (n1, n0), "db1": (n1, 1)})


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("n0, n1, _, seed", SHAPES)
def test_two_layer_one_example_agrees_element_by_element(hidden: str, n0: int, n1: int, _: int, seed: int) -> None:
    comparison = two_layer_one_example(hidden=hidden, n0=n0, n1=n1, seed=seed)
    expected = {"dz2": (1, 1), "dW2": (1, n1), "db2": (1, 1), "dz1": (n1, 1), "dW1": (n1, n0), "db1": (n1, 1)}
    assert_every_element_agrees(comparison, expected)


@pytest.mark.parametrize("hidden", HIDDEN)
def test_the_one_example_formulas_are_the_vectorised_ones_at_m_1(hidden: str) -> None:
    data = random_two_layer(3, 4, 1, seed=9)
    one = two_layer_one_example_formulas(data["X"], data["Y"], data["W1"], data["b1"], data["W2"], data["b2"], hidden)
    vectorised = two_layer_formulas(data["X"], data["Y"], data["W1"], data["b1"], data["W2"], data["b2"], hidden)
    for name, gradient in vectorised.items():
        np.testing.assert_allclose(one[name], gradient, rtol=0, atol=1e-15)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("n0, n1, m, seed", SHAPES)
def test_every_dfoo_has_the_shape_of_foo(hidden: str, n0: int, n1: int, m: int, seed: int) -> None:
    data = random_two_layer(n0, n1, m, seed)
    gradients = two_layer_formulas(data["X"], data["Y"], data["W1"], data["b1"], data["W2"], data["b2"], hidden)
    assert {name: g.shape for name, g in gradients.items()} == {
        f"d{p}": data[p].shape for p in ("W2", "b2", "W1", "b1")
    }


def test_the_shape_check_catches_a_flattened_bias() -> None:
    # b1 of shape (n1,) instead of (n1, 1) broadcasts silently when n1 == m; the shape check catches it
    data = random_two_layer(3, 4, 4, seed=0)
    with pytest.raises(AssertionError, match=r"db1 has shape \(4, 1\), but b1 has shape \(4,\)"):
        two_layer_formulas(data["X"], data["Y"], data["W1"], data["b1"].ravel(), data["W2"], data["b2"])


def test_unknown_hidden_activation_is_refused() -> None:
    for run in (two_layer, two_layer_one_example):
        with pytest.raises(ValueError, match="unknown hidden activation 'elu'; choose one of tanh, relu, sigmoid"):
            run(hidden="elu")


@pytest.mark.parametrize("hidden", HIDDEN)
def test_two_layer_formulas_match_pytorch(torch: ModuleType, hidden: str) -> None:
    data = random_two_layer(3, 4, 6, seed=11)
    params = {name: torch.tensor(data[name], requires_grad=True) for name in ("W1", "b1", "W2", "b2")}
    g1 = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[hidden]
    A1 = g1(params["W1"] @ torch.tensor(data["X"]) + params["b1"])
    A2 = torch.sigmoid(params["W2"] @ A1 + params["b2"])
    torch.nn.functional.binary_cross_entropy(A2, torch.tensor(data["Y"])).backward()  # the mean over m: J
    gradients = two_layer_formulas(data["X"], data["Y"], data["W1"], data["b1"], data["W2"], data["b2"], hidden)
    for name, param in params.items():
        np.testing.assert_allclose(gradients[f"d{name}"], param.grad.numpy(), rtol=0, atol=1e-12)


# ---- 4. the L-layer algorithm ---------------------------------------------------------------


def theta_shapes(sizes: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    return {f"D({l})": (sizes[l], 1 + sizes[l - 1]) for l in range(1, len(sizes))}


@pytest.mark.parametrize(
    "sizes, m, lam, seed",
    [((3, 4, 2), 5, 0.5, 0), ((2, 3, 3, 1), 1, 1.0, 1), ((4, 2), 3, 2.0, 2), ((1, 5, 2), 4, 0, 3)],
)
def test_l_layer_corrected_agrees_element_by_element(sizes: tuple[int, ...], m: int, lam: float, seed: int) -> None:
    comparison = l_layer(sizes=sizes, m=m, lam=lam, seed=seed)
    assert_every_element_agrees(comparison, theta_shapes(sizes))
    assert "Corrected" in comparison.note


def test_the_derivative_slip_breaks_every_layer_but_the_last() -> None:
    comparison = l_layer(sizes=(3, 4, 3, 2), lam=0.5, slips=["derivative"])
    largest = comparison.max_differences()
    assert largest["D(1)"] > 1e-3 and largest["D(2)"] > 1e-3
    assert largest["D(3)"] <= TOLERANCE  # D(L−1) only uses d(L) = a(L) − y
    assert not comparison.agrees
    assert f"{comparison.max_difference:.1e}" in str(comparison) and "DISAGREE" in str(comparison)
    assert str(SLIPS["derivative"]) in comparison.note


def test_the_derivative_slip_does_not_matter_without_a_hidden_layer() -> None:
    assert l_layer(sizes=(3, 2), slips=["derivative"]).agrees


def test_the_bias_slip_regularises_the_bias_column_by_lambda_theta_over_m() -> None:
    rng = np.random.default_rng(5)
    m, lam = 4, 0.7
    X, Y = rng.standard_normal((3, m)), rng.integers(0, 2, (2, m)).astype(np.float64)
    Theta = {1: rng.standard_normal((4, 4)), 2: rng.standard_normal((2, 5))}
    correct = l_layer_formulas(X, Y, Theta, lam)
    literal = l_layer_formulas(X, Y, Theta, lam, slips=["bias"])
    for l in Theta:
        np.testing.assert_allclose(literal[l][:, 0] - correct[l][:, 0], lam * Theta[l][:, 0] / m, rtol=1e-12)
        np.testing.assert_array_equal(literal[l][:, 1:], correct[l][:, 1:])


def test_the_bias_slip_shows_in_column_0_only_and_not_at_all_without_regularisation() -> None:
    comparison = l_layer(sizes=(3, 4, 2), lam=0.5, slips=["bias"])
    assert not comparison.agrees
    for row in comparison.rows:
        if row.index[1] == 0:
            assert abs(row.difference) > 1e-6, row.name
        else:
            assert abs(row.difference) <= TOLERANCE, row.name
    assert l_layer(sizes=(3, 4, 2), lam=0.0, slips=["bias"]).agrees


def test_both_slips_disagree_and_explain_themselves() -> None:
    comparison = l_layer(slips=SLIPS)
    assert comparison.max_difference > 0.01
    assert str(SLIPS["derivative"]) in comparison.note and str(SLIPS["bias"]) in comparison.note
    assert "since l ≠ 0" in str(comparison)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: logistic_regression(n0=0), "logistic_regression: n0 must be a whole number >= 1, got n0 = 0"),
        (lambda: logistic_regression(seed=-1), "logistic_regression: seed must be a whole number >= 0, got seed = -1"),
        (lambda: two_layer_one_example(n1=0), "two_layer_one_example: n1 must be a whole number >= 1, got n1 = 0"),
        (lambda: two_layer(m=0), "two_layer: m must be a whole number >= 1, got m = 0"),
        (lambda: two_layer(m=2.5), "two_layer: m must be a whole number >= 1, got m = 2.5"),
        (lambda: l_layer(m=-3), "l_layer: m must be a whole number >= 1, got m = -3"),
        (lambda: l_layer(sizes=(3, 0, 2)), r"l_layer: sizes\[1\] must be a whole number >= 1, got sizes\[1\] = 0"),
        (lambda: l_layer(seed=-1), "l_layer: seed must be a whole number >= 0, got seed = -1"),
    ],
)
def test_sizes_below_1_and_negative_seeds_are_refused_naming_the_argument(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        call()


def test_unknown_slip_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown slips"):
        l_layer(slips=["sign"])


def test_l_layer_formulas_match_pytorch(torch: ModuleType) -> None:
    rng = np.random.default_rng(3)
    m, lam = 5, 0.8
    X, Y = rng.standard_normal((3, m)), rng.integers(0, 2, (2, m)).astype(np.float64)
    Theta = {1: rng.standard_normal((4, 4)), 2: rng.standard_normal((2, 5))}
    thetas = {l: torch.tensor(Theta[l], requires_grad=True) for l in Theta}
    a = torch.tensor(X)
    for l in Theta:
        a = torch.sigmoid(thetas[l] @ torch.cat([torch.ones(1, m), a]))
    data = torch.nn.functional.binary_cross_entropy(a, torch.tensor(Y), reduction="sum") / m
    penalty = lam / (2 * m) * sum((theta[:, 1:] ** 2).sum() for theta in thetas.values())
    (data + penalty).backward()
    D = l_layer_formulas(X, Y, Theta, lam)
    for l, theta in thetas.items():
        np.testing.assert_allclose(D[l], theta.grad.numpy(), rtol=0, atol=1e-12)


# ---- the comparison's text and HTML -------------------------------------------------------


def test_the_printed_table_names_every_parameter_with_its_numbers() -> None:
    comparison = two_layer()
    text = str(comparison)
    for row in comparison.rows:
        assert row.name in text
        assert f"{row.engine:.12g}" in text
    for line in comparison.lines.values():
        assert str(line) in text
    assert "the engine reproduces the lecture" in text
    assert text.startswith("Two-layer network, vectorised over m = 5 examples")


def test_the_html_table_names_every_parameter_with_its_numbers_escaped() -> None:
    comparison = two_layer()
    page = comparison._repr_html_()
    assert page.startswith('<div lang="en" dir="ltr">') and "<table>" in page and page.endswith("</div>")
    for row in comparison.rows:
        assert f">{row.name}<" in page and f">{row.engine:.12g}<" in page
    assert "g1&#x27;(Z1)" in page and "g1'(Z1)" not in page  # escaped


def test_disagreeing_rows_are_marked_in_html() -> None:
    page = l_layer(slips=["bias"])._repr_html_()
    assert page.count('<tr style="color:#b00020">') == 4 + 2  # the bias column of D(1) (4 rows) and D(2) (2 rows)


def test_a_nan_row_is_never_agreement_wherever_it_comes() -> None:
    # Python's max() skips a NaN unless it comes first: the verdict must not depend on the order of the rows
    rows = [Row("dw", (0,), 1.0, 1.0), Row("dw", (1,), math.nan, 2.0), Row("db", (), math.nan, math.nan)]
    for order in (rows, rows[::-1]):
        comparison = Comparison("NaN rows", tuple(order), {"dw": "dw = x·dz", "db": "db = dz"})
        assert math.isnan(comparison.max_difference)
        assert not comparison.agrees
        assert all(math.isnan(largest) for largest in comparison.max_differences().values())
        assert comparison.verdict() == (
            "2 of 3 rows are NaN, and NaN equals nothing: the engine and the formulas DISAGREE."
        )


def test_l_layer_with_a_nan_lambda_says_which_rows_are_nan() -> None:
    comparison = l_layer(lam=math.nan)  # the weight columns of D(l) are NaN, the bias columns are not
    nan_rows = [row for row in comparison.rows if math.isnan(row.difference)]
    assert (len(nan_rows), len(comparison.rows)) == (20, 26)
    assert all(row.index[1] != 0 for row in nan_rows)
    assert not comparison.agrees
    assert "20 of 26 rows are NaN" in str(comparison) and "reproduces" not in str(comparison)
    assert comparison._repr_html_().count('<tr style="color:#b00020">') == 20


def test_rows_are_looked_up_by_name() -> None:
    comparison = logistic_regression()
    assert comparison["dw[2, 0]"].index == (2, 0)
    with pytest.raises(KeyError):
        comparison["dw[3, 0]"]
