"""The lecture's derivations, reproduced on the engine and checked number by number.

Each function below builds one of the lecture's networks from `autograd.nn`,
runs `backward()`, computes the lecture's closed-form gradients with numpy
exactly as the lecture writes them (column vectors, examples stacked as
columns, ``*`` element-wise), and returns a `Comparison`: for every parameter,
element by element, the engine's gradient, the formula's, and their
difference. ``print()`` it for a plain-text table; a notebook shows it as HTML.

    seed_example()                          loss = (w·x − 10)², dloss/dw = −24
    logistic_regression(n0=3, seed=0)       da, dz, dw, db for one example
    two_layer_one_example(hidden="tanh", n0=3, n1=4, seed=0)
                                            dz2, dW2, db2, dz1, dW1, db1 for one column x
    two_layer(hidden="tanh", n0=3, n1=4, m=5, seed=0)
                                            dW2, db2, dW1, db1 vectorised over m examples
    l_layer(sizes=(3, 4, 2), m=5, lam=0.5, seed=0, slips=())
                                            D(l) from the accumulator algorithm with λ

``hidden`` is the hidden activation g1: "tanh", "relu" or "sigmoid". Data and
weights are drawn from ``numpy.random.default_rng(seed)`` and copied into the
`autograd.nn` model, so both sides use the same numbers. Sizes (n0, n1, m,
the layer sizes) must be whole numbers of at least 1 and seeds at least 0:
anything else is a ValueError naming the argument.

Titles, verdicts, notes and column headers are in the current language
(`autograd.set_language`), written when the comparison is shown; the
lecture's formulas and the numbers are the same in every language.

A NaN anywhere makes the comparison disagree: NaN equals nothing, so a table
with NaN rows never says that the engine reproduces the lecture.

The formula side is in its own functions (`logistic_regression_formulas`,
`two_layer_one_example_formulas`, `two_layer_formulas`, `l_layer_formulas`),
written line for line as the lecture writes them, each asserting the lecture's
advice that every ``dfoo`` has the shape of ``foo``.

`l_layer` can also run the algorithm as the seed texts literally write it,
with either or both of their slips (see `SLIPS`): the comparison then shows
where, and by how much, the engine disagrees.

    >>> from autograd.lecture import two_layer
    >>> print(two_layer(hidden="relu"))
"""

# ruff: noqa: E741  (l is the lecture's name for a layer index; the code keeps the lecture's names)

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from numpy.typing import NDArray

from autograd.display import isolate_html
from autograd.engine import Value
from autograd.i18n import Text, _, current_language, direction, lazy_gettext, lazy_ngettext, ngettext
from autograd.nn import MLP, Layer, Neuron, binary_cross_entropy, l2_penalty

Array = NDArray[np.float64]

TOLERANCE = 1e-10
"""Largest |engine − formula| for the two to count as agreeing."""


# ---- the comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One number both ways: element `index` of the gradient `quantity`."""

    quantity: str
    index: tuple[int, ...]
    engine: float
    formula: float

    @property
    def name(self) -> str:
        """``dW1[0, 2]``, or just ``dloss/dw`` for a scalar."""
        return f"{self.quantity}[{', '.join(map(str, self.index))}]" if self.index else self.quantity

    @property
    def difference(self) -> float:
        """engine − formula."""
        return self.engine - self.formula


def _headers() -> tuple[str, str, str, str]:
    """The column headers: none for the names, then the engine's numbers, the formula's, and their difference."""
    # translators: a column of numbers computed by the engine's backward(); keep "backward"
    return "", _("engine (backward)"), _("lecture formula"), _("engine − formula")


def _largest_difference() -> str:
    # translators: after a lecture formula, the largest difference for its quantity: "largest |difference| 2.8e−17"
    return _("largest |difference| {difference}")


