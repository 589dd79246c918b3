"""The demo behind ``make demo``: the whole project in under a minute, in a terminal.

It prints the lecture's smallest example and two of its derivations checked
against the engine, draws the classic tanh neuron and one step of its backward
pass, saves a backward player page, trains an MLP on two moons, and lists the
files it wrote. Every file appears whole or not at all (written to a temporary
file, then renamed), so a full disk or Ctrl-C leaves nothing cut off behind.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from autograd import lecture
from autograd.data import Standardizer, make_moons, train_val_split
from autograd.engine import Value
from autograd.explain import explain
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
    write_atomically,
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


def _heading(text: str) -> None:
    print(f"\n{text}\n{'─' * len(text)}")


def _render(drawing: Drawing, path: Path, written: list[Path]) -> None:
    """Save `drawing` as SVG and PNG, or as DOT text when Graphviz's dot is missing."""
    try:
        for suffix in (".svg", ".png"):
            written.append(drawing.write(path.with_suffix(suffix)))
    except GraphvizNotFound:
        written.append(drawing.write(path.with_suffix(".dot")))


def show_lecture() -> None:
    """Print the seed example and the lecture's derivations, engine against formula."""
    _heading("1. The smallest example (seed 004)")
    print(lecture.seed_example())
    _heading("2. Logistic regression, one example")
    print(lecture.logistic_regression())
    _heading("3. The two-layer network, vectorised over m examples")
    print(lecture.two_layer(hidden="tanh"))


def draw_neuron(out: Path, written: list[Path], highlighted_step: int = 4) -> None:
    """The lecture neuron after backward, its backward pass stopped at one step, and a player page."""
    _heading("4. The backward pass, drawn")
    neuron = lecture_neuron()
    neuron.backward()
    _render(draw_dot(neuron, DRAWING), out / "neuron", written)

    neuron.zero_grad()
    steps = neuron.backward_steps()
    for step in steps:
        print(f"step {step.index} of {step.total - 1}: {explain(step)}")  # step 0 is the seed, o.grad = 1
        if step.index == highlighted_step:
            break
    _render(draw_dot(neuron, DRAWING, highlight=step), out / "neuron_step", written)  # gradients known so far
    steps.close()

    neuron.zero_grad()
    player = backward_player(neuron, DRAWING)  # without dot, the page draws in the browser
    written.append(player.save(out / "backward_player.html"))


def train_moons(out: Path, written: list[Path], epochs: int) -> None:
    """Train an MLP on two moons and plot its loss curve and decision boundary."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no window
    import matplotlib.pyplot as plt

    _heading("5. Training an MLP on two moons")
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
    print(
        f"{len(history)} epochs; best epoch {best + 1}: validation loss {history.val_loss[best]:.3f}, "
        f"validation accuracy {history.val_accuracy[best]:.0%}"
    )
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
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    show_lecture()
    draw_neuron(folder, written)
    if any(path.suffix == ".dot" for path in written):
        print(f"\n{INSTALL_GRAPHVIZ}\nThe drawings were saved as DOT text instead; the player draws in the browser.")
    train_moons(folder, written, epochs)
    _heading("Written")
    for path in written:
        print(f"  {path}")
    return written
