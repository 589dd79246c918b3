"""The toy datasets' shapes and geometry, the split, and standardisation."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable
from functools import partial

import numpy as np
import pytest

from autograd.data import (
    Dataset,
    Standardizer,
    load_digits,
    make_blobs,
    make_circles,
    make_moons,
    make_xor,
    train_val_split,
    train_val_test_split,
)

MAKERS: list[Callable[..., Dataset]] = [make_moons, make_circles, make_xor, make_blobs]


@pytest.mark.parametrize("make", MAKERS)
def test_points_are_pairs_of_floats_with_integer_labels(make: Callable[..., Dataset]) -> None:
    X, y = make(51, seed=0)
    assert len(X) == len(y) == 51
    assert all(len(point) == 2 and all(type(x) is float for x in point) for point in X)
    assert all(type(label) is int for label in y)


@pytest.mark.parametrize("make", MAKERS)
def test_a_seed_gives_the_same_data_and_another_seed_other_data(make: Callable[..., Dataset]) -> None:
    assert make(40, seed=3) == make(40, seed=3)
    assert make(40, seed=3) != make(40, seed=4)


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_two_curve_sets_split_the_points_evenly(make: Callable[..., Dataset]) -> None:
    _, y = make(51, seed=0)
    assert Counter(y) == {0: 25, 1: 26}


def test_examples_are_shuffled() -> None:
    _, y = make_moons(100, seed=0)
    assert y != sorted(y)


def test_moons_lie_on_two_half_circles() -> None:
    X, y = make_moons(60, seed=0)
    for (x1, x2), label in zip(X, y):
        if label == 0:  # the upper half of the unit circle
            assert math.hypot(x1, x2) == pytest.approx(1.0)
            assert x2 >= -1e-12
        else:  # the lower half of the unit circle around (1, 0.5)
            assert math.hypot(x1 - 1, x2 - 0.5) == pytest.approx(1.0)
            assert x2 <= 0.5 + 1e-12
    assert [-1.0, pytest.approx(0.0)] in X and [2.0, pytest.approx(0.5)] in X  # the ends of the moons


def test_circles_have_radius_one_and_factor() -> None:
    X, y = make_circles(60, factor=0.3, seed=0)
    for point, label in zip(X, y):
        assert math.hypot(*point) == pytest.approx(1.0 if label == 0 else 0.3)


def _distance_from_moon(point: list[float], label: int) -> float:
    return math.hypot(point[0] - label, point[1] - label / 2) - 1.0


def _distance_from_circle(point: list[float], label: int) -> float:
    return math.hypot(*point) - (1.0 if label == 0 else 0.5)


@pytest.mark.parametrize(
    ("make", "distance"),
    [(make_moons, _distance_from_moon), (partial(make_circles, factor=0.5), _distance_from_circle)],
    ids=["moons", "circles"],
)
def test_noise_moves_points_off_their_curve_by_the_given_standard_deviation(
    make: Callable[..., Dataset], distance: Callable[[list[float], int], float]
) -> None:
    X, y = make(2000, noise=0.05, seed=0)
    errors = [distance(point, label) for point, label in zip(X, y)]
    assert statistics.fmean(errors) == pytest.approx(0.0, abs=0.01)
    assert statistics.pstdev(errors) == pytest.approx(0.05, rel=0.1)


def test_xor_labels_are_the_xor_of_the_signs() -> None:
    X, y = make_xor(200, seed=0)
    assert all(-1 <= x <= 1 for point in X for x in point)
    assert all(label == int(x1 * x2 < 0) for (x1, x2), label in zip(X, y))
    assert 80 <= sum(y) <= 120
    assert {(x1 > 0, x2 > 0) for x1, x2 in X} == {(False, False), (False, True), (True, False), (True, True)}


def test_xor_noise_moves_points_after_labelling() -> None:
    X, y = make_xor(500, noise=0.2, seed=0)
    disagreements = sum(label != int(x1 * x2 < 0) for (x1, x2), label in zip(X, y))
    assert 0 < disagreements < 150


def test_blobs_cluster_around_their_centers() -> None:
    centers = [[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]]
    X, y = make_blobs(301, centers=centers, cluster_std=0.5, seed=0)
    assert Counter(y) == {0: 101, 1: 100, 2: 100}
    for k, (c1, c2) in enumerate(centers):
        cluster = [point for point, label in zip(X, y) if label == k]
        assert statistics.fmean(p[0] for p in cluster) == pytest.approx(c1, abs=0.15)
        assert statistics.fmean(p[1] for p in cluster) == pytest.approx(c2, abs=0.15)
        assert statistics.pstdev(p[0] for p in cluster) == pytest.approx(0.5, rel=0.2)


def test_blobs_draw_centers_inside_the_box() -> None:
    X, y = make_blobs(400, centers=4, cluster_std=0.01, center_box=(2.0, 3.0), seed=0)
    assert set(y) == {0, 1, 2, 3}
    assert all(1.9 < x < 3.1 for point in X for x in point)


def test_bad_dataset_options_are_refused() -> None:
    with pytest.raises(ValueError, match="noise"):
        make_moons(10, noise=-0.1)
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=1.0)
    with pytest.raises(ValueError, match="center"):
        make_blobs(10, centers=0)


def test_split_sizes_and_disjointness() -> None:
    X, y = make_moons(50, noise=0.1, seed=0)
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_fraction=0.3, seed=1)
    assert (len(X_train), len(X_val), len(y_train), len(y_val)) == (35, 15, 35, 15)
    examples = Counter((tuple(point), label) for point, label in zip(X, y))
    train = Counter((tuple(point), label) for point, label in zip(X_train, y_train))
    val = Counter((tuple(point), label) for point, label in zip(X_val, y_val))
    assert not train & val
    assert train + val == examples


def test_split_is_reproducible_with_a_seed() -> None:
    X, y = make_moons(30, seed=0)
    assert train_val_split(X, y, seed=5) == train_val_split(X, y, seed=5)
    assert train_val_split(X, y, seed=5) != train_val_split(X, y, seed=6)


def test_bad_splits_are_refused() -> None:
    X, y = make_moons(10, seed=0)
    with pytest.raises(ValueError, match="labels"):
        train_val_split(X, y[:-1])
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(X, y, val_fraction=1.0)
    with pytest.raises(ValueError, match="non-empty"):
        train_val_split(X[:1], y[:1], val_fraction=0.5)


def test_standardizer_gives_mean_zero_and_std_one_on_the_training_data() -> None:
    X, _ = make_blobs(100, centers=[[10.0, -3.0], [14.0, 1.0]], cluster_std=2.0, seed=0)
    scaler = Standardizer.fit(X)
    scaled = scaler.transform(X)
    for feature in range(2):
        column = [point[feature] for point in scaled]
        assert statistics.fmean(column) == pytest.approx(0.0, abs=1e-12)
        assert statistics.pstdev(column) == pytest.approx(1.0)


def test_standardizer_applies_the_training_statistics_to_other_data() -> None:
    scaler = Standardizer.fit([[1.0, 10.0], [3.0, 30.0]])  # means 2 and 20, standard deviations 1 and 10
    assert scaler.transform([[2.0, 20.0], [4.0, 0.0]]) == [[0.0, 0.0], [2.0, -2.0]]


def test_standardizer_leaves_a_constant_feature_centred_but_unscaled() -> None:
    scaler = Standardizer.fit([[5.0, 1.0], [5.0, 2.0]])
    assert scaler.std[0] == 1.0
    assert scaler.transform([[6.0, 1.5]]) == [[1.0, 0.0]]


def test_standardizer_refuses_points_of_another_size() -> None:
    scaler = Standardizer.fit([[0.0, 1.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match="fitted on 2 features, got a point with 3"):
        scaler.transform([[1.0, 2.0, 3.0]])


# ---- wrong input gets a clear error -----------------------------------------------------


@pytest.mark.parametrize("make", MAKERS)
def test_a_negative_count_is_refused_and_zero_gives_an_empty_set(make: Callable[..., Dataset]) -> None:
    with pytest.raises(ValueError, match=f"{make.__name__}: n_samples must be >= 0, got -5"):
        make(-5)
    with pytest.raises(TypeError, match=f"{make.__name__}: n_samples must be a whole number, got float: 2.5"):
        make(2.5)
    assert make(0, seed=0) == ([], [])


def test_blobs_name_cluster_std_when_it_is_negative() -> None:
    with pytest.raises(ValueError, match="cluster_std is a standard deviation, so it must be >= 0, got -1"):
        make_blobs(10, cluster_std=-1)


def test_standardizer_takes_a_numpy_array() -> None:
    X = [[1.0, 10.0], [3.0, 30.0]]
    scaler = Standardizer.fit(np.array(X))
    assert scaler == Standardizer.fit(X)
    assert all(type(m) is float for m in scaler.mean + scaler.std)


@pytest.mark.parametrize(("X", "message"), [
    ([[1.0, 2.0], [float("nan"), 3.0]], "feature 0 of example 1 is nan; remove or fill such values first"),
    ([[1.0, float("inf")]], "feature 1 of example 0 is inf"),
    ([[1.0, 2.0], [3.0]], "example 1 has 1 features, example 0 has 2"),
    ([], "needs at least one example"),
])  # fmt: skip
def test_standardizer_refuses_missing_infinite_and_ragged_data(X: list[list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=f"Standardizer.fit: {message}" if X else message):
        Standardizer.fit(X)


def test_a_feature_that_varies_only_by_rounding_is_treated_as_constant() -> None:
    scaler = Standardizer.fit([[0.1, 1.0], [0.1 + 1e-16, 2.0], [0.1, 3.0]])
    assert scaler.std[0] == 1.0  # not ~5e-17: rounding noise is not blown up to ±1
    assert scaler.transform([[0.1, 2.0]]) == [[pytest.approx(0.0, abs=1e-15), 0.0]]
    assert Standardizer.fit([[1e-13], [3e-13]]).std[0] == pytest.approx(1e-13)  # small but real spread is kept


# ---- the digits, and a three-way split ----------------------------------------------------


def test_digits_are_1797_images_of_64_pixels_from_0_to_16() -> None:
    X, y = load_digits()
    assert len(X) == len(y) == 1797
    assert all(len(x) == 64 and all(type(p) is float and 0 <= p <= 16 and p.is_integer() for p in x) for x in X)
    assert Counter(y).keys() == set(range(10)) and min(Counter(y).values()) > 170
    images, labels = load_digits(images=True)
    assert labels == y
    assert len(images[0]) == 1 and len(images[0][0]) == 8 and all(len(row) == 8 for row in images[0][0])
    assert images[5][0][2] == X[5][16:24]  # row 2 of image 5


def test_three_way_split_sizes_disjointness_and_reproducibility() -> None:
    X, y = make_moons(50, noise=0.1, seed=0)
    parts = train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.3, seed=1)
    X_train, X_val, X_test, y_train, y_val, y_test = parts
    assert (len(X_train), len(X_val), len(X_test)) == (25, 10, 15) and len(y_test) == 15
    sets = [Counter(zip(map(tuple, Xs), ys)) for Xs, ys in ((X_train, y_train), (X_val, y_val), (X_test, y_test))]
    assert not sets[0] & sets[1] and not sets[0] & sets[2] and not sets[1] & sets[2]
    assert sets[0] + sets[1] + sets[2] == Counter(zip(map(tuple, X), y))
    assert train_val_test_split(X, y, seed=1) == train_val_test_split(X, y, seed=1)


def test_bad_three_way_splits_are_refused() -> None:
    X, y = make_moons(10, seed=0)
    with pytest.raises(ValueError, match=r"leave some training data: got 0\.5 and 0\.5"):
        train_val_test_split(X, y, 0.5, 0.5)
    with pytest.raises(ValueError, match="10 inputs but 9 labels"):
        train_val_test_split(X, y[:-1])
    with pytest.raises(ValueError, match="cannot split 2 examples into three non-empty sets"):
        train_val_test_split(X[:2], y[:2])