@dataclass(frozen=True)
class Comparison:
    """The engine's gradients next to the lecture's formulas, element by element.

    `lines` holds the lecture's line for each quantity, `notes` what to notice
    (one paragraph each). Title and notes may be `autograd.i18n.Message`s,
    written in the current language each time the comparison is shown.
    """

    title: Text
    rows: tuple[Row, ...]
    lines: dict[str, Text]
    notes: tuple[Text, ...] = ()
    tolerance: float = TOLERANCE

    @property
    def note(self) -> str:
        """The notes in the current language, paragraphs separated by a blank line."""
        return "\n\n".join(str(note) for note in self.notes)

    @property
    def max_difference(self) -> float:
        """The largest |engine − formula| over every row; NaN when any row is NaN."""
        return _largest(row.difference for row in self.rows)

    @property
    def agrees(self) -> bool:
        """True when every row agrees to `tolerance` (a NaN row never does)."""
        return self.max_difference <= self.tolerance

    def max_differences(self) -> dict[str, float]:
        """The largest |engine − formula| of each quantity, in the lecture's order; NaN as above."""
        by_quantity: dict[str, list[float]] = {}
        for row in self.rows:
            by_quantity.setdefault(row.quantity, []).append(row.difference)
        return {quantity: _largest(differences) for quantity, differences in by_quantity.items()}

    def __getitem__(self, name: str) -> Row:
        """The row called `name`, e.g. ``comparison["dW1[0, 2]"]``."""
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(name)

    def verdict(self) -> str:
        """One sentence: the largest difference and whether the two sides agree."""
        words, values = self._verdict_parts()
        return words.format(**values)

    def _verdict_parts(self) -> tuple[str, dict[str, str]]:
        """The verdict's words in the current language, and the numbers or formula to fill in."""
        nan_rows = sum(math.isnan(row.difference) for row in self.rows)
        if nan_rows:
            words = ngettext(
                "{nan_rows} of {rows} rows is NaN, and NaN equals nothing: the engine and the formulas DISAGREE.",
                "{nan_rows} of {rows} rows are NaN, and NaN equals nothing: the engine and the formulas DISAGREE.",
                nan_rows,
            )
            return words, {"nan_rows": str(nan_rows), "rows": str(len(self.rows))}
        largest = _difference(self.max_difference)
        if self.agrees:
            words = _("Largest |engine − formula|: {comparison}: the engine reproduces the lecture.")
            return words, {"comparison": f"{largest} ≤ {self.tolerance:g}"}
        words = _("Largest |engine − formula|: {comparison}: the engine and the formulas DISAGREE.")
        return words, {"comparison": f"{largest} > {self.tolerance:g}"}

    def _paragraphs(self) -> list[str]:
        return [paragraph for paragraph in map(str, self.notes) if paragraph]

    def __str__(self) -> str:
        header = _headers()
        table = [header] + [
            (row.name, _number(row.engine), _number(row.formula), _difference(row.difference)) for row in self.rows
        ]
        widths = [max(len(cells[i]) for cells in table) for i in range(len(header))]
        text = [str(self.title), ""]
        text += ["   ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in table]
        text.append("")
        lines = {quantity: str(line) for quantity, line in self.lines.items()}
        line_width = max(len(line) for line in lines.values())
        for quantity, largest in self.max_differences().items():
            largest_difference = _largest_difference().format(difference=_difference(largest))
            text.append(f"{lines[quantity].ljust(line_width)}   {largest_difference}")
        text += ["", self.verdict()]
        for paragraph in self._paragraphs():
            text += ["", textwrap.fill(paragraph, width=100)]
        return "\n".join(text)

    def _repr_html_(self) -> str:
        """The table as HTML in the current language; a right-to-left one keeps every name, number and
        formula a left-to-right isolate."""

        def cell(text: str, tag: str = "td", align: str = "right") -> str:
            style = f"text-align:{align}; font-family:monospace"
            return f'<{tag} dir="ltr" style="{style}">{html.escape(text)}</{tag}>'

        def heading(text: str) -> str:
            return f"<th>{html.escape(text)}</th>"

        head = "".join(heading(text) for text in _headers())
        body = []
        for row in self.rows:
            colour = "" if abs(row.difference) <= self.tolerance else ' style="color:#b00020"'
            cells = cell(row.name, align="left") + "".join(
                cell(text) for text in (_number(row.engine), _number(row.formula), _difference(row.difference))
            )
            body.append(f"<tr{colour}>{cells}</tr>")
        largest_difference = html.escape(_largest_difference())
        lines = "".join(
            f'<li><code dir="ltr">{html.escape(str(self.lines[quantity]))}</code>: '
            f"{largest_difference.format(difference=isolate_html(_difference(largest)))}</li>"
            for quantity, largest in self.max_differences().items()
        )
        note = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in self._paragraphs())
        words, values = self._verdict_parts()
        verdict = html.escape(words).format(**{key: isolate_html(value) for key, value in values.items()})
        return (
            f'<div lang="{current_language()}" dir="{direction()}"><p><strong>{html.escape(str(self.title))}'
            f"</strong></p><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<ul>{lines}</ul><p><strong>{verdict}</strong></p>{note}</div>"
        )


