"""The training helper: the loop, mini-batches, early stopping, accuracy, and the two plots."""

from __future__ import annotations

import io
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from autograd import Value
from autograd.data import Standardizer, make_blobs, make_moons
from autograd.nn import (
    MLP,
    Dropout,
    Layer,
    Module,
    Sequential,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l2_penalty,
)
from autograd.optim import SGD, Adam
from autograd.train import History, accuracy, default_threshold, evaluate, fit, plot_decision_boundary, predicted_class

X, Y = make_moons(40, noise=0.1, seed=0)
X = Standardizer.fit(X).transform(X)
FLIPPED = [1 - label for label in Y]


@pytest.fixture(autouse=True)
def _draw_off_screen() -> Iterator[None]:
    """Draw with the Agg backend, and close every figure a test opened."""
    matplotlib.use("Agg")
    yield
    plt.close("all")


def test_importing_the_helper_loads_neither_matplotlib_nor_tqdm() -> None:
    code = "import sys, autograd.train; print(sorted({'matplotlib', 'tqdm', 'numpy'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _moons_model() -> MLP:
    return MLP(2, [6, 1], seed=0)


def _fit_moons(model: Module, **options: object) -> History:
    optimizer = Adam(model.parameters(), lr=0.1)
    options = {"progress": False, **options}
    return fit(model, X, Y, binary_cross_entropy_with_logits, optimizer, **options)  # type: ignore[arg-type]


def test_training_reduces_loss_and_records_every_epoch() -> None:
    history = _fit_moons(_moons_model(), epochs=25, validation=(X, Y))
    assert len(history) == 25
    assert len(history.train_accuracy) == len(history.val_loss) == len(history.val_accuracy) == 25
    assert history.train_loss[-1] < 0.6 * history.train_loss[0]
    assert history.val_loss[-1] < 0.7 * history.val_loss[0]
    assert history.train_accuracy[-1] >= 0.8
    assert history.best_epoch == history.val_loss.index(min(history.val_loss))
    assert not history.stopped_early


def test_without_validation_data_there_are_no_validation_numbers() -> None:
    history = _fit_moons(_moons_model(), epochs=3)
    assert len(history) == 3
    assert history.val_loss == history.val_accuracy == []
    assert history.best_epoch is None


class StepCounter(SGD):
    steps_taken = 0

    def step(self) -> None:
        self.steps_taken += 1
        super().step()


class Recorder(Module):
    """A model that remembers every input it is called on."""

    def __init__(self, model: MLP) -> None:
        self.model = model
        self.inputs: list[tuple[float, ...]] = []

    def __call__(self, x: Sequence[float]) -> Value | list[Value]:
        self.inputs.append(tuple(x))
        return self.model(x)


@pytest.mark.parametrize(("batch_size", "steps_per_epoch"), [(None, 1), (16, 3), (40, 1), (1, 40)])
def test_each_epoch_takes_one_step_per_mini_batch_and_sees_every_example_once(
    batch_size: int | None, steps_per_epoch: int
) -> None:
    model = Recorder(_moons_model())
    optimizer = StepCounter(model.parameters(), lr=0.01)
    fit(model, X, Y, hinge_loss, optimizer, epochs=2, batch_size=batch_size, seed=0, progress=False)
    assert optimizer.steps_taken == 2 * steps_per_epoch
    first_epoch, second_epoch = model.inputs[:40], model.inputs[40:]
    assert Counter(first_epoch) == Counter(second_epoch) == Counter(tuple(x) for x in X)
    assert (first_epoch != second_epoch) == (batch_size is not None)  # mini-batches are reshuffled


