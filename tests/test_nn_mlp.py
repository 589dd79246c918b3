"""autograd.nn.mlp: micrograd-compatible Neuron, Layer and MLP, PyTorch's Linear, and initialisation."""

from __future__ import annotations

import math
import random
import statistics
from typing import Any

import numpy as np
import pytest
from oracle import assert_same, assert_same_grads, assert_same_parameter_grads, copy_weights, random_values, to_tensor

from autograd import Value, gradcheck
from autograd.engine import topological_order
from autograd.nn import MLP, Layer, Linear, Neuron


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


# ---- sizes, seeds and activations given wrongly --------------------------------------------


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: MLP(2, [0, 1]), ValueError, r"every layer size in nouts = \[0, 1\] must be a positive integer, got 0"),
    (lambda: MLP(2, []), ValueError, r"MLP needs a list of layer sizes, at least one, got nouts = \[\]"),
    (lambda: MLP(-1, [2]), ValueError, "MLP: nin must be a positive integer, got -1"),
    (lambda: MLP(2, 3), ValueError, "MLP needs a list of layer sizes, at least one, got nouts = 3"),  # type: ignore[arg-type]
    (lambda: MLP(2.5, [3]), TypeError, "MLP: nin must be a positive integer, got float: 2.5"),  # type: ignore[arg-type]
    (lambda: Layer(2, 0), ValueError, "Layer: nout must be a positive integer, got 0"),
    (lambda: Neuron(-1), ValueError, "Neuron: nin must be a positive integer, got -1"),
    (lambda: Neuron(3, nonlin=False, activation="tanh"), ValueError, "give nonlin .* or activation, not both"),
    (lambda: MLP(2, [3], seed=1.5), TypeError, "seed must be an int, a random.Random or None, got float: 1.5"),  # type: ignore[arg-type]
])  # fmt: skip
def test_wrong_sizes_and_options_are_refused_when_the_model_is_made(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_a_numpy_integer_seed_works_as_an_int() -> None:
    assert [p.data for p in MLP(2, [3, 1], seed=np.int64(0)).parameters()] == [
        p.data for p in MLP(2, [3, 1], seed=0).parameters()
    ]


def test_a_neuron_is_named_by_its_activation_however_given() -> None:
    assert repr(Neuron(3, activation=Value.tanh)) == "TanhNeuron(3)"
    assert Neuron(3, activation=Value.tanh).activation_name == "tanh"
    assert repr(Neuron(3, nonlin=True)) == "ReLUNeuron(3)" and repr(Neuron(3)) == "ReLUNeuron(3)"

    def square(v: Value) -> Value:
        return v * v

    assert repr(Neuron(2, activation=square)) == "Neuron(2, activation=square)"


# ---- Linear, and PyTorch's names and shapes ------------------------------------------------


@pytest.mark.parametrize(("in_features", "out_features"), [(3, 2), (1, 1), (5, 4)])
def test_linear_matches_pytorch(torch: Any, in_features: int, out_features: int) -> None:
    ours = Linear(in_features, out_features, seed=0)
    theirs = torch.nn.Linear(in_features, out_features)
    copy_weights(torch, ours, theirs)
    x = random_values((in_features,), seed=1)
    x_tensor = to_tensor(torch, x)
    out, expected = ours(x), theirs(x_tensor)
    assert isinstance(out, list) and len(out) == out_features  # a list even for one output
    assert_same(out, expected, "output")
    total, expected_total = sum(out, Value(0.0)), expected.sum()
    total.backward()
    expected_total.backward()
    assert_same_grads(x, x_tensor, "input")
    assert_same_parameter_grads(ours, theirs)
    bound = 1 / math.sqrt(in_features)
    assert all(-bound <= w.data <= bound for w in ours.weights())


def test_an_mlp_names_its_parameters_as_a_list_of_linear_layers() -> None:
    model = MLP(3, [4, 2], seed=0)
    names = [(name, len(values), len(values[0]) if isinstance(values[0], list) else None)
             for name, values in model.named_parameters()]  # fmt: skip
    assert names == [("layers.0.weight", 4, 3), ("layers.0.bias", 4, None),
                     ("layers.1.weight", 2, 4), ("layers.1.bias", 2, None)]  # fmt: skip
    weight = dict(model.named_parameters())["layers.1.weight"]
    assert weight[1][3] is model.layers[1].neurons[1].w[3]  # type: ignore[index]
    assert len(model.parameters()) == 4 * 3 + 4 + 2 * 4 + 2