def _largest(differences: Iterable[float]) -> float:
    """The largest |difference|, or NaN when any is NaN (Python's max() keeps a NaN only when it comes first)."""
    sizes = [abs(difference) for difference in differences]
    return math.nan if any(math.isnan(size) for size in sizes) else max(sizes, default=0.0)


def _number(x: float) -> str:
    return f"{x + 0.0:.12g}"  # + 0.0 turns −0.0 into 0.0


def _difference(x: float) -> str:
    return "0" if x == 0 else f"{x:.1e}"


def compare(
    title: Text,
    engine: dict[str, Array],
    formula: dict[str, Array],
    lines: Mapping[str, Text],
    notes: Sequence[Text] = (),
) -> Comparison:
    """A `Comparison` of two sets of gradients with the same names and shapes, element by element."""
    rows = []
    for quantity, by_formula in formula.items():
        by_engine = engine[quantity]
        if by_engine.shape != by_formula.shape:
            raise ValueError(f"{quantity}: the engine gives shape {by_engine.shape}, the formula {by_formula.shape}")
        rows += [
            Row(quantity, index, float(by_engine[index]), float(by_formula[index]))
            for index in np.ndindex(by_formula.shape)
        ]
    return Comparison(title, tuple(rows), dict(lines), tuple(notes))


# ---- the lecture's activations, on numpy arrays ---------------------------------------


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^−z), element-wise."""
    return 1 / (1 + np.exp(-z))


def _tanh_prime(z: Array) -> Array:
    return 1 - np.tanh(z) ** 2


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_prime(z: Array) -> Array:
    return (z > 0).astype(np.float64)


def _sigmoid_prime(z: Array) -> Array:
    return sigmoid(z) * (1 - sigmoid(z))


HIDDEN_ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array], Text]] = {
    "tanh": (np.tanh, _tanh_prime, "1 − tanh({z})²"),
    # translators: relu's derivative, in a note after "g1'(z1) = "; {z} is z1 or Z1
    "relu": (_relu, _relu_prime, lazy_gettext("1 where {z} > 0, else 0")),
    "sigmoid": (sigmoid, _sigmoid_prime, "σ({z})·(1 − σ({z}))"),
}
"""The lecture's choices for the hidden activation g1: (g1, g1', g1' as text over ``{z}``)."""


def _hidden(name: str) -> tuple[Callable[[Array], Array], Callable[[Array], Array], Text]:
    if name not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"unknown hidden activation {name!r}; choose one of {', '.join(HIDDEN_ACTIVATIONS)}")
    return HIDDEN_ACTIVATIONS[name]


def _check_sizes(function: str, seed: int, **sizes: int) -> None:
    """Refuse a size below 1 or a negative seed, naming it, before numpy fails on it less clearly."""
    for name, value in {**sizes, "seed": seed}.items():
        least = 0 if name == "seed" else 1
        if not isinstance(value, Integral) or value < least:
            raise ValueError(f"{function}: {name} must be a whole number >= {least}, got {name} = {value!r}")


def _check_shapes(*checks: tuple[str, Array, Array]) -> None:
    """The lecture's advice: every dfoo has the shape of foo (it catches most backprop bugs)."""
    for name, dfoo, foo in checks:
        assert dfoo.shape == foo.shape, f"{name} has shape {dfoo.shape}, but {name[1:]} has shape {foo.shape}"


# ---- the engine side: autograd.nn models holding the same numbers ---------------------