def test_shuffling_is_reproducible_with_a_seed() -> None:
    def run(seed: int) -> list[float]:
        return _fit_moons(_moons_model(), epochs=3, batch_size=8, seed=seed).train_loss

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_early_stopping_stops_and_restores_the_best_parameters() -> None:
    # Validation labels are the training labels flipped: the better the fit, the worse the validation loss.
    model = _moons_model()
    history = _fit_moons(model, epochs=30, validation=(X, FLIPPED), patience=3)
    assert history.stopped_early
    assert history.best_epoch is not None
    assert len(history) == history.best_epoch + 3 + 1 < 30
    val_loss, _ = evaluate(model, X, FLIPPED, binary_cross_entropy_with_logits)
    assert val_loss == history.val_loss[history.best_epoch] < history.val_loss[-1]


def test_early_stopping_needs_validation_data() -> None:
    with pytest.raises(ValueError, match="validation"):
        _fit_moons(_moons_model(), patience=3)


def test_bad_training_data_is_refused() -> None:
    model = _moons_model()
    optimizer = SGD(model.parameters())
    with pytest.raises(ValueError, match="labels"):
        fit(model, X, Y[:-1], hinge_loss, optimizer, progress=False)
    with pytest.raises(ValueError, match="batch_size"):
        fit(model, X, Y, hinge_loss, optimizer, batch_size=0, progress=False)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([[0.5, 1.0], [0.2], [0.1, 0.3]], r"^fit: every input needs 2 numbers, but input 1 is \[0.2\]$"),
        ([0.5, 1.0, 0.2], r"^fit: every input must be a list of numbers, but input 0 is 0.5$"),
    ],
)
def test_ragged_or_flat_inputs_are_refused_before_any_step(inputs: list[object], message: str) -> None:
    model = _moons_model()
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=message):
        fit(model, inputs, [0, 1, 0], hinge_loss, SGD(model.parameters()), batch_size=1)  # type: ignore[arg-type]
    assert [p.data for p in model.parameters()] == before


def test_validation_data_is_checked_like_the_training_data() -> None:
    model = _moons_model()
    with pytest.raises(
        ValueError, match=r"^validation: every input needs 2 numbers, but input 0 is \[1.0, 2.0, 3.0\]$"
    ):
        _fit_moons(model, validation=([[1.0, 2.0, 3.0]], [1]))
    with pytest.raises(
        ValueError, match=r"^validation: needs one label per input, and some of each: got 1 inputs and 2 labels$"
    ):
        _fit_moons(model, validation=([[1.0, 2.0]], [1, 0]))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"epochs": 0}, "epochs must be at least 1, got epochs = 0"),
        ({"epochs": -3}, "epochs must be at least 1, got epochs = -3"),
        ({"patience": -1, "validation": (X, Y)}, "patience must be >= 0, got patience = -1"),
    ],
)
def test_no_epochs_or_a_negative_patience_is_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=f"^fit: {message}$"):
        _fit_moons(_moons_model(), **options)


def test_numpy_arrays_train_exactly_like_lists() -> None:
    from_lists = _fit_moons(_moons_model(), epochs=3, batch_size=8, validation=(X, Y), seed=0)
    model = _moons_model()
    from_arrays = fit(
        model, np.array(X), np.array(Y), binary_cross_entropy_with_logits, Adam(model.parameters(), lr=0.1),
        epochs=3, batch_size=8, validation=(np.array(X), np.array(Y)), seed=0, progress=False,
    )  # fmt: skip
    assert from_arrays == from_lists


class Terminal(io.StringIO):
    """What tqdm writes to when stderr is a terminal."""

    def isatty(self) -> bool:
        return True


@contextmanager
def terminal() -> Iterator[Terminal]:
    """sys.stderr as a terminal, inside the test (pytest's own capture replaces it between phases)."""
    screen, stderr = Terminal(), sys.stderr
    sys.stderr = screen
    try:
        yield screen
    finally:
        sys.stderr = stderr


def test_on_a_terminal_the_progress_bar_is_one_line_redrawn() -> None:
    with terminal() as screen:
        _fit_moons(_moons_model(), epochs=3, progress=True)
    written = screen.getvalue()
    assert "3/3" in written and written.count("\n") == 1 and written.endswith("\n")


def test_into_a_pipe_or_a_file_no_progress_bar_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    _fit_moons(_moons_model(), epochs=3, progress=True)  # pytest's capture is no terminal, like `| tee`
    assert capsys.readouterr() == ("", "")


