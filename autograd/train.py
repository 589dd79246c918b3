"""A small training helper for notebooks and the demo, and two plots for 2-D problems.

`fit` runs the loop a notebook would write by hand: for each epoch, shuffle
the examples into mini-batches and, for each batch, forward pass, loss,
``backward()``, ``optimizer.step()``; then measure the validation data and stop
early when its loss has not improved for `patience` epochs. It returns a
`History` of loss and accuracy per epoch, which `History.plot()` draws.

Accuracy needs to know what a model's output means:

- several outputs per example (``cross_entropy``): the largest one is the class;
- one output: the example counts as right when output and label fall on the
  same side of a `threshold`. Pass it, or leave it to `default_threshold`,
  which looks at the labels and at the outputs being measured:

  - labels −1/+1 (``hinge_loss``): 0;
  - labels 0/1 and every output between 0 and 1: 0.5, for these are
    probabilities (a sigmoid's, for ``binary_cross_entropy``);
  - labels 0/1 and some output outside [0, 1]: 0, for these are logits
    (``binary_cross_entropy_with_logits``).

The loss function is never consulted, so a loss wrapped in a lambda reads
the same. `fit` applies the rule to all the outputs of an epoch at once, and
to the validation outputs on their own. The rule can misread logits that all
happen to lie in [0, 1], or a regression onto 0/1 targets: pass `threshold`
when you know what the outputs mean.

`fit` checks its data before the first step: one label per input, every
input a list of as many numbers as the first. Lists and numpy arrays both work.

``fit(..., replay=True)`` traces the model and the loss on one example and
replays them on every batch with numpy (`autograd.replay`): the same
gradients and the same history, tens to hundreds of times faster. It needs a
loss that is the mean of one loss per example, as every loss in
`autograd.nn` is, and a model that decides nothing in Python from its
numbers (no Dropout while training, no max pooling). It refuses the others:
those tracing sees, and those whose replay disagrees with the eager engine on
five training examples, checked before the first step.

matplotlib (and tqdm for the progress bar) are imported only when used.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from autograd.display import in_jupyter_kernel
from autograd.engine import Value, no_grad
from autograd.i18n import _, ngettext
from autograd.optim import Optimizer

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from tqdm import tqdm

Output = Value | list[Value]
"""What a model returns for one example: one score, or one score per class."""

Prediction = Output | float | list[float]
"""An output as Values, or as the plain numbers a replay gives."""

LossFunction = Callable[[Any, Any], Value]
"""A loss from `autograd.nn`: ``loss_fn(outputs, targets)`` is the mean over a batch."""


class Model(Protocol):
    """What `fit` needs of a model: an `autograd.nn.Module` that can be called on one example."""

    training: bool

    def __call__(self, x: Sequence[float]) -> Output: ...
    def parameters(self) -> list[Value]: ...
    def train(self, mode: bool = True) -> object: ...


@dataclass
class History:
    """Loss and accuracy after each epoch, on the training data and on the validation data.

    The training numbers are averages over the epoch's batches, measured as
    the model trained; the validation numbers are measured after the epoch, in
    eval mode. `best_epoch` indexes the epoch with the lowest validation loss.
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    def __len__(self) -> int:
        """The number of epochs run."""
        return len(self.train_loss)

    def plot(self) -> tuple[Axes, Axes]:
        """Loss and accuracy against the epoch, side by side; returns the two Axes.

        The validation curves appear when there was validation data, and a
        dotted line marks the best epoch. The figure is ``axes[0].figure``.
        """
        import matplotlib.pyplot as plt

        _figure, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
        epochs = range(1, len(self) + 1)
        panels = (
            (loss_ax, _("loss"), self.train_loss, self.val_loss),
            (accuracy_ax, _("accuracy"), self.train_accuracy, self.val_accuracy),
        )
        for ax, title, train, validation in panels:
            ax.plot(epochs, train, label=_("training"))
            if validation:
                ax.plot(epochs, validation, label=_("validation"))
            if self.best_epoch is not None:
                ax.axvline(self.best_epoch + 1, color="grey", linestyle=":", label=_("best epoch"))
            ax.set(title=title, xlabel=_("epoch"))
            ax.legend()
        return loss_ax, accuracy_ax


