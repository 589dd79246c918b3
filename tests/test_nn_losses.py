"""autograd.nn.losses: the losses against their formulas and PyTorch, and the L1 and L2 penalties."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from autograd import Value
from autograd.nn import (
    MLP,
    Dropout,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_penalty,
    l2_penalty,
    mse_loss,
)


def test_binary_cross_entropy_is_the_lecture_formula() -> None:
    a = Value(0.7)
    loss = binary_cross_entropy(a, 1.0)
    loss.backward()
    assert loss.data == pytest.approx(-math.log(0.7))
    assert a.grad == pytest.approx(-1 / 0.7)  # da = −y/a + (1 − y)/(1 − a)
    b = Value(0.3)
    binary_cross_entropy(b, 0.25).backward()
    assert b.grad == pytest.approx(-0.25 / 0.3 + 0.75 / 0.7)
    assert binary_cross_entropy(Value(1.0), 1).data == 0.0  # no log(0) for a term with a 0 coefficient


def test_losses_match_pytorch(torch) -> None:  # type: ignore[no-untyped-def]
    import torch.nn.functional as F

    rng = random.Random(0)
    numbers = [rng.uniform(-3, 3) for _ in range(6)]
    targets = [rng.choice([0.0, 1.0]) for _ in range(6)]
    cases = [
        (lambda v: binary_cross_entropy([x.sigmoid() for x in v], targets),
         lambda t: F.binary_cross_entropy(torch.sigmoid(t), torch.tensor(targets))),
        (lambda v: binary_cross_entropy_with_logits(v, targets),
         lambda t: F.binary_cross_entropy_with_logits(t, torch.tensor(targets))),
        (lambda v: mse_loss(v, targets), lambda t: F.mse_loss(t, torch.tensor(targets))),
        (lambda v: hinge_loss(v, [2 * y - 1 for y in targets]),
         lambda t: torch.relu(1 - torch.tensor([2 * y - 1 for y in targets]) * t).mean()),
        (lambda v: cross_entropy([v[:3], v[3:]], [2, 0]),
         lambda t: F.cross_entropy(t.reshape(2, 3), torch.tensor([2, 0]))),
    ]  # fmt: skip
    for ours, theirs in cases:
        values = [Value(x) for x in numbers]
        tensor = torch.tensor(numbers, requires_grad=True)
        loss, expected = ours(values), theirs(tensor)
        loss.backward()
        expected.backward()
        assert loss.data == pytest.approx(expected.item(), rel=1e-12)
        assert [v.grad for v in values] == pytest.approx(tensor.grad.tolist(), rel=1e-10, abs=1e-14)


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    logits = [Value(1000.0), Value(999.0), Value(-1000.0)]
    loss = cross_entropy(logits, 1)
    loss.backward()
    softmax = [1 / (1 + math.exp(-1)), 1 / (1 + math.exp(1)), 0.0]
    assert loss.data == pytest.approx(math.log(1 + math.exp(-1)) + 1)
    assert [v.grad for v in logits] == pytest.approx([softmax[0], softmax[1] - 1, softmax[2]])


def test_loss_shape_errors() -> None:
    with pytest.raises(ValueError, match="mse_loss: 2 predictions but 3"):
        mse_loss([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="target 3 is not a class index for 3 logits"):
        cross_entropy([Value(1.0), Value(2.0), Value(3.0)], 3)
    with pytest.raises(ValueError, match="no predictions"):
        hinge_loss([], [])


def test_penalties_leave_biases_alone() -> None:
    model = MLP(2, [2, 1], seed=0)
    for p in model.parameters():
        p.data = -0.5
    penalty = l2_penalty(model, 0.1) + l1_penalty(model, 0.01)
    penalty.backward()
    assert penalty.data == pytest.approx(0.1 * 6 * 0.25 + 0.01 * 6 * 0.5)
    for p in model.parameters():
        expected = 0.0 if p.label.endswith(".b") else 2 * 0.1 * -0.5 - 0.01
        assert p.grad == pytest.approx(expected)
    assert l2_penalty([Value(3.0)], 0.5).data == 4.5


def test_cross_entropy_takes_plain_numbers_like_the_other_losses() -> None:
    assert cross_entropy([1.0, 2.0, 3.0], 0).data == pytest.approx(
        cross_entropy([Value(1.0), Value(2.0), Value(3.0)], 0).data
    )
    assert cross_entropy([[1.0, 2.0], [0.5, -1.0]], [1, 0]).data == pytest.approx(
        math.log(1 + math.exp(-1)) / 2 + math.log(1 + math.exp(-1.5)) / 2
    )


@pytest.mark.parametrize("target", [1, 1.0, np.float64(1), np.int64(1)])
def test_a_class_index_may_be_any_whole_number(target: object) -> None:
    logits = [Value(0.5), Value(2.0), Value(-1.0)]
    assert cross_entropy(logits, target).data == cross_entropy(logits, 1).data  # type: ignore[arg-type]


@pytest.mark.parametrize(("target", "message"), [
    (True, "a target is a class index \\(an int\\), got bool: True"),
    (1.5, "a target is a class index \\(an int\\), got float: 1.5"),
    ("1", "a target is a class index \\(an int\\), got str: '1'"),
])  # fmt: skip
def test_a_target_that_is_not_a_class_index_is_refused(target: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        cross_entropy([Value(0.5), Value(2.0)], target)  # type: ignore[arg-type]


def test_penalties_of_a_model_without_weights_are_zero() -> None:
    for model in (Dropout(0.5), []):
        assert l1_penalty(model, 0.1).data == 0.0
        assert l2_penalty(model, 0.1).data == 0.0
    loss = mse_loss(Value(1.0), 0.0) + l2_penalty([], 0.5)
    assert loss.data == 1.0