def test_the_progress_bar_is_closed_when_training_is_interrupted() -> None:
    batches = 0

    def interrupted_in_epoch_3(outputs: list[Value], targets: list[float]) -> Value:
        nonlocal batches
        batches += 1
        if batches == 3:
            raise KeyboardInterrupt  # what Ctrl-C raises
        return binary_cross_entropy_with_logits(outputs, targets)

    model = _moons_model()
    with terminal() as screen:
        try:
            fit(model, X, Y, interrupted_in_epoch_3, Adam(model.parameters()), epochs=10)
        except KeyboardInterrupt:  # read while the exception is live: a bar left open is only closed when it dies
            last_state = screen.getvalue().split("\r")[-1]  # tqdm redraws its line after a carriage return
    assert " 2/10 " in last_state and last_state.endswith("\n")  # two epochs done, and the line ended


def test_training_works_without_tqdm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    history = _fit_moons(_moons_model(), epochs=3, progress=True)
    assert len(history) == 3
    assert capsys.readouterr().err == ""


def test_three_blobs_train_with_cross_entropy() -> None:
    X3, y3 = make_blobs(60, centers=3, cluster_std=1.5, seed=0)
    X3 = Standardizer.fit(X3).transform(X3)
    model = MLP(2, [8, 3], seed=0)
    history = fit(
        model, X3, y3, cross_entropy, Adam(model.parameters(), lr=0.05), epochs=15, batch_size=16, progress=False
    )
    assert history.train_loss[-1] < 0.3 * history.train_loss[0]
    assert history.train_accuracy[-1] >= 0.9
    assert evaluate(model, X3, y3, cross_entropy)[1] >= 0.9


def test_hinge_loss_trains_with_labels_minus_one_and_one() -> None:
    signs = [2 * label - 1 for label in Y]
    model = _moons_model()
    history = fit(model, X, signs, hinge_loss, Adam(model.parameters(), lr=0.05), epochs=15, progress=False)
    assert history.train_accuracy[-1] >= 0.8
    assert evaluate(model, X, signs, hinge_loss)[1] >= 0.8


def test_accuracy_reads_outputs_by_threshold_or_argmax() -> None:
    scores = [Value(0.3), Value(-0.2), Value(0.1)]
    assert accuracy(scores, [1, 0, 0]) == pytest.approx(2 / 3)  # logits, labels 0/1
    assert accuracy(scores, [1, -1, -1]) == pytest.approx(2 / 3)  # scores, labels −1/+1
    probabilities = [Value(0.7), Value(0.4)]
    assert accuracy(probabilities, [1, 0]) == 1.0  # all in [0, 1]: read at 0.5
    assert accuracy(probabilities, [1, 0], threshold=0.0) == 0.5
    logits = [[Value(1.0), Value(3.0), Value(2.0)], [Value(0.0), Value(-1.0), Value(-2.0)]]
    assert accuracy(logits, [1, 2]) == 0.5
    assert [predicted_class(output) for output in logits] == [1, 0]


def test_the_default_threshold_comes_from_the_labels_and_the_outputs() -> None:
    assert default_threshold([Value(0.9), Value(0.0), Value(1.0)], [1, 0, 1]) == 0.5  # probabilities
    assert default_threshold([Value(0.9), Value(-0.2)], [1, 0]) == 0.0  # logits
    assert default_threshold([Value(0.9), Value(0.2)], [1, -1]) == 0.0  # scores for labels −1/+1
    assert default_threshold([Value(0.9), Value(1.5)], [1, 0]) == 0.0


def test_accuracy_needs_one_label_per_output_and_some_of_each() -> None:
    with pytest.raises(
        ValueError, match=r"^accuracy: needs one label per output, and some of each: got 0 outputs and 0 labels$"
    ):
        accuracy([], [])
    with pytest.raises(ValueError, match=r"got 2 outputs and 1 labels$"):
        accuracy([Value(0.2), Value(0.4)], [1])


