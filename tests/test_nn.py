"""autograd.nn: micrograd-compatible modules, initialisation, dropout and losses."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from autograd import Value, gradcheck
from autograd.engine import topological_order
from autograd.nn import (
    MLP,
    Dropout,
    Layer,
    Module,
    Neuron,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_penalty,
    l2_penalty,
    mse_loss,
)


def two_moons(n: int = 100, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """A small two-moons set with labels −1/+1, as micrograd's demo uses."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        t = rng.uniform(0, math.pi)
        if i % 2:
            X.append([math.cos(t) + rng.gauss(0, 0.1), math.sin(t) + rng.gauss(0, 0.1)])
            y.append(1)
        else:
            X.append([1 - math.cos(t) + rng.gauss(0, 0.1), 0.5 - math.sin(t) + rng.gauss(0, 0.1)])
            y.append(-1)
    return X, y


# ---- micrograd compatibility ----------------------------------------------------------


def test_same_weights_outputs_and_reprs_as_micrograd() -> None:
    micrograd_nn = pytest.importorskip("micrograd.nn", reason="micrograd is installed by `make test`")
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert repr(ours) == repr(theirs)
    assert repr(Neuron(3, nonlin=False)) == repr(micrograd_nn.Neuron(3, nonlin=False))
    for x in ([0.5, -1.2], [2.0, 0.25]):
        assert ours(x).data == theirs(x).data


def test_micrograd_demo_recipe_reaches_full_training_accuracy() -> None:
    """micrograd's demo, unchanged but for the import: hinge loss, L2 on all parameters, decaying SGD."""
    X, y = two_moons()
    random.seed(1337)
    model = MLP(2, [16, 16, 1])

    def loss() -> tuple[Value, float]:
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return data_loss + reg_loss, sum(accuracy) / len(accuracy)

    for k in range(100):
        total_loss, _ = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    assert loss()[1] == 1.0


def test_one_unit_layer_returns_a_value_and_wider_a_list() -> None:
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    out = Layer(2, 3)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    assert len(MLP(2, [3, 2])([1.0, 2.0])) == 2  # type: ignore[arg-type]


# ---- structure ------------------------------------------------------------------------------


def test_parameters_weights_labels_and_zero_grad() -> None:
    model = MLP(3, [4, 2], seed=0)
    params = model.parameters()
    assert len(params) == 4 * (3 + 1) + 2 * (4 + 1)
    assert params[0].label == "layer0.neuron0.w0" and params[3].label == "layer0.neuron0.b"
    assert params[-1].label == "layer1.neuron1.b"
    assert model.weights() == [p for p in params if not p.label.endswith(".b")]
    out = model([1.0, 2.0, 3.0])
    assert [v.label for v in out] == ["layer1.neuron0.out", "layer1.neuron1.out"]  # type: ignore[union-attr]
    (out[0] * out[1]).backward()  # type: ignore[index]
    assert any(p.grad != 0 for p in params)
    model.zero_grad()
    assert all(p.grad == 0 for p in params)


def test_hidden_and_output_activations() -> None:
    model = MLP(2, [3, 3, 1], activation="tanh", output_activation="sigmoid", seed=1)
    kinds = [n.activation_name for layer in model.layers for n in layer.neurons]
    assert kinds == ["tanh"] * 6 + ["sigmoid"]
    out = model([0.3, -0.7])
    assert isinstance(out, Value) and out.op == "sigmoid" and 0 < out.data < 1
    default = MLP(2, [3, 1], seed=1)
    assert [n.activation_name for layer in default.layers for n in layer.neurons] == ["relu"] * 3 + ["linear"]


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid", "leaky_relu", "elu", "linear"])
def test_every_activation_name_gives_correct_gradients(name: str) -> None:
    def f(*v: Value) -> Value:
        neuron = Neuron(2, activation=name)
        neuron.w, neuron.b = list(v[2:4]), v[4]  # the checked leaves become the parameters
        return neuron(list(v[:2]))

    assert gradcheck(f, [0.4, -0.9, 0.7, 0.2, 0.1])


