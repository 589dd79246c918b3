"""The demo behind ``make demo``: the whole project in under a minute, in a terminal.

It prints the source texts' smallest example and two of the lecture's
derivations, forward values first (small enough to check by hand), then the
gradients, engine against formula, in short tables of four significant digits;
walks the classic tanh neuron's backward pass step by step, draws it and one
highlighted step, saves a backward player page; trains an MLP on two moons;
and ends with one line per file written, saying what it is and how to open it.
Every file appears whole or not at all (written to a temporary file, then
renamed), so a full disk or Ctrl-C leaves nothing cut off behind.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from autograd import lecture
from autograd.course.pictures import matrices
from autograd.data import Standardizer, make_moons, train_val_split
from autograd.display import format_number, write_atomically
from autograd.engine import Value
from autograd.explain import explain
from autograd.i18n import _, direction, ngettext
from autograd.nn import MLP, binary_cross_entropy_with_logits
from autograd.optim import Adam
from autograd.train import fit, plot_decision_boundary
from autograd.viz import (
    INSTALL_GRAPHVIZ,
    Drawing,
    DrawingOptions,
    GraphvizNotFound,
    backward_player,
    draw_dot,
)

DRAWING = DrawingOptions(dpi=192)
"""How the demo draws: PNGs at twice the screen's resolution, sharp on slides."""


def lecture_neuron() -> Value:
    """The classic neuron: o = tanh(x1·w1 + x2·w2 + b), every node labelled, with ∂o/∂n = 0.5."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1.label, x2w2.label = "x1w1", "x2w2"
    s = x1w1 + x2w2
    s.label = "x1w1 + x2w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


# ---- words ---------------------------------------------------------------------------
# Every sentence the demo prints is here, translated when it is printed (see autograd.i18n);
# numbers and formulas go in with str.format after translation.


def _words() -> dict[str, str]:
    return {
        "smallest": _("1. The smallest example (the shorter overview article runs it in PyTorch)"),
        "logistic": _("2. Logistic regression, one example (Andrew Ng's lecture)"),
        "two_layer": _("3. The two-layer network, vectorised over m = 5 examples (the same lecture)"),
        "neuron": _("4. The backward pass of a tanh neuron, one step at a time"),
        "training": _("5. Training an MLP on two moons"),
        "written": _("Written to {folder}:"),
        "forward": _("forward:"),
        "backward": _("backward, the engine against the lecture's formula:"),
        "step": _("step {index} of {last}:"),
        "dot_instead": _(
            "Graphviz's dot program is not on PATH, so the drawings were saved as DOT text instead; "
            "the player draws in the browser. To draw them, install Graphviz:"
        ),
        "steps": _("Step 0 is the seed; each later step sends a gradient back along one arrow."),
        "drawn_step": _(
            "neuron_step.png shows the graph at step {step}, highlighted; backward_player.html plays them all."
        ),
        "neuron.svg": _(
            "the tanh neuron after backward(), each value with its data and grad: open it in a web browser"
        ),
        "neuron.png": _("the same drawing, as a picture: open it in any image viewer"),
        "neuron.dot": _("the tanh neuron after backward(), as Graphviz DOT text: install Graphviz to draw it"),
        "neuron_step.svg": _(
            "the neuron at step {step} of its backward pass, that step highlighted: open it in a web browser"
        ),
        "neuron_step.png": _("the same step, as a picture: open it in any image viewer"),
        "neuron_step.dot": _("the neuron at step {step}, highlighted, as Graphviz DOT text"),
        "backward_player.html": _("the whole backward pass, step by step: open it in a web browser, press → or play"),
        "loss_curve.png": _("loss and accuracy per epoch, training and validation: open it in any image viewer"),
        "decision_boundary.png": _(
            "the trained model's two classes over the plane, the points on top: any image viewer"
        ),
    }


def _epochs(epochs: int) -> str:
    return ngettext(
        "{epochs} epoch; best epoch {best}: validation loss {loss}, validation accuracy {accuracy}",
        "{epochs} epochs; best epoch {best}: validation loss {loss}, validation accuracy {accuracy}",
        epochs,
    )


def _headers() -> dict[str, tuple[str, ...]]:
    return {
        "values": (_("gradient"), _("engine"), _("formula"), _("the lecture's line")),
        "summary": (_("gradient"), _("shape"), _("largest |engine − formula|"), _("the lecture's line")),
    }


def _columns() -> str:
    # translators: said before a table instead of its header row, in a right-to-left language
    return _("The columns, from left to right: {names}.")


# ---- printing ---------------------------------------------------------------------------

HIGHLIGHTED_STEP = 4
"""The step `neuron_step` draws: the sum passing its gradient on to x1w1, halfway back."""


def _heading(text: str) -> None:
    print(f"\n{text}\n{'─' * len(text)}")


def _say(words: str, *formulas: str) -> None:
    """Words followed by formulas: on one line left to right; right to left, each formula on a line of its own.

    Many terminals lay out a line without the Unicode bidirectional algorithm, and those that apply it
    reorder a formula that shares a line with right-to-left words: on its own line it keeps its order.
    """
    if direction() == "rtl":
        print(f"  {words}")
        for formula in formulas:
            print(f"    {formula}")
    else:
        print("  " + " ".join([words, *formulas]))


def _numbers(array: Any) -> str:
    """A gradient's entries, four significant digits each: one number, or a flat list of them."""
    values = [format_number(float(x)) for x in array.ravel()]
    return values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell. Right to left, the header row is a sentence before the table:
    padded words would line up with the columns only in a terminal that lays them out left to right."""
    table = [header, *rows]
    if direction() == "rtl":
        # translators: what separates the items of a list ("gradient, engine, formula")
        print("  " + _columns().format(names=_(", ").join(header)))
        table = rows
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  " + "   ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def _verdict(comparison: lecture.Comparison) -> None:
    print(f"  {comparison.verdict()}")


def _render(drawing: Drawing, path: Path, written: list[Path]) -> None:
    """Save `drawing` as SVG and PNG, or as DOT text when Graphviz's dot is missing."""
    try:
        for suffix in (".svg", ".png"):
            written.append(drawing.write(path.with_suffix(suffix)))
    except GraphvizNotFound:
        written.append(drawing.write(path.with_suffix(".dot")))