def test_a_loss_wrapped_in_a_lambda_reads_accuracy_as_the_loss_itself() -> None:
    def train(loss_fn: object) -> History:
        model = MLP(2, [6, 1], output_activation="sigmoid", seed=0)
        optimizer = Adam(model.parameters(), lr=0.1)
        return fit(model, X, Y, loss_fn, optimizer, epochs=15, validation=(X, Y), progress=False)  # type: ignore[arg-type]

    plain = train(binary_cross_entropy)
    wrapped = train(lambda p, y: binary_cross_entropy(p, y))
    assert wrapped == plain
    assert plain.train_accuracy[-1] >= 0.8 and plain.val_accuracy[-1] >= 0.8  # read at 0.5, not at 0


def test_a_penalty_shrinks_the_weights_but_is_not_recorded() -> None:
    plain, penalised = _moons_model(), _moons_model()
    plain_history = _fit_moons(plain, epochs=10)
    penalised_history = _fit_moons(penalised, epochs=10, penalty=lambda model: l2_penalty(model, 0.1))

    def squared_norm(model: MLP) -> float:
        return sum(w.data**2 for w in model.weights())

    assert squared_norm(penalised) < 0.8 * squared_norm(plain)
    assert penalised_history.train_loss[0] == plain_history.train_loss[0]  # the same model before any step


def test_the_schedule_sets_the_learning_rate_of_every_epoch() -> None:
    model = _moons_model()
    optimizer = SGD(model.parameters())
    fit(model, X, Y, hinge_loss, optimizer, epochs=4, lr_schedule=lambda epoch: 0.1 * 0.5**epoch, progress=False)
    assert optimizer.lr == 0.1 * 0.5**3

    frozen = _moons_model()
    before = [p.data for p in frozen.parameters()]
    fit(frozen, X, Y, hinge_loss, SGD(frozen.parameters()), epochs=2, lr_schedule=lambda epoch: 0.0, progress=False)
    assert [p.data for p in frozen.parameters()] == before


class DropoutNet(Module):
    def __init__(self) -> None:
        self.hidden = Layer(2, 8, seed=0)
        self.dropout = Dropout(0.5, seed=0)
        self.output = Layer(8, 1, activation="linear", seed=1)

    def __call__(self, x: Sequence[float]) -> Value | list[Value]:
        return self.output(self.dropout(self.hidden(x)))  # type: ignore[arg-type]


def test_evaluation_turns_dropout_off_and_restores_the_mode() -> None:
    model = DropoutNet()
    first = evaluate(model, X, Y, binary_cross_entropy_with_logits)
    assert evaluate(model, X, Y, binary_cross_entropy_with_logits) == first
    assert model.training
    assert model.dropout.training
    training_outputs = [model(x).data for x in X[:5]]  # type: ignore[union-attr]
    assert training_outputs != [model(x).data for x in X[:5]]  # type: ignore[union-attr]


def test_history_plot_draws_loss_and_accuracy() -> None:
    history = _fit_moons(_moons_model(), epochs=4, validation=(X, Y))
    loss_ax, accuracy_ax = history.plot()
    assert loss_ax.figure is accuracy_ax.figure
    assert (loss_ax.get_title(), accuracy_ax.get_title()) == ("loss", "accuracy")
    train_line, val_line, best_line = loss_ax.get_lines()
    assert list(train_line.get_ydata()) == history.train_loss
    assert list(val_line.get_ydata()) == history.val_loss
    assert list(accuracy_ax.get_lines()[1].get_ydata()) == history.val_accuracy
    assert best_line.get_xdata()[0] == history.best_epoch + 1  # type: ignore[index, operator]


def test_history_plot_without_validation_has_one_curve_a_panel() -> None:
    loss_ax, accuracy_ax = _fit_moons(_moons_model(), epochs=2).plot()
    assert len(loss_ax.get_lines()) == len(accuracy_ax.get_lines()) == 1