def _number(x: Value | float) -> float:
    return x.data if isinstance(x, Value) else x


def _numbers(output: Prediction) -> Prediction:
    """An output's number (or numbers), without the graph that computed it."""
    return [_number(o) for o in output] if isinstance(output, Sequence) else _number(output)


def predicted_class(output: Prediction, threshold: float = 0.0) -> int:
    """The class an output stands for: the index of the largest of several, or ``output > threshold``."""
    if not isinstance(output, Sequence):
        return int(_number(output) > threshold)
    return max(range(len(output)), key=lambda k: _number(output[k]))


def _is_correct(output: Prediction, target: float, threshold: float) -> bool:
    if not isinstance(output, Sequence):
        return (_number(output) > threshold) == (target > threshold)
    return predicted_class(output) == target


def default_threshold(outputs: Sequence[Prediction], targets: Sequence[float]) -> float:
    """Where one output splits into two classes, when the caller does not say.

    0 for labels −1/+1; for labels 0/1, 0.5 when every output is a
    probability in [0, 1], else 0 (see the module's docstring).
    """
    if any(target < 0 for target in targets):
        return 0.0
    probabilities = all(not isinstance(output, Sequence) and 0 <= _number(output) <= 1 for output in outputs)
    return 0.5 if probabilities else 0.0


def accuracy(outputs: Sequence[Prediction], targets: Sequence[float], threshold: float | None = None) -> float:
    """The fraction of examples whose output gives the target's class (see the module's docstring)."""
    if len(outputs) != len(targets) or len(outputs) == 0:
        counts = f"{len(outputs)} outputs and {len(targets)} labels"
        raise ValueError(f"accuracy: needs one label per output, and some of each: got {counts}")
    if threshold is None:
        threshold = default_threshold(outputs, targets)
    return sum(_is_correct(o, t, threshold) for o, t in zip(outputs, targets)) / len(outputs)


@contextmanager
def evaluating(model: Model) -> Iterator[None]:
    """Eval mode (dropout off) and no graph recording, the model's mode restored afterwards."""
    was_training = model.training
    model.train(False)
    try:
        with no_grad():
            yield
    finally:
        model.train(was_training)


def evaluate(
    model: Model,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    loss_fn: LossFunction,
    threshold: float | None = None,
) -> tuple[float, float]:
    """The model's loss and accuracy on a dataset, in eval mode, without building a graph."""
    with evaluating(model):
        outputs = [model(x) for x in X]
        loss = loss_fn(outputs, list(y))
    return loss.data, accuracy(outputs, y, threshold)


def _check_examples(what: str, X: Sequence[Sequence[float]], y: Sequence[float], width: int | None = None) -> None:
    """Refuse data with a label missing or over, or inputs of other lengths than the first's (or `width`)."""
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(
            f"{what}: needs one label per input, and some of each: got {len(X)} inputs and {len(y)} labels"
        )
    for i, x in enumerate(X):
        if not hasattr(x, "__len__"):
            raise ValueError(f"{what}: every input must be a list of numbers, but input {i} is {x!r}")
    expected = len(X[0]) if width is None else width
    for i, x in enumerate(X):
        if len(x) != expected:
            raise ValueError(f"{what}: every input needs {expected} numbers, but input {i} is {x!r}")