def test_callable_activation() -> None:
    neuron = Neuron(1, activation=lambda v: v * v, seed=0)
    neuron.w[0].data, neuron.b.data = 2.0, 1.0
    assert neuron([3.0]).data == 49.0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: MLP(2, [3, 1], activation="swish"), "unknown activation 'swish'; choose one of relu, tanh"),
        (lambda: MLP(2, [3, 1], init="zeros"), "unknown init 'zeros'; choose one of uniform, xavier, he"),
        (lambda: MLP(2, [3, 1])([1.0, 2.0, 3.0]), "MLP expects 2 inputs, got 3"),
        (lambda: Neuron(4, name="n")([1.0]), "n expects 4 inputs, got 1"),
        (lambda: Layer(2, 2)([1.0]), "layer.neuron0 expects 2 inputs, got 1"),
        (lambda: Dropout(1.0), r"Dropout needs 0 <= p < 1, got p = 1.0"),
    ],
)
def test_bad_configuration_and_shapes_give_clear_errors(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_fused_and_unfused_neurons_agree() -> None:
    fused, unfused = MLP(3, [5, 4, 1], seed=2), MLP(3, [5, 4, 1], seed=2, fused=False)
    x = [0.2, -1.1, 0.6]
    a, b = fused(x), unfused(x)
    a.backward()  # type: ignore[union-attr]
    b.backward()  # type: ignore[union-attr]
    assert a.data == b.data  # type: ignore[union-attr]
    assert [p.grad for p in fused.parameters()] == [p.grad for p in unfused.parameters()]
    assert len(topological_order(a)) < len(topological_order(b))  # type: ignore[arg-type]
    products = [v for v in topological_order(b) if v.op == "*"]  # type: ignore[arg-type]
    assert len(products) == 5 * 3 + 4 * 5 + 1 * 4  # every product is its own node, for drawing


# ---- initialisation -----------------------------------------------------------------------


def test_initialisation_is_reproducible_from_a_seed() -> None:
    first, second, other = MLP(2, [8, 1], seed=3), MLP(2, [8, 1], seed=3), MLP(2, [8, 1], seed=4)
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]
    assert [p.data for p in first.parameters()] != [p.data for p in other.parameters()]


def test_initialisation_scales() -> None:
    uniform = MLP(50, [50], seed=0).weights()
    assert all(-1 <= w.data <= 1 for w in uniform)
    xavier = MLP(50, [50], init="xavier", seed=0).weights()
    bound = math.sqrt(6 / (50 + 50))
    assert all(-bound <= w.data <= bound for w in xavier) and max(abs(w.data) for w in xavier) > 0.9 * bound
    he = MLP(50, [50], init="he", seed=0).weights()
    assert statistics.pstdev(w.data for w in he) == pytest.approx(math.sqrt(2 / 50), rel=0.05)
    assert all(b.data == 0 for layer in MLP(50, [50], init="he", seed=0).layers for b in [layer.neurons[0].b])


# ---- dropout and modes ---------------------------------------------------------------------


def test_dropout_scales_kept_values_and_is_off_in_eval() -> None:
    dropout = Dropout(0.25, seed=0)
    xs = [Value(1.0) for _ in range(4000)]
    out = dropout(xs)
    kept = [v.data for v in out if v.data != 0]
    assert set(kept) == {1 / 0.75}
    assert len(kept) / len(xs) == pytest.approx(0.75, abs=0.03)
    dropout.eval()
    assert [v.data for v in dropout(xs)] == [1.0] * len(xs)


def test_modes_reach_every_submodule() -> None:
    class Net(Module):
        def __init__(self) -> None:
            self.hidden = Layer(2, 3, seed=0)
            self.drop = Dropout(0.5, seed=0)
            self.out = Neuron(3, nonlin=False, seed=0)

        def __call__(self, x: list[float]) -> Value:
            return self.out(self.drop(self.hidden(x)))  # type: ignore[arg-type]

    net = Net()
    assert len(net.parameters()) == 3 * 3 + 4
    net.eval()
    assert not net.drop.training and not net.hidden.neurons[0].training
    assert net([1.0, 2.0]).data == net([1.0, 2.0]).data
    net.train()
    assert net.drop.training


# ---- losses ----------------------------------------------------------------------------------


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