def _load(layer: Layer, W: Array, b: Array) -> None:
    """Copy W (one row per neuron) and the column b into the layer's weights and biases."""
    for neuron, weights, bias in zip(layer.neurons, W, b):
        _load_neuron(neuron, weights, bias[0])


def _load_neuron(neuron: Neuron, weights: Array, bias: float) -> None:
    for w, value in zip(neuron.w, weights):
        w.data = float(value)
    neuron.b.data = float(bias)


def _gradients(layer: Layer) -> tuple[Array, Array]:
    """The layer's weight and bias gradients, shaped like the lecture's W and b."""
    dW = np.array([[w.grad for w in neuron.w] for neuron in layer.neurons])
    db = np.array([[neuron.b.grad] for neuron in layer.neurons])
    return dW, db


def _as_list(out: Value | list[Value]) -> list[Value]:
    return out if isinstance(out, list) else [out]


def _output_unit(out: Value | list[Value]) -> Value:
    """The one output of a network whose last layer has one unit."""
    (unit,) = _as_list(out)
    return unit


def _pre_activation(out: Value) -> Value:
    """z, the weighted sum an activation was applied to: the output node's only parent."""
    return out.parents[0]


def _column(x: Array) -> list[float]:
    """A column vector as the list of numbers a model takes."""
    return [float(v) for v in x.ravel()]


# ---- 1. the smallest example (seed 004) -----------------------------------------------


def seed_example(w: float = 2.0, x: float = 3.0, target: float = 10.0) -> Comparison:
    """``loss = (w·x − target)²``: backward() against ``dloss/dw = 2·(w·x − target)·x`` (−24 by default)."""
    w_node = Value(w, label="w")
    loss = (w_node * x - target) ** 2
    loss.backward()
    formula = 2 * (w * x - target) * x
    return compare(
        lazy_gettext("The smallest example: w = {w:g}, x = {x:g}, loss = (w·x − {target:g})²", w=w, x=x, target=target),
        {"dloss/dw": np.array(w_node.grad)},
        {"dloss/dw": np.array(formula)},
        {"dloss/dw": f"dloss/dw = 2·(w·x − {target:g})·x"},
        [lazy_gettext("backward() only computes gradients; changing w is the optimizer's separate step.")],
    )


# ---- 2. logistic regression, one example (seed 002) -----------------------------------

LOGISTIC_REGRESSION_LINES = {
    "da": "da = −y/a + (1 − y)/(1 − a)",
    "dz": "dz = da·σ'(z) = a − y",
    "dw": "dw = x·dz",
    "db": "db = dz",
}


def logistic_regression_formulas(x: Array, y: Array, w: Array, b: Array) -> dict[str, Array]:
    """Seed 002's logistic regression for one example: x and w are (n0, 1), y and b are (1, 1)."""
    z = w.T @ x + b
    a = sigmoid(z)
    da = -y / a + (1 - y) / (1 - a)
    dz = a - y
    dw = x * dz
    db = dz
    _check_shapes(("da", da, a), ("dz", dz, z), ("dw", dw, w), ("db", db, b))
    return {"da": da, "dz": dz, "dw": dw, "db": db}


def logistic_regression(n0: int = 3, seed: int = 0) -> Comparison:
    """One sigmoid neuron, ``z = wᵀx + b``, ``a = σ(z)``, loss L(a, y): the engine against da, dz, dw, db."""
    _check_sizes("logistic_regression", seed, n0=n0)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n0, 1))
    y = rng.integers(0, 2, (1, 1)).astype(np.float64)
    w = rng.standard_normal((n0, 1))
    b = rng.standard_normal((1, 1))

    neuron = Neuron(n0, activation="sigmoid", seed=0)  # its own weights are replaced by w and b
    _load_neuron(neuron, w[:, 0], b[0, 0])
    a = neuron(_column(x))
    binary_cross_entropy(a, float(y[0, 0])).backward()
    engine = {
        "da": np.array([[a.grad]]),
        "dz": np.array([[_pre_activation(a).grad]]),
        "dw": np.array([[wi.grad] for wi in neuron.w]),
        "db": np.array([[neuron.b.grad]]),
    }
    title = lazy_ngettext(
        "Logistic regression, one example: n0 = {n0} input, y = {y:g}, seed {seed}",
        "Logistic regression, one example: n0 = {n0} inputs, y = {y:g}, seed {seed}",
        n0,
        n0=n0,
        y=y[0, 0],
        seed=seed,
    )
    note = lazy_gettext(
        "da is the gradient at the neuron's output a, dz the gradient at z, the node before the sigmoid. "
        "The engine gets dz as da·σ'(z) with σ'(z) = a·(1 − a); the lecture simplifies that to a − y."
    )
    return compare(title, engine, logistic_regression_formulas(x, y, w, b), LOGISTIC_REGRESSION_LINES, [note])