class _Replayed:
    """fit's steps on the replay: the model and the loss traced on one example, every batch replayed.

    Each step does what the eager loop does (the outputs before the step, then
    ``zero_grad``, ``backward``, ``step``) on numpy arrays: see `autograd.replay`.
    """

    def __init__(
        self,
        model: Model,
        X: Sequence[Sequence[float]],
        y: Sequence[float],
        loss_fn: LossFunction,
        penalty: Callable[[Any], Value] | None,
    ) -> None:
        import warnings

        import numpy as np

        from autograd.replay import TracerWarning, trace

        self.X, self.y = np.asarray(X, dtype=np.float64), np.asarray(y)
        example, target = self.X[0].tolist(), self.y[0].item()
        model.train()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TracerWarning)  # refused below, with fit's own words
            self.outputs = trace(model, example)
            self.loss = trace(lambda x, t: loss_fn(model(x), t), example, target)
            self.penalty = trace(lambda: penalty(model)) if penalty is not None else None
        for traced in (self.outputs, self.loss, self.penalty):
            if traced is not None and traced.baked_in:
                raise ValueError(
                    f"fit(replay=True): the model {traced.baked_in[0]}; the replay would repeat that decision for "
                    "every example, so train this model without replay"
                )
        check = self.loss.check(self.X, self.y, examples=5)  # what tracing cannot see: a decision on .data
        if not check:
            raise ValueError(
                f"fit(replay=True): replayed, the loss is not the eager engine's ({check.worst}): the model decides "
                "something in Python from its numbers, so train it without replay"
            )

    def step(self, batch: list[int], optimizer: Optimizer) -> tuple[float, list[Prediction]]:
        """One optimizer step on the examples `batch`: their mean loss, and their outputs before the step."""
        X, y = self.X[batch], self.y[batch]
        outputs = self.outputs(X).tolist()
        optimizer.zero_grad()
        loss = self.loss.backward(X, y)  # backpropagation, replayed: fills every parameter's grad
        if self.penalty is not None:
            self.penalty.backward()
        optimizer.step()
        return loss, outputs

    def evaluate(
        self, X: Sequence[Sequence[float]], y: Sequence[float], threshold: float | None
    ) -> tuple[float, float]:
        """Loss and accuracy on a dataset, as `evaluate` gives them, replayed."""
        import numpy as np

        X_array, y_array = np.asarray(X, dtype=np.float64), np.asarray(y)
        loss = float(self.loss(X_array, y_array).mean())
        return loss, accuracy(self.outputs(X_array).tolist(), list(y), threshold)


def _notebook_bar(epochs: int) -> tqdm[Any]:
    """tqdm drawn in the cell's output as an HTML progress bar, updated in place.

    It writes nothing to stderr, which Jupyter paints red, and needs no widgets:
    the bar saved with the notebook is the last one drawn, so a page made from
    the notebook shows how training ended.
    """
    import io

    from IPython.display import display
    from tqdm import tqdm

    class NotebookBar(tqdm):  # type: ignore[type-arg]
        handle: Any = None

        def display(self, msg: str | None = None, pos: int | None = None) -> None:
            # translators: a notebook's progress bar: "12/60 epochs, 00:03, loss=0.31, …"
            meter = ngettext(
                "{n_fmt}/{total_fmt} epoch, {elapsed}{postfix}",
                "{n_fmt}/{total_fmt} epochs, {elapsed}{postfix}",
                epochs,
            )
            words = {**self.format_dict, "bar_format": meter}
            meter = self.format_meter(**words)
            page = (
                f'<div class="autograd-progress"><progress value="{self.n}" max="{self.total}" '
                f'style="vertical-align:middle"></progress> <code>{html.escape(meter)}</code></div>'
            )
            bundle = {"text/plain": str(self), "text/html": page}
            if self.handle is None:
                self.handle = display(bundle, raw=True, display_id=True)
            else:
                self.handle.update(bundle, raw=True)

    return NotebookBar(total=epochs, unit=_("epoch"), file=io.StringIO(), mininterval=0.2)


def _progress_bar(epochs: int, show: bool) -> AbstractContextManager[tqdm[Any] | None]:
    """A progress bar that fits its place, closed when the ``with`` block ends.

    In Jupyter, a bar in the cell's output (`_notebook_bar`); in a terminal,
    tqdm's one line redrawn in place; written to a file or a pipe (``| tee``),
    none at all, rather than every redraw on one long line. None instead when
    not shown, or without tqdm.
    """
    if not show:
        return nullcontext()
    try:
        from tqdm import tqdm
    except ImportError:
        return nullcontext()
    if in_jupyter_kernel():
        return _notebook_bar(epochs)
    # disable=None: off unless a terminal
    return tqdm(total=epochs, unit=_("epoch"), disable=None, dynamic_ncols=True)