def smallest_example() -> None:
    """The source texts' (w·x − 10)²: the forward values, then dloss/dw both ways."""
    words = _words()
    _heading(words["smallest"])
    w, x = 2.0, 3.0
    residual = w * x - 10
    _say(words["forward"], "w = 2, x = 3")
    print(f"    w·x − 10 = {format_number(residual)}, loss = (w·x − 10)² = {format_number(residual**2)}")
    comparison = lecture.seed_example(w, x)
    print(f"  {words['backward']}")
    _table(
        _headers()["values"],
        [
            ("dloss/dw", format_number(row.engine), format_number(row.formula), str(comparison.lines[row.quantity]))
            for row in comparison.rows
        ],
    )
    _verdict(comparison)


def logistic_regression() -> None:
    """Notebook 3's neuron, round numbers: the forward values, then da, dz, dw, db both ways."""
    import numpy as np

    words = _words()
    _heading(words["logistic"])
    x = np.array([[1.5], [0.5], [-1.0]])
    w = np.array([[0.4], [-0.6], [0.2]])
    b, y = np.array([[0.1]]), np.array([[1.0]])
    inputs = [Value(float(v)) for v in x[:, 0]]
    weights = [Value(float(v)) for v in w[:, 0]]
    bias = Value(float(b[0, 0]))
    z = sum((xi * wi for xi, wi in zip(inputs, weights)), bias)
    a = z.sigmoid()
    loss = -(a.log())  # y = 1: L(a, y) = −log(a)
    loss.backward()
    _say(words["forward"], "x = (1.5, 0.5, −1), w = (0.4, −0.6, 0.2), b = 0.1, y = 1")
    z_shown, a_shown, loss_shown = (format_number(v.data) for v in (z, a, loss))
    print(f"    z = wᵀx + b = {z_shown}, a = σ(z) = {a_shown}, L = −log(a) = {loss_shown}")
    engine = {
        "da": np.array([[a.grad]]),
        "dz": np.array([[z.grad]]),
        "dw": np.array([[wi.grad] for wi in weights]),
        "db": np.array([[bias.grad]]),
    }
    formula = lecture.logistic_regression_formulas(x, y, w, b)
    comparison = lecture.compare("", engine, formula, lecture.LOGISTIC_REGRESSION_LINES)
    print(f"  {words['backward']}")
    _table(
        _headers()["values"],
        [(q, _numbers(engine[q]), _numbers(formula[q]), str(comparison.lines[q])) for q in formula],
    )
    _verdict(comparison)