def _point_colors(ax: matplotlib.axes.Axes) -> list[tuple[float, ...]]:
    return [tuple(color) for color in ax.collections[-1].get_facecolors()]


def test_decision_boundary_of_a_binary_model() -> None:
    model = _moons_model()
    ax = plot_decision_boundary(model, X, Y, resolution=20)
    colors = _point_colors(ax)
    assert len(ax.collections[-1].get_offsets()) == len(X)
    assert len(set(colors)) == 2
    assert all((colors[i] == colors[j]) == (Y[i] == Y[j]) for i in range(len(Y)) for j in range(len(Y)))
    assert model.training  # the drawing used eval mode and put the mode back


def _regions(ax: matplotlib.axes.Axes) -> list[np.ndarray]:
    return [path.vertices for path in ax.collections[0].get_paths()]  # type: ignore[attr-defined]


def test_decision_boundary_of_a_sigmoid_model_is_drawn_at_one_half() -> None:
    model = MLP(2, [6, 1], output_activation="sigmoid", seed=0)
    _fit_moons(model, epochs=5)
    drawn = _regions(plot_decision_boundary(model, X, Y, resolution=20))
    at_one_half = _regions(plot_decision_boundary(model, X, Y, resolution=20, threshold=0.5))
    at_zero = _regions(plot_decision_boundary(model, X, Y, resolution=20, threshold=0.0))
    assert len(drawn) == len(at_one_half) and all(np.array_equal(a, b) for a, b in zip(drawn, at_one_half))
    assert len(drawn) != len(at_zero) or not all(np.array_equal(a, b) for a, b in zip(drawn, at_zero))


def test_decision_boundary_of_more_classes_than_ten_colours() -> None:
    X12, y12 = make_blobs(48, centers=12, seed=0)
    ax = plot_decision_boundary(MLP(2, [4, 12], seed=0), X12, y12, resolution=10)
    assert len(set(_point_colors(ax))) == 12


@pytest.mark.parametrize(
    ("labels", "message"),
    [([0, 1, -1], "got -1"), ([0, 1, 3], "got 3"), ([0, 1, 1.5], "got 1.5")],
)
def test_decision_boundary_refuses_labels_that_are_not_class_indices(labels: list[float], message: str) -> None:
    with pytest.raises(
        ValueError, match=rf"^plot_decision_boundary: a model with 3 outputs needs labels 0 to 2, {message}$"
    ):
        plot_decision_boundary(MLP(2, [4, 3], seed=0), X[:3], labels, resolution=5)


def test_decision_boundary_refuses_inputs_that_are_not_points_of_the_plane() -> None:
    with pytest.raises(
        ValueError, match=r"^plot_decision_boundary: every input needs 2 numbers, but input 0 is \[1.0, 2.0, 3.0\]$"
    ):
        plot_decision_boundary(MLP(3, [4, 1], seed=0), [[1.0, 2.0, 3.0]], [1])


def test_decision_boundary_of_a_three_class_model_draws_into_given_axes() -> None:
    X3, y3 = make_blobs(30, centers=3, seed=0)
    _, given = plt.subplots()
    ax = plot_decision_boundary(MLP(2, [4, 3], seed=0), X3, y3, resolution=10, ax=given)
    assert ax is given
    assert len(set(_point_colors(ax))) == 3


# ---- fit(replay=True): the same training, replayed with numpy ----------------------------------------


def assert_same_history(replayed: History, eager: History) -> None:
    """Equal to rounding: the replay adds the same numbers, some in another order."""
    for name in ("train_loss", "train_accuracy", "val_loss", "val_accuracy"):
        assert getattr(replayed, name) == pytest.approx(getattr(eager, name), rel=1e-9, abs=1e-12), name
    assert (replayed.best_epoch, replayed.stopped_early) == (eager.best_epoch, eager.stopped_early)