# ---- 3. the two-layer network (seed 002) ----------------------------------------------


def _two_layer_setup(n0: int, n1: int, m: int, seed: int) -> tuple[Array, Array, Array, Array, Array, Array]:
    """Random X (n0, m), labels Y (1, m), and W1 (n1, n0), b1 (n1, 1), W2 (1, n1), b2 (1, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n0, m))
    Y = rng.integers(0, 2, (1, m)).astype(np.float64)
    W1 = rng.standard_normal((n1, n0))
    b1 = rng.standard_normal((n1, 1))
    W2 = rng.standard_normal((1, n1))
    b2 = rng.standard_normal((1, 1))
    return X, Y, W1, b1, W2, b2


def _two_layer_model(hidden: str, W1: Array, b1: Array, W2: Array, b2: Array) -> MLP:
    """``MLP(n0, [n1, 1])`` with hidden activation g1 and a sigmoid output, holding W1, b1, W2, b2."""
    n1, n0 = W1.shape
    model = MLP(n0, [n1, 1], activation=hidden, output_activation="sigmoid", seed=0)  # weights replaced below
    _load(model.layers[0], W1, b1)
    _load(model.layers[1], W2, b2)
    return model


def _two_layer_title(kind: Text, hidden: str, n0: int, n1: int, seed: int) -> Text:
    return lazy_gettext(
        "Two-layer network, {kind}: n0 = {n0}, n1 = {n1}, n2 = 1, g1 = {hidden}, seed {seed}",
        kind=kind,
        n0=n0,
        n1=n1,
        hidden=hidden,
        seed=seed,
    )


def _two_layer_forward(
    X: Array, W1: Array, b1: Array, W2: Array, b2: Array, g1: Callable[[Array], Array]
) -> tuple[Array, Array, Array, Array]:
    """Seed 002's forward pass, Z1, A1, Z2, A2, for examples in columns (one example is one column)."""
    Z1 = W1 @ X + b1
    A1 = g1(Z1)
    Z2 = W2 @ A1 + b2
    return Z1, A1, Z2, sigmoid(Z2)


TWO_LAYER_ONE_EXAMPLE_LINES = {
    "dz2": "dz2 = a2 − y",
    "dW2": "dW2 = dz2·a1ᵀ",
    "db2": "db2 = dz2",
    "dz1": "dz1 = W2ᵀ·dz2 * g1'(z1)",
    "dW1": "dW1 = dz1·xᵀ",
    "db1": "db1 = dz1",
}


def two_layer_one_example_formulas(
    x: Array, y: Array, W1: Array, b1: Array, W2: Array, b2: Array, hidden: str = "tanh"
) -> dict[str, Array]:
    """Seed 002's six backward equations for one example, a column x (n0, 1) with label y (1, 1)."""
    g1, g1_prime, _ = _hidden(hidden)
    z1, a1, z2, a2 = _two_layer_forward(x, W1, b1, W2, b2, g1)

    dz2 = a2 - y
    dW2 = dz2 @ a1.T
    db2 = dz2
    dz1 = W2.T @ dz2 * g1_prime(z1)
    dW1 = dz1 @ x.T
    db1 = dz1
    _check_shapes(
        ("dz2", dz2, z2), ("dW2", dW2, W2), ("db2", db2, b2), ("dz1", dz1, z1), ("dW1", dW1, W1), ("db1", db1, b1)
    )
    return {"dz2": dz2, "dW2": dW2, "db2": db2, "dz1": dz1, "dW1": dW1, "db1": db1}


