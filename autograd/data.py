"""Small 2-D toy datasets, real handwritten digits, splits, and input standardisation.

Pure Python, like the engine. Each ``make_*`` returns ``(X, y)``: X a list of
``[x1, x2]`` points and y a list of integer labels (0/1 for the two-class sets,
the cluster index for blobs), shuffled. A `seed` makes a dataset reproducible;
`noise` is the standard deviation of Gaussian noise added to each coordinate,
as in scikit-learn's generators of the same names.

`load_digits` gives real images: scikit-learn's bundled copy of the 8×8
handwritten digits, read from disk (no download).
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

Point = list[float]
Dataset = tuple[list[Point], list[int]]


def _evenly_spaced(stop: float, n: int, *, endpoint: bool) -> list[float]:
    """n angles from 0 to `stop`, including `stop` itself when `endpoint` is set."""
    intervals = n - 1 if endpoint else n
    return [stop * k / max(intervals, 1) for k in range(n)]


def _count(n_samples: object, where: str) -> int:
    """`n_samples` as an int >= 0, or an error naming the function and the number given."""
    if not isinstance(n_samples, Integral) or isinstance(n_samples, bool):
        raise TypeError(f"{where}: n_samples must be a whole number, got {type(n_samples).__name__}: {n_samples!r}")
    if n_samples < 0:
        raise ValueError(f"{where}: n_samples must be >= 0, got {n_samples}")
    return int(n_samples)


def _noisy_and_shuffled(
    points: list[Point], labels: list[int], noise: float, rng: random.Random, name: str = "noise"
) -> Dataset:
    """Add N(0, noise²) to every coordinate and shuffle the examples (`name`: what the caller calls `noise`)."""
    if not noise >= 0:
        raise ValueError(f"{name} is a standard deviation, so it must be >= 0, got {noise}")
    examples = [([x + rng.gauss(0.0, noise) for x in point], label) for point, label in zip(points, labels)]
    rng.shuffle(examples)
    return [point for point, _ in examples], [label for _, label in examples]


def make_moons(n_samples: int = 100, noise: float = 0.0, seed: int | None = None) -> Dataset:
    """Two interleaving half circles: label 0 the upper one, label 1 the lower one.

    The upper moon is the unit half circle above the x axis; the lower one is
    the same shape flipped and shifted to ``(1 − cos t, 0.5 − sin t)``. No
    straight line separates them.
    """
    n_samples = _count(n_samples, "make_moons")
    upper, lower = n_samples // 2, n_samples - n_samples // 2
    points = [[math.cos(t), math.sin(t)] for t in _evenly_spaced(math.pi, upper, endpoint=True)]
    points += [[1 - math.cos(t), 0.5 - math.sin(t)] for t in _evenly_spaced(math.pi, lower, endpoint=True)]
    return _noisy_and_shuffled(points, [0] * upper + [1] * lower, noise, random.Random(seed))


def make_circles(n_samples: int = 100, noise: float = 0.0, factor: float = 0.8, seed: int | None = None) -> Dataset:
    """Two concentric circles: label 0 on the unit circle, label 1 on the circle of radius `factor`."""
    n_samples = _count(n_samples, "make_circles")
    if not 0 <= factor < 1:
        raise ValueError(f"factor is the inner radius over the outer one, so 0 <= factor < 1, got {factor}")
    outer, inner = n_samples // 2, n_samples - n_samples // 2
    points = [[math.cos(t), math.sin(t)] for t in _evenly_spaced(2 * math.pi, outer, endpoint=False)]
    points += [[factor * math.cos(t), factor * math.sin(t)] for t in _evenly_spaced(2 * math.pi, inner, endpoint=False)]
    return _noisy_and_shuffled(points, [0] * outer + [1] * inner, noise, random.Random(seed))


def make_xor(n_samples: int = 100, noise: float = 0.0, seed: int | None = None) -> Dataset:
    """Points uniform in the square [−1, 1]², labelled 1 where exactly one coordinate is positive.

    The label is the XOR of the two signs (1 where x1·x2 < 0): the classic
    problem a single neuron cannot solve. Noise moves points after labelling,
    so with noise some points land in the other class's quadrant.
    """
    rng = random.Random(seed)
    points = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(_count(n_samples, "make_xor"))]
    labels = [int((x1 > 0) != (x2 > 0)) for x1, x2 in points]
    return _noisy_and_shuffled(points, labels, noise, rng)


def make_blobs(
    n_samples: int = 100,
    centers: int | Sequence[Sequence[float]] = 3,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    seed: int | None = None,
) -> Dataset:
    """Gaussian clusters, one class each: label k for points drawn around center k.

    `centers` is a number of clusters (their centers drawn uniformly from
    `center_box` in each coordinate) or the centers themselves. The points are
    shared out as evenly as possible; `cluster_std` is each cluster's spread.
    """
    n_samples = _count(n_samples, "make_blobs")
    rng = random.Random(seed)
    if isinstance(centers, int):
        centers = [[rng.uniform(*center_box), rng.uniform(*center_box)] for _ in range(centers)]
    if not centers:
        raise ValueError("make_blobs needs at least one center")
    sizes = [n_samples // len(centers) + (k < n_samples % len(centers)) for k in range(len(centers))]
    points = [list(center) for center, size in zip(centers, sizes) for _ in range(size)]
    labels = [k for k, size in enumerate(sizes) for _ in range(size)]
    return _noisy_and_shuffled(points, labels, cluster_std, rng, name="cluster_std")


def train_val_split(
    X: Sequence[Point], y: Sequence[int], val_fraction: float = 0.2, seed: int | None = None
) -> tuple[list[Point], list[Point], list[int], list[int]]:
    """Shuffle the examples and hold out `val_fraction` of them for validation.

    Returns ``X_train, X_val, y_train, y_val`` (scikit-learn's order). The
    validation set is never trained on: it tells whether the model generalises.
    """
    if len(X) != len(y):
        raise ValueError(f"train_val_split: {len(X)} inputs but {len(y)} labels")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    n_val = math.ceil(val_fraction * len(X))
    if not 0 < n_val < len(X):
        raise ValueError(f"cannot hold out {val_fraction:.0%} of {len(X)} examples and keep both sets non-empty")
    val, train = order[:n_val], order[n_val:]
    return [list(X[i]) for i in train], [list(X[i]) for i in val], [y[i] for i in train], [y[i] for i in val]


def train_val_test_split(
    X: Sequence[Point],
    y: Sequence[int],
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    seed: int | None = None,
) -> tuple[list[Point], list[Point], list[Point], list[int], list[int], list[int]]:
    """Shuffle the examples into three sets: train on one, choose settings on one, report on the last.

    Returns ``X_train, X_val, X_test, y_train, y_val, y_test``. The test set is
    looked at once, at the end: a model tuned on its score would no longer be
    measured on data it never saw.
    """
    if len(X) != len(y):
        raise ValueError(f"train_val_test_split: {len(X)} inputs but {len(y)} labels")
    if not (0 < val_fraction < 1 and 0 < test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(
            "val_fraction and test_fraction must each be between 0 and 1, and leave some training data: "
            f"got {val_fraction} and {test_fraction}"
        )
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    n_val, n_test = math.ceil(val_fraction * len(X)), math.ceil(test_fraction * len(X))
    if not (n_val and n_test and n_val + n_test < len(X)):
        raise ValueError(f"cannot split {len(X)} examples into three non-empty sets with these fractions")
    val, test, train = order[:n_val], order[n_val : n_val + n_test], order[n_val + n_test :]
    return (
        [list(X[i]) for i in train],
        [list(X[i]) for i in val],
        [list(X[i]) for i in test],
        [y[i] for i in train],
        [y[i] for i in val],
        [y[i] for i in test],
    )


DIGIT_SIZE = 8
"""The digits are 8×8 images."""


def load_digits(images: bool = False) -> tuple[list[Any], list[int]]:
    """The 1,797 handwritten digits (8×8 pixels, labels 0 to 9), from scikit-learn's bundled copy.

    Each pixel is a whole number from 0 (white) to 16 (black), as a float. X
    holds one list of 64 pixels per image, row by row, or with
    ``images=True`` one image ``[1][8][8]`` (one channel, ready for `Conv2d`).
    Scale before training, e.g. ``[p / 16 for p in x]`` for pixels in [0, 1],
    or a `Standardizer` fitted on the training images.

    The data ships inside scikit-learn (``pip install 'scalar-autograd[data]'``):
    nothing is downloaded. The order is scikit-learn's; split with
    `train_val_test_split`, which shuffles.
    """
    try:
        from sklearn.datasets import load_digits as sklearn_digits  # type: ignore[import-untyped]
    except ImportError as error:
        raise ImportError(
            "load_digits reads the copy of the digits bundled with scikit-learn: pip install 'scalar-autograd[data]'"
        ) from error
    digits = sklearn_digits()
    pixels = [[float(p) for p in row] for row in digits.data.tolist()]
    labels = [int(label) for label in digits.target.tolist()]
    if images:
        return [[[x[r * DIGIT_SIZE : (r + 1) * DIGIT_SIZE] for r in range(DIGIT_SIZE)]] for x in pixels], labels
    return pixels, labels


def _as_rows(X: Sequence[Sequence[float]], where: str) -> list[list[float]]:
    """The data as rows of floats, refusing ragged rows, non-numbers, NaN and infinities by position."""
    rows = [list(point) for point in X]  # numpy arrays too: no truth test on X itself
    if not rows:
        raise ValueError(f"{where} needs at least one example")
    for i, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise ValueError(f"{where}: example {i} has {len(row)} features, example 0 has {len(rows[0])}")
        for j, x in enumerate(row):
            if isinstance(x, bool) or not isinstance(x, Real):
                raise TypeError(f"{where}: feature {j} of example {i} is {type(x).__name__} {x!r}, not a number")
            if not math.isfinite(x):
                raise ValueError(f"{where}: feature {j} of example {i} is {x}; remove or fill such values first")
    return [[float(x) for x in row] for row in rows]


CONSTANT_SPREAD = 1e-12
"""A feature whose standard deviation is at most this fraction of its mean's size counts as constant."""


@dataclass(frozen=True)
class Standardizer:
    """Shift and scale each input feature to mean 0 and standard deviation 1.

    Fit it on the training data only, then transform every set with the same
    numbers, so validation data tells nothing to the training::

        scaler = Standardizer.fit(X_train)
        X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    """

    mean: tuple[float, ...]
    std: tuple[float, ...]

    @classmethod
    def fit(cls, X: Sequence[Sequence[float]]) -> Standardizer:
        """Each feature's mean and (population) standard deviation.

        A constant feature gets std 1, so it is only centred. So does a feature
        whose spread is rounding noise, at most `CONSTANT_SPREAD` (10⁻¹²) of its
        mean's size: dividing by it would blow that noise up to ±1. X may be
        lists or a numpy array; NaN, infinities and ragged rows are refused.
        """
        columns = list(zip(*_as_rows(X, "Standardizer.fit")))
        means = [math.fsum(column) / len(column) for column in columns]
        stds = [statistics.pstdev(column, mu) for column, mu in zip(columns, means)]
        return cls(
            mean=tuple(means),
            std=tuple(1.0 if sd <= CONSTANT_SPREAD * abs(mu) else sd for sd, mu in zip(stds, means)),
        )

    def transform(self, X: Sequence[Sequence[float]]) -> list[Point]:
        """``(x − mean) / std`` feature by feature."""
        for point in X:
            if len(point) != len(self.mean):
                raise ValueError(f"Standardizer was fitted on {len(self.mean)} features, got a point with {len(point)}")
        return [[(x - m) / s for x, m, s in zip(point, self.mean, self.std)] for point in X]