@pytest.mark.parametrize(
    "options",
    [
        {"epochs": 8},
        {"epochs": 8, "batch_size": 8, "seed": 3, "validation": (X[:20], Y[:20])},
        {"epochs": 30, "validation": (X, FLIPPED), "patience": 3},
        {"epochs": 6, "batch_size": 16, "penalty": lambda model: l2_penalty(model, 0.05), "seed": 0},
    ],
    ids=["full batch", "mini-batches", "early stopping", "penalty"],
)
def test_fit_with_replay_gives_the_same_history_and_parameters(options: dict[str, object]) -> None:
    eager_model, replayed_model = _moons_model(), _moons_model()
    eager = _fit_moons(eager_model, **options)
    replayed = _fit_moons(replayed_model, replay=True, **options)
    assert_same_history(replayed, eager)
    assert [p.data for p in replayed_model.parameters()] == pytest.approx(
        [p.data for p in eager_model.parameters()], rel=1e-9, abs=1e-12
    )


def _labelled(kind: str) -> tuple[list[list[float]], list[int]]:
    if kind == "blobs":
        data, labels = make_blobs(60, centers=3, cluster_std=1.5, seed=0)
        return Standardizer.fit(data).transform(data), labels
    return X, [2 * label - 1 for label in Y] if kind == "signs" else Y


@pytest.mark.parametrize(
    ("loss_fn", "labels", "model"),
    [
        (cross_entropy, "blobs", lambda: MLP(2, [8, 3], seed=0)),
        (hinge_loss, "signs", _moons_model),
        (binary_cross_entropy, "moons", lambda: MLP(2, [6, 1], output_activation="sigmoid", seed=0)),
    ],
    ids=["cross-entropy", "hinge", "binary cross-entropy"],
)
def test_fit_with_replay_works_with_every_kind_of_label(loss_fn: Any, labels: str, model: Any) -> None:
    data, targets = _labelled(labels)
    histories = []
    for replay in (False, True):
        net = model()
        optimizer = Adam(net.parameters(), lr=0.05)
        options = {"epochs": 5, "batch_size": 16, "validation": (data, targets), "seed": 0, "progress": False}
        histories.append(fit(net, data, targets, loss_fn, optimizer, replay=replay, **options))  # type: ignore[arg-type]
    assert_same_history(histories[1], histories[0])


def test_fit_with_replay_refuses_a_model_with_dropout_while_training() -> None:
    model = Sequential(Layer(2, 6, seed=0), Dropout(0.5, seed=0), Layer(6, 1, activation="linear", seed=0))
    with pytest.raises(ValueError, match=r"fit\(replay=True\): the model used Dropout\(p=0.5\) in training mode.*"
                                         r"train this model without replay"):  # fmt: skip
        _fit_moons(model, epochs=2, replay=True)


class Rectifier(Module):
    """A layer followed by a ReLU written as an if on .data: a decision tracing cannot see."""

    def __init__(self) -> None:
        self.layer = Layer(2, 1, activation="linear", seed=0)

    def __call__(self, x: Sequence[float]) -> Value:
        z = self.layer(x)
        return z if z.data > 0 else z * 0.0  # type: ignore[union-attr, return-value]


def test_fit_with_replay_refuses_a_model_whose_replay_disagrees_with_the_eager_engine() -> None:
    with pytest.raises(ValueError, match=r"fit\(replay=True\): replayed, the loss is not the eager engine's \(example"):
        _fit_moons(Rectifier(), epochs=2, replay=True)
    assert len(_fit_moons(Rectifier(), epochs=2)) == 2  # eagerly, it trains


def test_fit_with_replay_refuses_max_pooling() -> None:
    from autograd.nn import Conv2d, Flatten, Linear, MaxPool2d

    images = [[[[float((r * c + k) % 5) for c in range(4)] for r in range(4)]] for k in range(6)]
    model = Sequential(Conv2d(1, 2, 2, seed=0), MaxPool2d(3), Flatten(), Linear(2, 2, seed=0))
    with pytest.raises(ValueError, match=r"the model used MaxPool2d, which picks each window's largest number"):
        fit(model, images, [0, 1] * 3, cross_entropy, Adam(model.parameters()), epochs=1, progress=False, replay=True)