def two_layer_one_example(hidden: str = "tanh", n0: int = 3, n1: int = 4, seed: int = 0) -> Comparison:
    """The two-layer network on one example: the engine against dz2, dW2, db2, dz1, dW1, db1."""
    _check_sizes("two_layer_one_example", seed, n0=n0, n1=n1)
    g1_prime = _hidden(hidden)[2].format(z="z1")
    X, Y, W1, b1, W2, b2 = _two_layer_setup(n0, n1, 1, seed)
    model = _two_layer_model(hidden, W1, b1, W2, b2)
    a1 = _as_list(model.layers[0](_column(X)))
    a2 = _output_unit(model.layers[1](a1))
    binary_cross_entropy(a2, float(Y[0, 0])).backward()
    dW1, db1 = _gradients(model.layers[0])
    dW2, db2 = _gradients(model.layers[1])
    engine = {
        "dz2": np.array([[_pre_activation(a2).grad]]),
        "dW2": dW2,
        "db2": db2,
        "dz1": np.array([[_pre_activation(a).grad] for a in a1]),
        "dW1": dW1,
        "db1": db1,
    }
    note = lazy_gettext(
        "g1'(z1) = {g1_prime} for g1 = {hidden}. dz2 and dz1 are the gradients at the weighted sums, "
        "the nodes before each activation. The input x gets no gradient: it is data, not a parameter.",
        g1_prime=g1_prime,
        hidden=hidden,
    )
    return compare(
        _two_layer_title(lazy_gettext("one example (y = {y:g})", y=Y[0, 0]), hidden, n0, n1, seed),
        engine,
        two_layer_one_example_formulas(X, Y, W1, b1, W2, b2, hidden),
        TWO_LAYER_ONE_EXAMPLE_LINES,
        [note],
    )


# translators: a lecture formula, then what a term in it is: "dW2 = (1/m)·dZ2·A1ᵀ   with dZ2 = A2 − Y"
_WITH = lazy_gettext("{formula}   with {definition}")

TWO_LAYER_LINES: dict[str, Text] = {
    "dW2": _WITH.format(formula="dW2 = (1/m)·dZ2·A1ᵀ", definition="dZ2 = A2 − Y"),
    "db2": "db2 = (1/m)·sum(dZ2, axis=1, keepdims=True)",
    "dW1": _WITH.format(formula="dW1 = (1/m)·dZ1·Xᵀ ", definition="dZ1 = W2ᵀ·dZ2 * g1'(Z1)"),  # "with" lined up
    "db1": "db1 = (1/m)·sum(dZ1, axis=1, keepdims=True)",
}


def two_layer_formulas(
    X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array, hidden: str = "tanh"
) -> dict[str, Array]:
    """Seed 002's vectorised backward pass: X is (n0, m), one example per column, Y is (1, m)."""
    g1, g1_prime, _ = _hidden(hidden)
    m = X.shape[1]
    Z1, A1, Z2, A2 = _two_layer_forward(X, W1, b1, W2, b2, g1)

    dZ2 = A2 - Y
    dW2 = (1 / m) * dZ2 @ A1.T
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = W2.T @ dZ2 * g1_prime(Z1)
    dW1 = (1 / m) * dZ1 @ X.T
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    _check_shapes(
        ("dZ2", dZ2, Z2), ("dW2", dW2, W2), ("db2", db2, b2), ("dZ1", dZ1, Z1), ("dW1", dW1, W1), ("db1", db1, b1)
    )
    return {"dW2": dW2, "db2": db2, "dW1": dW1, "db1": db1}