def two_layer() -> None:
    """The lecture's vectorised two-layer network (tanh): the cost, then one line per gradient."""
    words = _words()
    _heading(words["two_layer"])
    comparison = lecture.two_layer(hidden="tanh")
    engine = matrices(comparison)
    print(f"  {words['backward']}")
    _table(
        _headers()["summary"],
        [
            (q, str(engine[q].shape), format_number(largest) if largest else "0", str(comparison.lines[q]))
            for q, largest in comparison.max_differences().items()
        ],
    )
    _verdict(comparison)


def show_lecture() -> None:
    """Print the smallest example and the lecture's derivations: forward values, then engine against formula."""
    smallest_example()
    logistic_regression()
    two_layer()


def draw_neuron(out: Path, written: list[Path], highlighted_step: int = HIGHLIGHTED_STEP) -> None:
    """The lecture neuron after backward, its backward pass step by step with one step drawn, and a player page."""
    words = _words()
    _heading(words["neuron"])
    neuron = lecture_neuron()
    n = neuron.parents[0]
    _say(words["forward"], "x1 = 2, w1 = −3, x2 = 0, w2 = 1, b = 6.881")
    print(f"    n = x1·w1 + x2·w2 + b = {format_number(n.data)}, o = tanh(n) = {format_number(neuron.data)}")
    neuron.backward()
    _render(draw_dot(neuron, DRAWING), out / "neuron", written)

    neuron.zero_grad()
    steps = neuron.backward_steps()
    for step in steps:
        explanation = explain(step)
        words_of_step = words["step"].format(index=step.index, last=step.total - 1)
        if direction() == "rtl":  # a formula's own line may end in words: "(was 0)"
            _say(words_of_step, explanation.derivative, explanation.update)
        else:
            _say(words_of_step, str(explanation))
        if step.index == highlighted_step:
            _render(draw_dot(neuron, DRAWING, highlight=step), out / "neuron_step", written)  # gradients known so far
    print("  " + words["steps"])
    print("  " + words["drawn_step"].format(step=highlighted_step))

    neuron.zero_grad()
    player = backward_player(neuron, DRAWING)  # without dot, the page draws in the browser
    written.append(player.save(out / "backward_player.html"))


def train_moons(out: Path, written: list[Path], epochs: int) -> None:
    """Train an MLP on two moons and plot its loss curve and decision boundary."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no window
    import matplotlib.pyplot as plt

    _heading(_words()["training"])
    X, y = make_moons(200, noise=0.15, seed=0)
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_fraction=0.25, seed=0)
    scaler = Standardizer.fit(X_train)
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    model = MLP(2, [16, 16, 1], seed=0)
    optimizer = Adam(model.parameters(), lr=0.03)
    history = fit(
        model, X_train, y_train, binary_cross_entropy_with_logits, optimizer,
        epochs=epochs, batch_size=16, validation=(X_val, y_val), patience=15, seed=0,
    )  # fmt: skip
    best = history.best_epoch if history.best_epoch is not None else len(history) - 1
    summary = _epochs(len(history)).format(
        epochs=len(history),
        best=best + 1,
        loss=f"{history.val_loss[best]:.3f}",
        accuracy=f"{history.val_accuracy[best]:.0%}",
    )
    print(f"  {summary}")
    for name, draw in [
        ("loss_curve.png", history.plot),
        ("decision_boundary.png", lambda: plot_decision_boundary(model, X_train, y_train)),
    ]:
        draw()
        png = io.BytesIO()
        plt.savefig(png, format="png", dpi=100)
        plt.close()
        written.append(write_atomically(out / name, png.getvalue()))


def run(out: str | os.PathLike[str] = "autograd-demo", epochs: int = 60) -> list[Path]:
    """Run the demo, writing its pictures into `out`; returns the files written."""
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"run: epochs must be a whole number >= 1, got epochs = {epochs!r}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    show_lecture()
    draw_neuron(folder, written)
    if any(path.suffix == ".dot" for path in written):
        commands = [line for line in INSTALL_GRAPHVIZ.splitlines() if line.startswith("  ")]
        print("\n" + "\n".join([_words()["dot_instead"], *commands]))
    train_moons(folder, written, epochs)
    _list_written(folder, written)
    return written


def _list_written(folder: Path, written: list[Path]) -> None:
    """One line per file: its name, what it is and how to open it."""
    words = _words()
    _heading(words["written"].format(folder=folder))
    width = max(len(path.name) for path in written)
    for path in written:
        what = words[path.name].format(step=HIGHLIGHTED_STEP)
        if direction() == "rtl":  # the name on a line of its own, left to right, as the formulas
            print(f"  {path.name}\n      {what}")
        else:
            print(f"  {path.name.ljust(width)}   {what}")