def fit(
    model: Model,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    loss_fn: LossFunction,
    optimizer: Optimizer,
    *,
    epochs: int = 100,
    batch_size: int | None = None,
    validation: tuple[Sequence[Sequence[float]], Sequence[float]] | None = None,
    patience: int | None = None,
    penalty: Callable[[Any], Value] | None = None,
    lr_schedule: Callable[[int], float] | None = None,
    threshold: float | None = None,
    seed: int | None = None,
    progress: bool = True,
    replay: bool = False,
) -> History:
    """Train `model` on ``(X, y)`` and return the loss and accuracy of every epoch.

    - `loss_fn(outputs, targets)`: a loss from `autograd.nn`, e.g.
      ``binary_cross_entropy_with_logits``, ``hinge_loss`` or ``cross_entropy``.
    - `batch_size`: examples per optimizer step; None uses all of them (full
      batch). Mini-batches are reshuffled every epoch from `seed`.
    - `validation`: ``(X_val, y_val)``, measured after every epoch.
    - `patience`: stop when the validation loss has not improved for this many
      epochs, and put back the parameters of the best epoch.
    - `penalty(model)`: a term added to the loss being minimised, e.g.
      ``lambda m: l2_penalty(m, 1e-4)``; the recorded loss leaves it out.
    - `lr_schedule(epoch)`: the learning rate for each epoch (counted from 0).
    - `threshold`: for one-output models, see the module's docstring.
    - `progress`: show a progress bar, if tqdm is installed: in a notebook's output, or on a terminal's
      line (none when the output goes to a file or a pipe).
    - `replay`: trace the model and the loss on one example, and replay every
      batch with numpy (see the module's docstring): the same history, faster.

    `X` and `y` (and the validation data) are lists or numpy arrays; data that
    cannot be trained on is a ValueError before the first step.
    """
    _check_examples("fit", X, y)
    if validation is not None:
        _check_examples("validation", *validation, width=len(X[0]))
    if epochs < 1:
        raise ValueError(f"fit: epochs must be at least 1, got epochs = {epochs}")
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"fit: batch_size must be at least 1, got batch_size = {batch_size}")
    if patience is not None and validation is None:
        raise ValueError("fit: early stopping watches the validation loss: pass validation=(X_val, y_val)")
    if patience is not None and patience < 0:
        raise ValueError(f"fit: patience must be >= 0, got patience = {patience}")
    rng = random.Random(seed)
    order = list(range(len(X)))
    size = batch_size or len(X)
    parameters = model.parameters()
    best_parameters = [p.data for p in parameters]
    history = History()
    replayed = _Replayed(model, X, y, loss_fn, penalty) if replay else None
    with _progress_bar(epochs, progress) as bar:  # closed however training ends, Ctrl-C included
        for epoch in range(epochs):
            if lr_schedule is not None:
                optimizer.lr = lr_schedule(epoch)
            model.train()
            if batch_size is not None:
                rng.shuffle(order)
            loss_sum = 0.0
            epoch_outputs: list[Prediction] = []
            for start in range(0, len(order), size):
                batch = order[start : start + size]
                if replayed is not None:
                    batch_loss, outputs = replayed.step(batch, optimizer)
                else:
                    targets = [y[i] for i in batch]
                    outputs = [model(X[i]) for i in batch]
                    loss = loss_fn(outputs, targets)
                    objective = loss + penalty(model) if penalty is not None else loss

                    optimizer.zero_grad()
                    objective.backward()  # backpropagation: fills every parameter's grad
                    optimizer.step()  # the optimizer: moves every parameter using its grad
                    batch_loss = loss.data

                loss_sum += batch_loss * len(batch)
                epoch_outputs += [_numbers(output) for output in outputs]  # not their graphs: those go now
            history.train_loss.append(loss_sum / len(X))
            history.train_accuracy.append(accuracy(epoch_outputs, [y[i] for i in order], threshold))
            summary = {_("loss"): history.train_loss[-1], _("accuracy"): history.train_accuracy[-1]}

            if validation is not None:
                if replayed is not None:
                    val_loss, val_accuracy = replayed.evaluate(*validation, threshold)
                else:
                    val_loss, val_accuracy = evaluate(model, *validation, loss_fn, threshold)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
                # translators: the progress bar's names of the validation loss and accuracy
                summary |= {_("val_loss"): val_loss, _("val_accuracy"): val_accuracy}
                if history.best_epoch is None or val_loss < history.val_loss[history.best_epoch]:
                    history.best_epoch = epoch
                    best_parameters = [p.data for p in parameters]
                elif patience is not None and epoch - history.best_epoch >= patience:
                    history.stopped_early = True

            if bar is not None:
                bar.set_postfix(summary)
                bar.update()
            if history.stopped_early:
                break

    if patience is not None:
        for p, best in zip(parameters, best_parameters):
            p.data = best
    return history


