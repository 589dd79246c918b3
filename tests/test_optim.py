"""Optimizers against torch.optim, gradient clipping against PyTorch's, and real training runs."""

from __future__ import annotations

import math
import random
from types import ModuleType
from typing import Any

import pytest

from autograd import Value, optim
from autograd.data import Standardizer, make_moons
from autograd.nn import MLP, binary_cross_entropy_with_logits

NAN = math.nan

CONFIGURATIONS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.2, "weight_decay": 0.05, "eps": 1e-6}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.05, "alpha": 0.9, "eps": 1e-6, "momentum": 0.8, "weight_decay": 0.01}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
]


@pytest.mark.parametrize(("name", "options"), CONFIGURATIONS)
def test_updates_match_torch_optim(torch: ModuleType, name: str, options: dict[str, Any]) -> None:
    rng = random.Random(0)
    start = [rng.uniform(-2, 2) for _ in range(4)]
    # Gradients of both signs and sizes, some exactly 0, changing every step.
    gradients = [[rng.choice([0.0, rng.uniform(-3, 3)]) for _ in start] for _ in range(8)]

    ours = [Value(x) for x in start]
    theirs = [torch.tensor(x, requires_grad=True) for x in start]
    our_optimizer = getattr(optim, name)(ours, **options)
    their_optimizer = getattr(torch.optim, name)(theirs, **options)

    for step, grads in enumerate(gradients):
        if step == 4:  # a learning rate changed by hand mid-run
            our_optimizer.lr *= 0.5
            for group in their_optimizer.param_groups:
                group["lr"] *= 0.5
        for p, t, g in zip(ours, theirs, grads):
            p.grad = g
            t.grad = torch.tensor(g)
        our_optimizer.step()
        their_optimizer.step()
        for p, t in zip(ours, theirs):
            assert p.data == pytest.approx(t.item(), rel=1e-12, abs=1e-12), f"step {step}"


@pytest.mark.parametrize("max_norm", [0.5, 1.0, 100.0])
def test_clip_grad_norm_matches_torch(torch: ModuleType, max_norm: float) -> None:
    grads = [0.3, -1.2, 0.0, 2.5, -0.7]
    ours = [Value(1.0) for _ in grads]
    theirs = [torch.tensor(1.0, requires_grad=True) for _ in grads]
    for p, t, g in zip(ours, theirs, grads):
        p.grad = g
        t.grad = torch.tensor(g)

    norm = optim.clip_grad_norm(ours, max_norm)

    assert norm == pytest.approx(torch.nn.utils.clip_grad_norm_(theirs, max_norm).item(), rel=1e-12)
    assert norm == pytest.approx(math.sqrt(sum(g * g for g in grads)), rel=1e-12)
    for p, t in zip(ours, theirs):
        assert p.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15)
    clipped_norm = math.sqrt(sum(p.grad**2 for p in ours))
    assert clipped_norm == pytest.approx(min(norm, max_norm), rel=1e-5)


NON_FINITE_GRADIENTS = [  # (gradients, the norm, the gradients after clipping to 1): PyTorch's numbers
    ([NAN, 1.0, 0.0], NAN, [NAN, NAN, NAN]),  # a NaN anywhere makes every gradient NaN
    ([math.inf, NAN, 1.0], NAN, [NAN, NAN, NAN]),
    ([math.inf, 1.0, -2.0], math.inf, [NAN, 0.0, 0.0]),  # scaled by 1/inf = 0, and inf·0 is NaN
]


