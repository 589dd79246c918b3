"""autograd.replay: one example traced, a batch replayed, against the eager engine.

The replays (grouped, and node by node) must give what the eager engine gives
example by example: the same outputs, and for ``backward`` the gradient that
``mean(outputs).backward()`` adds to every parameter, to 1e-12 relative.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import OPERATIONS, Value, linear, topological_order
from autograd.engine import FLOAT, PRIMITIVES
from autograd.nn import (
    MLP,
    AvgPool2d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
    binary_cross_entropy,
    cross_entropy,
    hinge_loss,
)
from autograd.nn.module import flatten
from autograd.optim import SGD
from autograd.replay import NUMPY, TracerWarning, _NumpyPrimitives, trace

RTOL = 1e-12
BOTH = pytest.mark.parametrize("grouped", [True, False], ids=["grouped", "node-by-node"])


def eager(fn: Callable[..., Any], parameters: Sequence[Value], *batch: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Each example's outputs, and the gradient of their mean, computed by the eager engine one example at a time.

    Float arguments become Values, integer arguments stay ints, as `trace` does.
    """
    for p in parameters:
        p.grad = 0.0
    outputs = []
    for example in zip(*batch):
        arguments = [_leaves(np.asarray(a).tolist()) for a in example]
        outputs.append(flatten(fn(*arguments)))
    values = [v for row in outputs for v in row]
    total = values[0]
    for v in values[1:]:
        total = total + v
    (total / len(values)).backward()
    grads = np.array([p.grad for p in parameters])
    for p in parameters:
        p.grad = 0.0
    return np.array([[v.data for v in row] for row in outputs]), grads


def _leaves(numbers: Any) -> Any:
    if isinstance(numbers, list):
        return [_leaves(x) for x in numbers]
    return Value(numbers) if isinstance(numbers, float) else numbers


def replayed(traced: Any, *batch: Any) -> tuple[np.ndarray, np.ndarray, float]:
    """The replay's outputs (flattened per example), the gradient `backward` adds, and the mean it returns."""
    for p in traced.parameters:
        p.grad = 0.0
    outputs = traced(*batch).reshape(len(batch[0]) if batch else 1, -1)
    mean = traced.backward(*batch)
    grads = np.array([p.grad for p in traced.parameters])
    for p in traced.parameters:
        p.grad = 0.0
    return outputs, grads, mean


def assert_close(got: np.ndarray, expected: np.ndarray, what: str, rtol: float = RTOL) -> None:
    """Relative agreement; numbers much smaller than the largest are held to that scale (sums reorder)."""
    scale = np.max(np.abs(expected), initial=1.0)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol * scale, err_msg=what)


def assert_replays_eager(fn: Callable[..., Any], parameters: Sequence[Value], example: Sequence[Any], *batch: Any,
                         grouped: bool, rtol: float = RTOL) -> None:  # fmt: skip
    expected_outputs, expected_grads = eager(fn, parameters, *batch)
    traced = trace(fn, *example, grouped=grouped)
    outputs, grads, mean = replayed(traced, *batch)
    assert_close(outputs, expected_outputs, "outputs", rtol)
    order = {p: k for k, p in enumerate(parameters)}
    assert_close(grads, expected_grads[[order[p] for p in traced.parameters]], "gradients", rtol)
    assert mean == pytest.approx(expected_outputs.mean(), rel=rtol)


# ---- the numpy namespace --------------------------------------------------------------------------


def test_the_numpy_namespace_has_exactly_the_engines_primitives() -> None:
    defined = {name for name in vars(_NumpyPrimitives) if not name.startswith("_")}
    assert defined == set(PRIMITIVES)
    for name in PRIMITIVES:
        assert callable(getattr(NUMPY, name))


SPECIAL = [0.0, -0.0, 1.5, -1.5, 30.0, -30.0, 800.0, -800.0, math.inf, -math.inf, math.nan]
DOMAIN = {"log": lambda x: not x <= 0, "sqrt": lambda x: not x < 0}
"""Where log and sqrt are defined: outside it the operations refuse before computing (NaN passes through)."""