def two_layer(hidden: str = "tanh", n0: int = 3, n1: int = 4, m: int = 5, seed: int = 0) -> Comparison:
    """The two-layer network on m examples, cost J = (1/m)·Σ L(A2, Y): the engine against dW2, db2, dW1, db1."""
    _check_sizes("two_layer", seed, n0=n0, n1=n1, m=m)
    g1_prime = _hidden(hidden)[2].format(z="Z1")
    X, Y, W1, b1, W2, b2 = _two_layer_setup(n0, n1, m, seed)
    model = _two_layer_model(hidden, W1, b1, W2, b2)
    predictions = [_output_unit(model(_column(X[:, t]))) for t in range(m)]
    binary_cross_entropy(predictions, _column(Y)).backward()  # the mean over the examples: J
    dW1, db1 = _gradients(model.layers[0])
    dW2, db2 = _gradients(model.layers[1])
    note = lazy_gettext(
        "g1'(Z1) = {g1_prime} for g1 = {hidden}. Column t of dZ2 = A2 − Y is the gradient of example t's "
        "own loss; the engine differentiates the cost J = (1/m)·Σ L, and the lecture's 1/m in dW and db "
        "is that mean. X plays the role of A0, which is why dW1 has the form of dW2.",
        g1_prime=g1_prime,
        hidden=hidden,
    )
    kind = lazy_ngettext("vectorised over m = {m} example", "vectorised over m = {m} examples", m, m=m)
    return compare(
        _two_layer_title(kind, hidden, n0, n1, seed),
        {"dW2": dW2, "db2": db2, "dW1": dW1, "db1": db1},
        two_layer_formulas(X, Y, W1, b1, W2, b2, hidden),
        TWO_LAYER_LINES,
        [note],
    )


# ---- 4. the L-layer algorithm with accumulators and regularisation (seeds 000, 001) ---

SLIPS: dict[str, Text] = {
    "derivative": lazy_gettext(
        "The seed writes d(l) = (Θ(l)ᵀ·d(l+1)) * g(z(l)), with g where its derivative g'(z(l)) = a(l)·(1 − a(l)) "
        "is meant. Run that way, d(l) of every hidden layer is wrong, so D(1) … D(L−2) disagree, while "
        "D(L−1), which only uses d(L) = a(L) − y, still agrees."
    ),
    "bias": lazy_gettext(
        "The seed writes the regularisation condition as 'l ≠ 0 / l = 0' where the column index j is meant. "
        "Layers are counted from 1, so l is never 0: run that way, the bias column j = 0 is regularised too "
        "and D(l)[i, 0] is off by λ·Θ(l)[i, 0]/m (nothing at all when λ = 0)."
    ),
}
"""The seed texts' two slips, by the name `l_layer(slips=...)` takes; ``str()`` of one is its explanation."""


def _with_bias_unit(a: Array) -> Array:
    """a(l) with the bias unit 1 prepended, the input Θ(l)'s column j = 0 multiplies."""
    return np.vstack([np.ones((1, a.shape[1])), a])


def l_layer_formulas(
    X: Array, Y: Array, Theta: dict[int, Array], lam: float, slips: Collection[str] = ()
) -> dict[int, Array]:
    """Seeds 000/001's algorithm: D(l) for each Θ(l), l = 1 … L−1, with g = σ everywhere.

    `Theta[l]` is (units in layer l+1, 1 + units in layer l), its column j = 0
    multiplying the bias unit. X is (units in layer 1, m), Y (units in layer L, m).
    `slips` runs the algorithm as the seeds literally write it (see `SLIPS`).
    """
    _check_slips(slips)
    g = sigmoid
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}  # 1. every accumulator Δ(l) set to zero
    for t in range(m):  # 2. for each example
        a = {1: X[:, [t]]}
        z = {}
        for l in range(2, L + 1):  # forward propagation
            z[l] = Theta[l - 1] @ _with_bias_unit(a[l - 1])
            a[l] = g(z[l])
        d = {L: a[L] - Y[:, [t]]}
        for l in range(L - 1, 1, -1):
            g_prime_of_z = g(z[l]) if "derivative" in slips else a[l] * (1 - a[l])
            # [1:] drops the bias unit's entry: nothing flows back into the constant 1
            d[l] = (Theta[l].T @ d[l + 1])[1:] * g_prime_of_z
        for l in range(1, L):
            Delta[l] += d[l + 1] @ _with_bias_unit(a[l]).T
    D = {}
    for l in Theta:  # 3. from accumulators to gradients
        j = np.arange(Theta[l].shape[1])
        regularised = l != 0 if "bias" in slips else j != 0
        D[l] = np.where(regularised, (1 / m) * (Delta[l] + lam * Theta[l]), (1 / m) * Delta[l])
        _check_shapes((f"dΘ({l})", D[l], Theta[l]))  # D(l) is dJ/dΘ(l)
    return D