@pytest.mark.parametrize(("grads", "norm", "clipped"), NON_FINITE_GRADIENTS)
def test_clip_grad_norm_with_a_nan_or_inf_gradient(grads: list[float], norm: float, clipped: list[float]) -> None:
    params = [Value(1.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    assert optim.clip_grad_norm(params, 1.0) == pytest.approx(norm, nan_ok=True)
    assert [p.grad for p in params] == pytest.approx(clipped, nan_ok=True)


@pytest.mark.parametrize(("grads", "norm", "clipped"), NON_FINITE_GRADIENTS)
def test_clip_grad_norm_with_a_nan_or_inf_gradient_is_pytorchs(
    torch: ModuleType, grads: list[float], norm: float, clipped: list[float]
) -> None:
    tensors = [torch.tensor(1.0, requires_grad=True) for _ in grads]
    for t, g in zip(tensors, grads):
        t.grad = torch.tensor(g)
    assert torch.nn.utils.clip_grad_norm_(tensors, 1.0).item() == pytest.approx(norm, nan_ok=True)
    assert [t.grad.item() for t in tensors] == pytest.approx(clipped, nan_ok=True)


@pytest.mark.parametrize("max_norm", [-1.0, NAN])
def test_clip_grad_norm_refuses_a_negative_or_nan_max_norm(max_norm: float) -> None:
    p = Value(1.0)
    p.grad = 3.0
    with pytest.raises(ValueError, match=f"^clip_grad_norm: max_norm must be >= 0, got max_norm = {max_norm}$"):
        optim.clip_grad_norm([p], max_norm)
    assert p.grad == 3.0


def test_clip_grad_norm_leaves_zero_gradients_alone() -> None:
    params = [Value(1.0), Value(2.0)]
    assert optim.clip_grad_norm(params, 1.0) == 0.0
    assert [p.grad for p in params] == [0.0, 0.0]


def test_step_changes_only_data_and_zero_grad_only_grads() -> None:
    w = Value(2.0)
    loss = (w * 3.0 - 10) ** 2
    loss.backward()
    optimizer = optim.SGD([w], lr=0.01)

    optimizer.step()
    assert w.data == pytest.approx(2.0 - 0.01 * -24.0)
    assert w.grad == -24.0  # the optimizer reads gradients, it does not compute or clear them

    optimizer.zero_grad()
    assert w.grad == 0.0
    assert w.data == pytest.approx(2.24)


def test_sgd_is_plain_gradient_descent() -> None:
    p = Value(1.0)
    optimizer = optim.SGD([p], lr=0.5)
    for grad in (2.0, -1.0):
        p.grad = grad
        optimizer.step()
    assert p.data == 1.0 - 0.5 * 2.0 + 0.5 * 1.0


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale() -> None:
    params = [Value(0.0), Value(0.0)]
    params[0].grad, params[1].grad = 1e-4, -1e4
    optim.Adam(params, lr=0.1).step()
    assert params[0].data == pytest.approx(-0.1, rel=1e-3)
    assert params[1].data == pytest.approx(0.1, rel=1e-6)


def test_bad_parameter_lists_are_refused() -> None:
    v = Value(1.0)
    with pytest.raises(ValueError, match="no parameters"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="must be Values"):
        optim.SGD([1.0], lr=0.1)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([v, v], lr=0.1)


REFUSED_AS_BY_PYTORCH = [
    ("SGD", {"lr": -0.1}, "lr must be >= 0, got lr = -0.1"),
    ("SGD", {"lr": 0.1, "momentum": -0.5}, "momentum must be >= 0, got momentum = -0.5"),
    ("SGD", {"lr": 0.1, "weight_decay": -1.0}, "weight_decay must be >= 0, got weight_decay = -1.0"),
    ("SGD", {"lr": 0.1, "nesterov": True}, "Nesterov momentum needs momentum > 0, got momentum = 0.0"),
    ("Adagrad", {"lr": -1.0}, "lr must be >= 0, got lr = -1.0"),
    ("Adagrad", {"eps": -1e-10}, "eps must be >= 0, got eps = -1e-10"),
    ("Adagrad", {"weight_decay": NAN}, "weight_decay must be >= 0, got weight_decay = nan"),
    ("RMSprop", {"alpha": -0.1}, r"alpha must be in \[0, 1\), got alpha = -0.1"),
    ("RMSprop", {"alpha": NAN}, r"alpha must be in \[0, 1\), got alpha = nan"),
    ("RMSprop", {"eps": NAN}, "eps must be >= 0, got eps = nan"),
    ("RMSprop", {"momentum": -0.9}, "momentum must be >= 0, got momentum = -0.9"),
    ("RMSprop", {"weight_decay": -1.0}, "weight_decay must be >= 0, got weight_decay = -1.0"),
    ("Adam", {"lr": -0.1}, "lr must be >= 0, got lr = -0.1"),
    ("Adam", {"betas": (1.0, 0.999)}, r"betas\[0\] must be in \[0, 1\), got betas\[0\] = 1.0"),
    ("Adam", {"betas": (-0.1, 0.999)}, r"betas\[0\] must be in \[0, 1\), got betas\[0\] = -0.1"),
    ("Adam", {"betas": (NAN, 0.999)}, r"betas\[0\] must be in \[0, 1\), got betas\[0\] = nan"),
    ("Adam", {"betas": (0.9, 1.0)}, r"betas\[1\] must be in \[0, 1\), got betas\[1\] = 1.0"),
    ("Adam", {"eps": -1e-8}, "eps must be >= 0, got eps = -1e-08"),
    ("Adam", {"weight_decay": -0.1}, "weight_decay must be >= 0, got weight_decay = -0.1"),
]

REFUSED_THOUGH_PYTORCH_ACCEPTS = [
    ("SGD", {"lr": NAN}, "lr must be >= 0, got lr = nan"),  # PyTorch's SGD alone lets NaN through
    ("SGD", {"lr": 0.1, "momentum": NAN}, "momentum must be >= 0, got momentum = nan"),
    ("SGD", {"lr": 0.1, "weight_decay": NAN}, "weight_decay must be >= 0, got weight_decay = nan"),
    ("RMSprop", {"alpha": 1.0}, r"alpha must be in \[0, 1\), got alpha = 1.0"),  # the average would never move
    ("RMSprop", {"alpha": 1.5}, r"alpha must be in \[0, 1\), got alpha = 1.5"),  # ... or go negative
]


@pytest.mark.parametrize(("name", "options", "message"), REFUSED_AS_BY_PYTORCH + REFUSED_THOUGH_PYTORCH_ACCEPTS)
def test_bad_options_are_refused_naming_the_argument_and_the_value(
    name: str, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{name}: {message}$"):
        getattr(optim, name)([Value(1.0)], **options)


@pytest.mark.parametrize(("name", "options", "message"), REFUSED_AS_BY_PYTORCH)
def test_pytorch_refuses_the_same_options(torch: ModuleType, name: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([torch.tensor(1.0, requires_grad=True)], **options)


@pytest.mark.parametrize(("name", "options", "message"), REFUSED_THOUGH_PYTORCH_ACCEPTS)
def test_pytorch_accepts_the_options_refused_beyond_it(
    torch: ModuleType, name: str, options: dict[str, Any], message: str
) -> None:
    getattr(torch.optim, name)([torch.tensor(1.0, requires_grad=True)], **options)  # the README says why we refuse


@pytest.mark.parametrize(
    ("name", "options"),
    [("SGD", {"lr": 0.0, "momentum": 0.0}), ("Adagrad", {"eps": 0.0}), ("RMSprop", {"alpha": 0.0, "eps": 0.0}),
     ("Adam", {"betas": (0.0, 0.0), "eps": 0.0})],
)  # fmt: skip
def test_the_edges_of_each_range_are_accepted(name: str, options: dict[str, Any]) -> None:
    getattr(optim, name)([Value(1.0)], **options)


@pytest.mark.parametrize("name", ["Adagrad", "RMSprop", "Adam"])
def test_with_eps_0_a_parameter_with_only_zero_gradients_does_not_move(name: str) -> None:
    # (√0 + 0) divides 0 by 0 here; PyTorch makes the parameter NaN
    still, moving = Value(1.0), Value(2.0)
    optimizer = getattr(optim, name)([still, moving], lr=0.1, eps=0.0)
    for _ in range(3):
        still.grad, moving.grad = 0.0, 0.5
        optimizer.step()
    assert still.data == 1.0
    assert math.isfinite(moving.data) and moving.data < 2.0


@pytest.mark.parametrize("name", ["Adagrad", "RMSprop", "Adam"])
def test_with_eps_0_nonzero_gradients_step_as_in_pytorch(torch: ModuleType, name: str) -> None:
    ours, theirs = Value(1.0), torch.tensor(1.0, requires_grad=True)
    our_optimizer = getattr(optim, name)([ours], lr=0.1, eps=0.0)
    their_optimizer = getattr(torch.optim, name)([theirs], lr=0.1, eps=0.0)
    for grad in (0.5, -2.0, 0.25):
        ours.grad, theirs.grad = grad, torch.tensor(grad)
        our_optimizer.step()
        their_optimizer.step()
        assert ours.data == pytest.approx(theirs.item(), rel=1e-12)


def test_adam_refuses_a_step_that_divides_a_remembered_gradient_by_zero() -> None:
    # betas[1] = 0 forgets every squared gradient but the last; with it 0 and eps = 0, m / (√0 + 0) is infinite
    p = Value(1.0)
    optimizer = optim.Adam([p], lr=0.1, betas=(0.9, 0.0), eps=0.0)
    p.grad = 1.0
    optimizer.step()
    p.grad = 0.0
    with pytest.raises(ValueError, match=r"^Adam: parameter 0's step divides 0.47\d* by zero .* eps > 0$"):
        optimizer.step()


MOONS_X, MOONS_Y = make_moons(50, noise=0.1, seed=0)
MOONS_X = Standardizer.fit(MOONS_X).transform(MOONS_X)


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda params: optim.SGD(params, lr=0.3, momentum=0.9),
        lambda params: optim.Adagrad(params, lr=0.5),
        lambda params: optim.RMSprop(params, lr=0.02),
        lambda params: optim.Adam(params, lr=0.1),
    ],
    ids=["SGD", "Adagrad", "RMSprop", "Adam"],
)
def test_every_optimizer_learns_two_moons(make_optimizer: Any) -> None:
    model = MLP(2, [8, 8, 1], seed=0)
    optimizer = make_optimizer(model.parameters())
    for _ in range(30):
        loss = binary_cross_entropy_with_logits([model(x) for x in MOONS_X], MOONS_Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    scores = [model(x) for x in MOONS_X]
    accuracy = sum((s.data > 0) == label for s, label in zip(scores, MOONS_Y)) / len(MOONS_Y)
    assert accuracy >= 0.9
    assert binary_cross_entropy_with_logits(scores, MOONS_Y).data < 0.3