@pytest.mark.parametrize("name", [n for n in PRIMITIVES if n not in ("pow", "where", "refuse")])
def test_each_primitive_on_arrays_is_the_float_primitive_element_by_element(name: str) -> None:
    numbers = [x for x in SPECIAL if DOMAIN.get(name, lambda x: True)(x)]
    with np.errstate(all="ignore"):
        got = getattr(NUMPY, name)(np.array(numbers))
    np.testing.assert_allclose(got, [getattr(FLOAT, name)(x) for x in numbers], rtol=1e-15)


def test_pow_where_and_refuse_on_arrays() -> None:
    x = np.array([2.0, -2.0, 0.0, 1e200])
    with np.errstate(all="ignore"):
        assert NUMPY.pow(x, 3.0).tolist() == [FLOAT.pow(v, 3.0) for v in x.tolist()]
        assert NUMPY.pow(x, -1.0).tolist() == [FLOAT.pow(v, -1.0) for v in x.tolist()]
    assert NUMPY.where(x > 0, x, 0.0).tolist() == [2.0, 0.0, 0.0, 1e200]
    NUMPY.refuse(np.array([False, False]), "nothing")  # nothing outside: no error
    NUMPY.refuse(np.array([math.nan]) < 0, "x >= 0")  # NaN is never outside
    with pytest.raises(ArithmeticError, match="x >= 0"):
        NUMPY.refuse(x < 0, "x >= 0")


# ---- every operation, on random graphs ---------------------------------------------------------

PARAMETERS = {"**": [2.0, 3.0, -1.0, 0.5, 0.0, -2.5], "leaky_relu": [0.01, 0.2], "elu": [1.0, 0.5]}
POSITIVE_INPUTS = {"log": (0,), "sqrt": (0,), "pow": (0,), "**": (0,), "/": (1,)}
"""The inputs that need numbers in the operation's domain: they are made positive first."""


def positive(v: Value | float) -> Value | float:
    """A number in (0.5, 1.5), in every operation's domain, made from `v` (so the gradient still reaches it)."""
    return v.sigmoid() + 0.5 if isinstance(v, Value) else 1.0


def arity(name: str) -> int:
    op = OPERATIONS[name]
    return 3 if op.arity is None else op.arity