def _check_slips(slips: Collection[str]) -> None:
    unknown = set(slips) - set(SLIPS)
    if unknown:
        raise ValueError(f"unknown slips {sorted(unknown)}; choose among {', '.join(SLIPS)}")


def l_layer(
    sizes: Sequence[int] = (3, 4, 2),
    m: int = 5,
    lam: float = 0.5,
    seed: int = 0,
    slips: Collection[str] = (),
) -> Comparison:
    """The L-layer algorithm against the engine's gradient of the regularised cost.

    `sizes` are the units of layers 1 … L (layer 1 is the input). The engine
    minimises J = (1/m)·Σ_t Σ_k L(a_k, y_k) + l2_penalty(model, λ/(2m)), whose
    gradient is exactly D. Name `slips` (keys of `SLIPS`) to run the algorithm
    as the seeds literally write it and see it disagree.
    """
    _check_slips(slips)
    if len(sizes) < 2:
        raise ValueError(f"l_layer needs at least two layer sizes, got {sizes}")
    _check_sizes("l_layer", seed, m=m, **{f"sizes[{k}]": size for k, size in enumerate(sizes)})
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    Y = rng.integers(0, 2, (sizes[-1], m)).astype(np.float64)
    Theta = {l: rng.standard_normal((sizes[l], 1 + sizes[l - 1])) for l in range(1, len(sizes))}

    model = MLP(sizes[0], sizes[1:], activation="sigmoid", output_activation="sigmoid", seed=0)  # weights replaced
    for l, layer in zip(Theta, model.layers):
        _load(layer, Theta[l][:, 1:], Theta[l][:, :1])
    losses = []
    for t in range(m):
        outputs = _as_list(model(_column(X[:, t])))
        losses += [binary_cross_entropy(a_k, y_k) for a_k, y_k in zip(outputs, _column(Y[:, t]))]
    cost = sum(losses[1:], losses[0]) / m + l2_penalty(model, lam / (2 * m))
    cost.backward()
    engine = {}
    for l, layer in zip(Theta, model.layers):
        dW, db = _gradients(layer)
        engine[f"D({l})"] = np.hstack([db, dW])

    D = l_layer_formulas(X, Y, Theta, lam, slips)
    line: Text
    if "bias" in slips:
        line = lazy_gettext("D({l}) = (1/m)·(Δ({l}) + λ·Θ({l}))   since l ≠ 0")
    else:
        line = lazy_gettext("D({l}) = (1/m)·(Δ({l}) + λ·Θ({l})) for j ≠ 0,  (1/m)·Δ({l}) for j = 0")
    how: Text
    if slips:
        named = ", ".join(slip for slip in SLIPS if slip in slips)
        # translators: {slips} are the names the code gives them: derivative, bias
        how = lazy_gettext("as the seeds write it (slips: {slips})", slips=named)
        notes = [SLIPS[slip] for slip in SLIPS if slip in slips]
    else:
        how = lazy_gettext("corrected")
        notes = [
            lazy_gettext(
                "Corrected as the notes say: d(l) uses g'(z(l)) = a(l)·(1 − a(l)), and only the weight columns "
                "j ≠ 0 are regularised. Column j = 0 of D(l) is the bias gradient. The engine's cost is "
                "J = (1/m)·Σ L + l2_penalty(model, λ/(2m)), biases unpenalised, whose gradient is exactly D."
            )
        ]
    return compare(
        lazy_gettext(
            "L-layer algorithm, {how}: sizes {sizes}, m = {m}, λ = {lam:g}, g = σ, seed {seed}",
            how=how,
            sizes=list(sizes),
            m=m,
            lam=lam,
            seed=seed,
        ),
        engine,
        {f"D({l})": D[l] for l in D},
        {f"D({l})": line.format(l=l) for l in D},
        notes,
    )
