"""autograd.nn.batchnorm: BatchNorm1d against torch.nn.BatchNorm1d, in training and evaluation modes."""

from __future__ import annotations

from typing import Any

import pytest
from oracle import (
    assert_same,
    assert_same_forward_and_backward,
    copy_weights,
    random_values,
    to_tensor,
)

from autograd import Value, gradcheck
from autograd.engine import topological_order
from autograd.nn import BatchNorm1d
from autograd.nn.module import flatten


def _step(torch: Any, ours: BatchNorm1d, theirs: Any, batch_size: int, seed: int) -> None:
    """One batch through both: outputs, input gradients and parameter gradients agree."""
    ours.zero_grad()
    theirs.zero_grad()
    batch = random_values((batch_size, ours.num_features), seed=seed)
    batch_tensor = to_tensor(torch, batch)
    out, expected = ours(batch), theirs(batch_tensor)
    assert_same_forward_and_backward(torch, out, expected, batch, batch_tensor, modules=(ours, theirs), seed=seed)


@pytest.mark.parametrize(("features", "batch_size", "eps", "momentum"), [
    (3, 4, 1e-5, 0.1), (1, 2, 1e-3, 0.5), (5, 7, 1e-5, 1.0), (2, 3, 0.1, 0.0),
])  # fmt: skip
def test_training_then_evaluation_match_pytorch(
    torch: Any, features: int, batch_size: int, eps: float, momentum: float
) -> None:
    ours = BatchNorm1d(features, eps=eps, momentum=momentum)
    for gamma, beta in zip(ours.weight, ours.bias):  # not 1 and 0, so the scale and shift are tested too
        gamma.data, beta.data = 1.5, -0.25
    theirs = torch.nn.BatchNorm1d(features, eps=eps, momentum=momentum)
    copy_weights(torch, ours, theirs)
    for seed in range(3):  # three batches in training mode: batch statistics, running ones updated
        _step(torch, ours, theirs, batch_size, seed)
    for name, value in theirs.state_dict().items():
        assert_same(ours.state_dict()[name], value, name)
    assert ours.num_batches_tracked == 3

    ours.eval()
    theirs.eval()
    _step(torch, ours, theirs, batch_size, seed=10)
    _step(torch, ours, theirs, 1, seed=11)  # one example is fine with running statistics


def test_the_gradient_flows_through_the_batch_mean_and_variance() -> None:
    bn = BatchNorm1d(1)
    batch = [[Value(1.0)], [Value(2.0)], [Value(4.0)]]
    out = bn(batch)
    out[0][0].backward()
    # Through the mean and variance, the first output depends on every row: all three get a gradient,
    # and since outputs are shifted to mean 0 whatever the inputs, the gradients add up to 0.
    assert all(row[0].grad != 0 for row in batch)
    assert sum(row[0].grad for row in batch) == pytest.approx(0.0, abs=1e-12)
    labels = {v.label for v in topological_order(out[0][0])}
    assert {"bn.f0.mean", "bn.f0.var", "bn.f0.gamma", "bn.f0.beta"} <= labels


def test_gradcheck_in_training_mode() -> None:
    def f(*v: Value) -> Value:
        out = BatchNorm1d(2)([[v[0], v[1]], [v[2], v[3]], [v[4], v[5]]])
        return sum(((k + 1) * o.tanh() for k, o in enumerate(flatten(out))), Value(0.0))

    assert gradcheck(f, [0.3, -1.2, 0.8, 0.5, -0.4, 2.0])


def test_evaluation_uses_constants_so_rows_do_not_interact() -> None:
    bn = BatchNorm1d(1).eval()
    batch = [[Value(1.0)], [Value(2.0)]]
    bn(batch)[0][0].backward()
    assert batch[1][0].grad == 0.0
    assert batch[0][0].grad == pytest.approx(1 / (1 + 1e-5) ** 0.5)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: BatchNorm1d(3)([[1.0, 2.0, 3.0], [1.0, 2.0]]), "ragged"),
    (lambda: BatchNorm1d(3)([[1.0, 2.0], [3.0, 4.0]]),
     r"bn: the batch \[N\]\[num_features\] should have shape \[any, 3\], got shape \[2, 2\]"),
    (lambda: BatchNorm1d(2)([1.0, 2.0]), r"should have shape \[any, 2\], got shape \[2\]"),
    (lambda: BatchNorm1d(2)([[1.0, 2.0]]), "training needs a batch of more than one row for a variance, got 1"),
    (lambda: BatchNorm1d(0), "num_features must be a positive integer, got 0"),
    (lambda: BatchNorm1d(2, momentum=1.5), "momentum must be between 0 and 1, got 1.5"),
    (lambda: BatchNorm1d(2, eps=0), "eps must be > 0, got 0"),
])  # fmt: skip
def test_bad_batches_and_settings_give_clear_errors(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_state_dict_has_pytorchs_names_and_penalties_leave_gamma_alone() -> None:
    bn = BatchNorm1d(2)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert bn.state_dict()["running_var"] == [1.0, 1.0]
    assert bn.weights() == [] and len(bn.parameters()) == 4