@st.composite
def random_graphs(draw: st.DrawFn) -> tuple[Callable[..., Any], list[Value], np.ndarray, np.ndarray]:
    """A function of data inputs (and an integer choice) and parameters, using every operation; and a batch.

    It starts with a layer of two fused neurons (the grouped replay's matrix
    product), then applies random operations to random earlier nodes.
    """
    inputs, m = draw(st.integers(1, 3)), draw(st.integers(1, 6))
    weights = [[Value(draw(st.floats(-1.5, 1.5))) for _ in range(inputs)] for _ in range(2)]
    biases = [Value(draw(st.floats(-1.5, 1.5))) for _ in range(2)]
    others = [Value(draw(st.floats(-1.5, 1.5)), label=f"p{k}") for k in range(draw(st.integers(1, 3)))]
    parameters = [*flatten(weights), *biases, *others]
    names = sorted(OPERATIONS)
    step = st.tuples(st.sampled_from(names), st.lists(st.integers(0, 99), min_size=7, max_size=7),
                     st.integers(0, 5), st.floats(-2, 2))  # fmt: skip
    steps = draw(st.lists(step, min_size=len(names) // 2, max_size=25))
    data = np.array(
        draw(st.lists(st.lists(st.floats(-2, 2), min_size=inputs, max_size=inputs), min_size=m, max_size=m))
    )
    choices = np.array(draw(st.lists(st.integers(0, 2), min_size=m, max_size=m)))

    def fn(x: list[Value], choice: int) -> list[Value]:
        layer = [linear(w, x, b) for w, b in zip(weights, biases)]
        nodes: list[Value | float] = [*x, *layer, *others]
        for name, picks, option, constant in steps:
            op = OPERATIONS[name]
            args: list[Value | float] = [
                nodes[k % len(nodes)] for k in picks[: 2 * arity(name) + 1 if op.arity is None else op.arity]
            ]
            if option == 0 and len(args) > 1:
                args[-1] = constant  # a number mixed in: a constant
            args = [positive(a) if k in POSITIVE_INPUTS.get(name, ()) else a for k, a in enumerate(args)]
            params = [PARAMETERS[name][option % len(PARAMETERS[name])]] if name in PARAMETERS else []
            if name == "linear":
                n = len(args) // 2
                nodes.append(linear(args[:n], args[n : 2 * n], args[-1]))
            else:
                nodes.append(op(*args, *params))
        made = [v for v in nodes[len(x) :] if isinstance(v, Value)]
        total = made[0]
        for v in made[1:]:
            total = total + v
        return [total, made[-1] * nodes[choice % len(nodes)]]  # the integer picks a node

    return fn, parameters, data, choices


@BOTH
@settings(max_examples=120, deadline=None)
@given(graph=random_graphs())
def test_random_graphs_over_every_operation_replay_the_eager_engine(graph: Any, grouped: bool) -> None:
    fn, parameters, data, choices = graph
    expected_outputs, expected_grads = eager(fn, parameters, data, choices)
    assume(np.all(np.isfinite(expected_outputs)) and np.all(np.abs(expected_outputs) < 1e8))
    assume(np.all(np.isfinite(expected_grads)) and np.all(np.abs(expected_grads) < 1e8))
    traced = trace(fn, data[0].tolist(), int(choices[0]), grouped=grouped)
    outputs, grads, mean = replayed(traced, data, choices)
    assert_close(outputs, expected_outputs, "outputs")
    order = {p: k for k, p in enumerate(parameters)}
    assert_close(grads, expected_grads[[order[p] for p in traced.parameters]], "gradients")
    assert mean == pytest.approx(expected_outputs.mean(), rel=RTOL, abs=RTOL)


def test_the_random_graphs_use_every_operation() -> None:
    used: set[str] = set()

    @settings(max_examples=50, deadline=None)
    @given(graph=random_graphs())
    def collect(graph: Any) -> None:
        fn, _, data, choices = graph
        out = fn([Value(x) for x in data[0].tolist()], int(choices[0]))
        used.update(v.op for root in out for v in topological_order(root))

    collect()
    assert used >= set(OPERATIONS)


def operations(traced: Any) -> int:
    """How many operation nodes the trace holds, as its description says."""
    return int(re.search(r"^(\d+) operations on", str(traced), re.MULTILINE).group(1))  # type: ignore[union-attr]


def groups(traced: Any) -> int:
    """How many groups the grouped replay runs, as its description says."""
    return int(re.search(r"replayed in (\d+) groups", str(traced)).group(1))  # type: ignore[union-attr]


# ---- networks ---------------------------------------------------------------------------------------


def moons(m: int = 100, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, math.pi, m)
    labels = rng.integers(0, 2, m)
    X = np.stack([np.cos(t) + labels, np.sin(t) * (1 - 2 * labels) + 0.5 * labels], axis=1) + rng.normal(0, 0.1, (m, 2))
    return X, 2.0 * labels - 1


@BOTH
@pytest.mark.parametrize("fused", [True, False], ids=["fused", "unfused"])
def test_micrograd_demo_network_with_hinge_loss_and_l2(grouped: bool, fused: bool) -> None:
    model = MLP(2, [16, 16, 1], seed=0, fused=fused)
    parameters = model.parameters()

    def loss(x: list[Value], y: Value) -> Value:  # micrograd's demo: hinge loss, and L2 over every parameter
        return (1 + -y * model(x)).relu() + 1e-4 * sum(p * p for p in parameters)

    X, y = moons()
    assert_replays_eager(loss, parameters, ([0.5, 0.5], 1.0), X, y, grouped=grouped)


@BOTH
def test_cross_entropy_over_ten_classes_picks_each_examples_own_class(grouped: bool) -> None:
    net = Sequential(Linear(6, 12, seed=0), ReLU(), Linear(12, 10, seed=1))
    rng = np.random.default_rng(0)
    X, labels = rng.normal(0, 3, (60, 6)), np.arange(60) % 10
    rng.shuffle(labels)

    def loss(x: list[Value], label: int) -> Value:
        return cross_entropy(net(x), label)

    assert_replays_eager(loss, net.parameters(), (X[0].tolist(), int(labels[0])), X, labels, grouped=grouped)


def test_a_class_first_seen_later_is_traced_then_and_shares_the_network() -> None:
    net = Sequential(Linear(3, 5, seed=0), ReLU(), Linear(5, 4, seed=1))
    optimizer = SGD(net.parameters(), lr=0.5)
    rng = np.random.default_rng(1)
    X = rng.normal(0, 1, (40, 3))
    labels = rng.integers(0, 2, 40)
    traced = trace(lambda x, c: cross_entropy(net(x), c), X[0].tolist(), int(labels[0]))
    optimizer.zero_grad()
    traced.backward(X, labels)
    optimizer.step()  # the network changes before classes 2 and 3 are first seen
    operations_for_two_classes = operations(traced)

    labels[:8] = [2, 3] * 4
    expected_outputs, expected_grads = eager(lambda x, c: cross_entropy(net(x), c), traced.parameters, X, labels)
    outputs, grads, _ = replayed(traced, X, labels)
    assert_close(outputs[:, 0], expected_outputs[:, 0], "losses")
    assert_close(grads, expected_grads, "gradients")
    # a new class adds only what it does not share: the logit it picks, not another copy of the network
    assert operations(traced) - operations_for_two_classes == 2
    assert "4 integer values traced: 0, 1, 2, 3" in str(traced)


@BOTH
def test_parameters_updated_between_calls_are_read_at_every_call(grouped: bool) -> None:
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=3)
    X, y = moons(50)
    labels = (y + 1) / 2

    def loss(x: list[Value], target: Value) -> Value:
        return binary_cross_entropy(model(x), target)

    traced = trace(loss, X[0].tolist(), float(labels[0]), grouped=grouped)
    optimizer = SGD(model.parameters(), lr=0.5)
    for _ in range(3):
        expected_outputs, expected_grads = eager(loss, traced.parameters, X, labels)
        optimizer.zero_grad()
        mean = traced.backward(X, labels)
        assert mean == pytest.approx(expected_outputs.mean(), rel=RTOL)
        assert_close(np.array([p.grad for p in traced.parameters]), expected_grads, "gradients")
        optimizer.step()


def test_the_replay_matches_pytorch_batched_linear_layers(torch: Any) -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    X, y = moons()
    traced = trace(lambda x, t: hinge_loss(model(x), t), [0.0, 0.0], 1.0)
    model.zero_grad()
    traced.backward(X, y)

    layers = []
    for k, layer in enumerate(model.layers):
        twin = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons)).double()
        with torch.no_grad():
            twin.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons]))
            twin.bias.copy_(torch.tensor([n.b.data for n in layer.neurons]))
        layers += [twin] if k == len(model.layers) - 1 else [twin, torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers)
    torch.relu(1 - torch.tensor(y) * net(torch.tensor(X)).squeeze(1)).mean().backward()
    for layer, twin in zip(model.layers, layers[::2]):
        ours = np.array([[w.grad for w in n.w] for n in layer.neurons])
        np.testing.assert_allclose(ours, twin.weight.grad.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose([n.b.grad for n in layer.neurons], twin.bias.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_linear_local_derivatives_are_its_inputs_swapped_as_the_matrix_product_assumes() -> None:
    # the grouped replay writes a layer's chain rule as U·W (for x) and Uᵀ·X (for w): that is this
    value, local = linear_definition(2.0, 3.0, 5.0, 7.0, 11.0)
    assert value == 11.0 + 2.0 * 5.0 + 3.0 * 7.0
    assert local == (5.0, 7.0, 2.0, 3.0, 1.0)


def linear_definition(*numbers: float) -> tuple[float, tuple[float, ...]]:
    return OPERATIONS["linear"].definition(FLOAT, *numbers)


# ---- what the grouped replay groups -----------------------------------------------------------------


def test_a_layers_fused_neurons_become_one_matrix_product() -> None:
    model = MLP(3, [16, 8, 1], seed=0)
    text = str(trace(lambda x: model(x), [0.1, 0.2, 0.3]))
    assert "linear        16  X (m, 3) · Wᵀ (3, 16) + b: one matrix product" in text
    assert "linear         8  X (m, 16) · Wᵀ (16, 8) + b: one matrix product" in text
    assert "relu          16  (m, 16)" in text
    assert "replayed in 5 groups" in text


def test_a_long_sum_is_added_in_pairs_and_still_matches_the_eager_sum() -> None:
    weights = [Value(math.sin(k)) for k in range(1000)]

    def loss(x: Value) -> Value:
        return x * sum(w * w for w in weights)  # a chain of 1000 additions

    assert groups(trace(loss, 1.0)) <= 15  # log₂ 1000 ≈ 10 levels of additions, not 1000
    assert_replays_eager(loss, weights, (1.0,), np.array([0.5, -2.0]), grouped=True)


# ---- what the replay gives back ------------------------------------------------------------------


def test_outputs_keep_their_shape_with_the_batch_first() -> None:
    w = Value(2.0)
    traced = trace(lambda x: [[x[0] * w, x[1] * w, x[0] + x[1]]], [1.0, 2.0])
    out = traced(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert out.shape == (2, 1, 3)
    assert out.tolist() == [[[2.0, 4.0, 3.0]], [[6.0, 8.0, 7.0]]]


@BOTH
def test_backward_adds_to_grad_so_two_calls_give_twice_one(grouped: bool) -> None:
    w = Value(0.5)
    traced = trace(lambda x: (w * x).tanh(), 1.0, grouped=grouped)
    batch = np.array([0.1, -0.7, 2.0])
    traced.backward(batch)
    once = w.grad
    traced.backward(batch)
    assert w.grad == 2 * once != 0


@BOTH
def test_a_function_of_no_arguments_replays_as_one_example(grouped: bool) -> None:
    weights = [Value(float(k)) for k in range(5)]

    def penalty() -> Value:
        return 0.5 * sum(w * w for w in weights)

    traced = trace(penalty, grouped=grouped)
    assert traced().tolist() == [15.0]
    assert traced.backward() == 15.0
    assert [w.grad for w in weights] == [0.0, 1.0, 2.0, 3.0, 4.0]


@BOTH
def test_integer_lists_choose_several_things_per_example(grouped: bool) -> None:
    scores = [Value(float(k) / 2) for k in range(4)]

    def pick(x: Value, chosen: list[int]) -> Value:
        return x * scores[chosen[0]] - scores[chosen[1]]

    traced = trace(pick, 1.0, [0, 1], grouped=grouped)
    x, chosen = np.array([1.0, 2.0, 3.0]), np.array([[0, 1], [2, 3], [0, 1]])
    assert traced(x, chosen).tolist() == [0 - 0.5, 2 * 1.0 - 1.5, 3 * 0.0 - 0.5]
    traced.backward(x, chosen)
    assert [s.grad for s in scores] == pytest.approx([(1 + 3) / 3, -2 / 3, 2 / 3, -1 / 3])


@BOTH
def test_replay_keeps_every_nodes_value_and_gradient_for_each_example(grouped: bool) -> None:
    w, b = Value(0.7, label="w"), Value(-0.2, label="b")
    traced = trace(lambda x: (w * x + b).tanh(), 0.5, grouped=grouped)
    z = traced.example_output.parents[0]  # w·x + b in the traced example's graph
    batch = np.array([-1.0, 0.0, 2.0])
    replay = traced.replay(batch)
    np.testing.assert_allclose(replay.value(z), 0.7 * batch - 0.2, rtol=RTOL)
    out = np.tanh(0.7 * batch - 0.2)
    np.testing.assert_allclose(replay.grad(z), (1 - out**2) / 3, rtol=RTOL)  # d mean / d z, example by example
    assert replay.grad(w) == pytest.approx(np.sum((1 - out**2) * batch) / 3, rel=RTOL)
    assert w.grad == 0.0  # replay() changes no .grad
    assert replay.mean == pytest.approx(out.mean(), rel=RTOL)
    with pytest.raises(KeyError, match="not a node of the traced example's graph"):
        replay.value(Value(1.0))


def test_a_partial_sum_added_in_pairs_is_only_in_the_node_by_node_replay() -> None:
    weights = [Value(float(k)) for k in range(4)]

    def total(x: Value) -> Value:
        return sum((w * x for w in weights[1:]), weights[0] * x)  # ((w0·x + w1·x) + w2·x) + w3·x

    batch = np.array([1.0, 2.0])
    by_node, grouped = trace(total, 1.0, grouped=False), trace(total, 1.0)
    partial = by_node.example_output.parents[0]  # w0·x + w1·x + w2·x
    assert by_node.replay(batch).value(partial).tolist() == [3.0, 6.0]
    with pytest.raises(KeyError, match="added this sum's terms in pairs"):
        grouped.replay(batch).value(grouped.example_output.parents[0])
    assert grouped.replay(batch).value(grouped.example_output).tolist() == [6.0, 12.0]


# ---- per example: kinks, domains, IEEE ----------------------------------------------------------


@BOTH
def test_kinks_are_decided_for_each_example(grouped: bool) -> None:
    w = Value(1.0)
    traced = trace(lambda x: (w * x).relu() + (w * x).abs(), 1.0, grouped=grouped)  # traced where x > 0
    batch = np.array([2.0, -3.0, 0.0])
    assert traced(batch).tolist() == [4.0, 3.0, 0.0]
    traced.backward(batch)
    assert w.grad == pytest.approx((2 * 2 + (-3) * -1 + 0) / 3)  # relu'(0) = abs'(0) = 0, as eagerly


@BOTH
def test_a_number_outside_the_domain_names_the_operation_the_number_and_the_example(grouped: bool) -> None:
    w = Value(1.0)
    traced = trace(lambda x: (w * x).log(), 1.0, grouped=grouped)
    with pytest.raises(ValueError, match=r"^log: needs x > 0, got x = -3\.0, in example 2 of the batch$"):
        traced(np.array([1.0, 2.0, -3.0, -4.0]))
    divide = trace(lambda x, y: x / (w * y), 1.0, 1.0, grouped=grouped)
    with pytest.raises(ValueError, match=r"^/: needs a non-zero divisor, got x = 5\.0, y = 0\.0, in example 1 of"):
        divide(np.array([1.0, 5.0]), np.array([1.0, 0.0]))


@BOTH
def test_a_parameter_outside_the_domain_names_no_example(grouped: bool) -> None:
    w = Value(4.0)
    traced = trace(lambda x: x * w.sqrt(), 1.0, grouped=grouped)
    w.data = -1.0  # an optimizer step too far
    with pytest.raises(ValueError, match=r"^sqrt: needs x >= 0, got x = -1\.0$"):
        traced(np.array([1.0, 2.0]))


@BOTH
def test_overflow_gives_inf_and_nan_passes_through_without_a_warning(grouped: bool) -> None:
    w = Value(1.0)
    traced = trace(lambda x: [(w * x).exp(), (w * x).sigmoid(), (w * x).softplus(), (w * x).relu()], 1.0,
                   grouped=grouped)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = traced(np.array([1000.0, -1000.0, math.nan]))
    assert out[0, 0] == math.inf and out[1, 1] == 0.0 and out[0, 1] == 1.0 and out[0, 2] == 1000.0
    assert np.isnan(out[2]).all()


# ---- errors ---------------------------------------------------------------------------------------


def test_a_batch_whose_shape_does_not_match_the_example_names_both_shapes() -> None:
    model = MLP(2, [3, 1], seed=0)
    traced = trace(lambda x, y: hinge_loss(model(x), y), [0.5, -0.5], 1.0)
    with pytest.raises(ValueError, match=r"argument 0 was traced with shape \(2,\), so a batch of it needs shape "
                                         r"\(m, 2\); got shape \(10, 3\)"):  # fmt: skip
        traced(np.zeros((10, 3)), np.ones(10))
    with pytest.raises(ValueError, match=r"argument 1 was traced with shape \(\), so a batch of it needs shape "
                                         r"\(m,\); got shape \(10, 1\)"):  # fmt: skip
        traced(np.zeros((10, 2)), np.ones((10, 1)))
    with pytest.raises(ValueError, match=r"different numbers of examples: \[10, 9\]"):
        traced(np.zeros((10, 2)), np.ones(9))
    with pytest.raises(TypeError, match="traced with 2 arguments, called with 1"):
        traced(np.zeros((10, 2)))
    with pytest.raises(ValueError, match="at least one example"):
        traced(np.zeros((0, 2)), np.ones(0))


def test_integer_arguments_need_integer_batches_and_data_needs_numbers() -> None:
    net = Linear(2, 3, seed=0)
    traced = trace(lambda x, c: cross_entropy(net(x), c), [0.5, 0.5], 2)
    with pytest.raises(TypeError, match=r"argument 1 was traced with integers.*got an array of float64"):
        traced(np.zeros((4, 2)), np.array([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(TypeError, match=r"argument 0 must hold numbers .* got an array of <U1"):
        traced(np.array([["a", "b"]]), np.array([1]))
    with pytest.raises(TypeError, match=r"trace: argument 0 must hold numbers .*got an array of object"):
        trace(lambda x: x, [Value(1.0)])
    with pytest.raises(ValueError, match="trace: argument 0 is ragged"):
        trace(lambda x: x, [[1.0, 2.0], [3.0]])


def test_what_cannot_be_replayed_is_refused_clearly() -> None:
    a = Value(2.0)
    closure = Value(a.data * 2, (a,), "*2")  # micrograd's way: the derivative lives in a _backward closure
    closure._backward = lambda: None  # type: ignore[method-assign]
    with pytest.raises(ValueError, match=r"made micrograd's way, with its own _backward closure.*cannot be replayed"):
        trace(lambda x: x * closure, 1.0)
    with pytest.raises(TypeError, match=r"must return a Value or \(nested lists of\) Values, got float: 2\.0"):
        trace(lambda x: 2.0, 1.0)
    with pytest.raises(ValueError, match="ragged"):
        trace(lambda x: [x, [x, x]], 1.0)


# ---- decisions baked into the trace -----------------------------------------------------------------


def test_comparing_values_while_tracing_warns_where_it_happened() -> None:
    w = Value(1.0)

    def leaky(x: Value) -> Value:
        z = w * x
        return z if z > 0 else 0.1 * z  # decided once, for the traced example

    with pytest.warns(TracerWarning, match=r"compared Values \(>\) at .*test_replay.py:\d+: return z if z > 0"):
        traced = trace(leaky, 1.0)
    assert traced.baked_in == [note for note in traced.baked_in if "compared Values (>)" in note]
    assert traced(np.array([2.0, -2.0])).tolist() == [2.0, -2.0]  # the replay took the branch for x > 0 ...
    check = traced.check(np.array([2.0, -2.0]))
    assert not check and "example 1, output 0: replay -2.0, eager -0.2" in str(check)  # ... which check finds


def test_item_and_max_of_values_warn() -> None:
    scores = [Value(1.0), Value(2.0)]
    with pytest.warns(TracerWarning, match=r"read a Value's number with \.item\(\)"):
        trace(lambda x: x * scores[0].item(), 1.0)
    with pytest.warns(TracerWarning, match="compared Values"):
        trace(lambda x: x * max(scores), 1.0)


def test_dropout_in_training_mode_warns_and_in_eval_mode_does_not() -> None:
    net = Sequential(Linear(4, 8, seed=0), Dropout(0.5, seed=0), Linear(8, 1, seed=0))
    with pytest.warns(TracerWarning, match=r"used Dropout\(p=0.5\) in training mode"):
        trace(lambda x: net(x)[0], [1.0, 2.0, 3.0, 4.0])
    net.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert trace(lambda x: net(x)[0], [1.0, 2.0, 3.0, 4.0]).baked_in == []


def test_a_network_with_cross_entropy_traces_without_warnings_and_checks() -> None:
    net = Sequential(Linear(4, 8, seed=0), ReLU(), Linear(8, 5, seed=1))
    rng = np.random.default_rng(0)
    X, labels = rng.normal(0, 1, (30, 4)), rng.integers(0, 5, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traced = trace(lambda x, c: cross_entropy(net(x), c), X[0].tolist(), int(labels[0]))
    net.parameters()[0].grad = 0.25
    check = traced.check(X, labels, examples=4)
    assert check and check.examples == [0, 10, 19, 29]
    assert str(check).startswith("replay check passed on examples [0, 10, 19, 29]")
    assert net.parameters()[0].grad == 0.25  # check leaves every .grad as it was


def test_a_pick_by_number_is_unseen_by_tracing_but_check_finds_it() -> None:
    w = Value(1.0)

    def pooled(x: list[Value]) -> Value:
        return max((w * xi for xi in x), key=lambda v: v.data)  # picks by .data, as max pooling does

    traced = trace(pooled, [1.0, 0.0])
    assert traced.baked_in == []
    assert not traced.check(np.array([[1.0, 0.0], [0.0, 1.0]]), examples=2)


def test_max_pooling_warns_and_average_pooling_replays() -> None:
    image = np.arange(16.0).reshape(1, 4, 4) / 16
    for pool, warns in ((MaxPool2d(2), True), (AvgPool2d(2), False)):
        net = Sequential(Conv2d(1, 2, 2, seed=0), pool, Flatten())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            traced = trace(net, image.tolist())
        assert [str(w.message).count("used MaxPool2d") for w in caught] == ([1] if warns else [])
        assert traced.check(np.stack([image, image[:, ::-1], image.transpose(0, 2, 1)]), examples=3).passed != warns