def plot_decision_boundary(
    model: Model,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    threshold: float | None = None,
    resolution: int = 50,
    margin: float = 0.5,
    ax: Axes | None = None,
) -> Axes:
    """Colour the plane by the class the model predicts, and draw the labelled points on top.

    For 2-D inputs. A one-output model predicts class 1 where its output is
    above `threshold`, by default decided as for accuracy from the labels
    and the outputs on `X` (0.5 for a sigmoid's probabilities, else 0).
    With several outputs the largest wins, and the labels must be the class
    indices 0 … n−1. The grid has `resolution` points a side and reaches
    `margin` past the data. Draws into `ax` when given, else a new figure;
    returns the Axes.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    _check_examples("plot_decision_boundary", X, y, width=2)
    first, second = zip(*X)
    xs = np.linspace(min(first) - margin, max(first) + margin, resolution)
    ys = np.linspace(min(second) - margin, max(second) + margin, resolution)
    with evaluating(model):
        outputs = [model(list(x)) for x in X]
        cut = default_threshold(outputs, y) if threshold is None else threshold
        if isinstance(outputs[0], Value):
            n_classes, labels = 2, [int(label > cut) for label in y]
        else:
            n_classes, labels = len(outputs[0]), _class_indices(y, len(outputs[0]))
        regions = [[predicted_class(model([a, b]), cut) for a in xs.tolist()] for b in ys.tolist()]
    colors = _class_colors(n_classes)
    if ax is None:
        _figure, ax = plt.subplots(figsize=(5, 5), layout="constrained")
    ax.contourf(xs, ys, regions, levels=np.arange(n_classes + 1) - 0.5, colors=colors, alpha=0.3)
    ax.scatter(first, second, c=[colors[k] for k in labels], edgecolors="black", linewidths=0.5)
    ax.set(xlabel="x1", ylabel="x2", title=_("decision boundary"))
    return ax


def _class_indices(labels: Sequence[float], n_classes: int) -> list[int]:
    """The labels as class indices; any other label would be drawn in another class's colour, so it is refused."""
    for label in labels:
        if label not in range(n_classes):
            raise ValueError(
                f"plot_decision_boundary: a model with {n_classes} outputs needs labels 0 to {n_classes - 1}, "
                f"got {label}"
            )
    return [int(label) for label in labels]


def _class_colors(n_classes: int) -> list[tuple[float, ...]]:
    """One colour per class: matplotlib's ten distinct ones, or for more, colours spread along a colour map."""
    import matplotlib.pyplot as plt

    if n_classes <= 10:
        return list(plt.get_cmap("tab10").colors[:n_classes])  # type: ignore[attr-defined]
    colormap = plt.get_cmap("turbo")
    return [colormap(k / (n_classes - 1)) for k in range(n_classes)]
