"""autograd.engine: every operation's gradient, the backward contract, bad input.

The per-operation tests are generated from the operation table, so a new
operation is tested (against finite differences and PyTorch) without a new test.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Iterator
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import OPERATIONS, Operation, Value, grad, is_grad_enabled, linear, no_grad, numerical_grad, operation
from autograd.engine import FLOAT, PRIMITIVES, VALUE, topological_order

# Values for the parameters (arguments after the differentiable inputs) of the
# operations that have them; an operation with no entry is tested with its defaults.
PARAMETERS: dict[str, list[tuple[float, ...]]] = {
    "**": [(2.0,), (3.0,), (-1.0,), (0.5,), (0.0,), (-2.5,)],
    "leaky_relu": [(), (0.2,)],
    "elu": [(), (0.5,)],
}
VARIADIC_INPUTS = 7  # `linear` with three weights, three inputs and a bias


def operation_cases() -> Iterator[tuple[str, tuple[float, ...]]]:
    for name in OPERATIONS:
        for params in PARAMETERS.get(name, [()]):
            yield name, params


def input_count(op: Operation) -> int:
    return VARIADIC_INPUTS if op.arity is None else op.arity


def inputs_in_domain(op: Operation, params: tuple[float, ...], rng: random.Random) -> list[float]:
    """Random inputs the operation accepts, away from the kinks at 0."""
    for _ in range(1000):
        xs = [rng.choice([-1, 1]) * rng.uniform(0.05, 2.0) for _ in range(input_count(op))]
        try:
            op(*xs, *params)
        except ValueError:
            continue
        return xs
    raise AssertionError(f"no inputs found in the domain of {op.name}")


CASES = list(operation_cases())
CASE_IDS = [f"{name}{params or ''}" for name, params in CASES]
CASE_IDS_SMOOTH = [i for i, (name, _) in zip(CASE_IDS, CASES) if name not in ("relu", "leaky_relu", "abs", "elu")]


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_operation_gradients_match_central_differences(name: str, params: tuple[float, ...]) -> None:
    op = OPERATIONS[name]
    rng = random.Random(name)
    for _ in range(20):
        xs = inputs_in_domain(op, params, rng)
        leaves = [Value(x) for x in xs]
        out = op(*leaves, *params)
        out.backward()
        numeric = numerical_grad(lambda *v: op(*v, *params), xs)
        for leaf, expected in zip(leaves, numeric):
            assert leaf.grad == pytest.approx(expected, rel=1e-5, abs=1e-6), (name, xs)
        assert out.local_grads == tuple(leaf.grad for leaf in leaves)


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_operation_records_inputs_in_order_with_constants(name: str, params: tuple[float, ...]) -> None:
    op = OPERATIONS[name]
    xs = inputs_in_domain(op, params, random.Random(0))
    leaves = [Value(x) for x in xs]
    out = op(leaves[0], *xs[1:], *params)  # only the first input is a Value
    assert out.op == name
    assert out.inputs == (leaves[0], *xs[1:], *params)
    assert out.parents == (leaves[0],)
    assert len(out.local_grads) == 1
    assert out.data == op(*xs, *params).data


def test_every_operation_is_a_value_method_or_operator() -> None:
    a, b = Value(1.5), Value(0.5)
    by_name: dict[str, Callable[[], Value]] = {
        "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
        "neg": lambda: -a, "**": lambda: a ** 2, "pow": lambda: a ** b, "exp": a.exp, "log": a.log,
        "sqrt": a.sqrt, "sin": a.sin, "cos": a.cos, "tanh": a.tanh, "sigmoid": a.sigmoid,
        "relu": a.relu, "leaky_relu": a.leaky_relu, "elu": a.elu, "softplus": a.softplus,
        "abs": lambda: abs(a), "linear": lambda: linear([a], [b], 1.0),
    }  # fmt: skip
    assert set(by_name) == set(OPERATIONS)
    for name, make in by_name.items():
        assert make().op == name


def test_reflected_operations_keep_argument_order() -> None:
    v = Value(4.0)
    assert (10 - v).data == 6.0 and (10 - v).inputs == (10.0, v)
    assert (1 / v).data == 0.25 and (1 / v).inputs == (1.0, v)
    assert (2 ** Value(3.0)).data == 8.0
    assert (3 + v).data == 7.0 and (3 * v).data == 12.0
    w = Value(2.0)
    (10 - w * 3).backward()
    assert w.grad == -3.0


# ---- PyTorch as the oracle -----------------------------------------------------


def torch_operations(torch: object) -> dict[str, Callable[..., object]]:
    import torch.nn.functional as F

    return {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "neg": lambda a: -a,
        "**": lambda a, n: a**n,
        "pow": lambda a, b: a**b,
        "exp": torch.exp,  # type: ignore[attr-defined]
        "log": torch.log,  # type: ignore[attr-defined]
        "sqrt": torch.sqrt,  # type: ignore[attr-defined]
        "sin": torch.sin,  # type: ignore[attr-defined]
        "cos": torch.cos,  # type: ignore[attr-defined]
        "tanh": torch.tanh,  # type: ignore[attr-defined]
        "sigmoid": torch.sigmoid,  # type: ignore[attr-defined]
        "relu": torch.relu,  # type: ignore[attr-defined]
        "leaky_relu": lambda a, slope=0.01: F.leaky_relu(a, slope),
        "elu": lambda a, alpha=1.0: F.elu(a, alpha),
        "softplus": lambda a: F.softplus(a, threshold=50.0),
        "abs": torch.abs,  # type: ignore[attr-defined]
        "linear": lambda *a: a[-1] + sum(w * x for w, x in zip(a[:3], a[3:6])),
    }


def test_every_operation_has_a_pytorch_oracle(torch: object) -> None:
    assert set(torch_operations(torch)) == set(OPERATIONS)


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_operation_matches_pytorch(torch, name: str, params: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    op, reference = OPERATIONS[name], torch_operations(torch)[name]
    rng = random.Random(name)
    for _ in range(10):
        xs = inputs_in_domain(op, params, rng)
        leaves = [Value(x) for x in xs]
        tensors = [torch.tensor(x, requires_grad=True) for x in xs]
        out = op(*leaves, *params)
        expected = reference(*tensors, *params)
        out.backward()
        expected.backward()
        assert out.data == pytest.approx(expected.item(), rel=1e-12, abs=1e-14)
        for leaf, tensor in zip(leaves, tensors):
            assert leaf.grad == pytest.approx(tensor.grad.item(), rel=1e-10, abs=1e-12)


def micrograd_sanity_check(value: Callable[[float], object]) -> tuple[object, object]:
    """micrograd's first classic test expression; works on any Value-like type."""
    x = value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    return x, y


def micrograd_more_ops(value: Callable[[float], object]) -> tuple[object, object, object]:
    """micrograd's second classic test expression."""
    a = value(-4.0)
    b = value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g


def test_micrograd_classic_expressions_match_pytorch(torch) -> None:  # type: ignore[no-untyped-def]
    def tensor(x: float) -> object:
        return torch.tensor(x, requires_grad=True)

    x, y = micrograd_sanity_check(Value)
    xt, yt = micrograd_sanity_check(tensor)
    y.backward()
    yt.backward()
    assert y.data == yt.item()
    assert x.grad == xt.grad.item()

    a, b, g = micrograd_more_ops(Value)
    at, bt, gt = micrograd_more_ops(tensor)
    g.backward()
    gt.backward()
    assert g.data == pytest.approx(gt.item(), rel=1e-12)
    assert a.grad == pytest.approx(at.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(bt.grad.item(), rel=1e-12)


def test_micrograd_classic_expressions_match_closed_form() -> None:
    x, y = micrograd_sanity_check(Value)
    y.backward()
    # z = 3x + 2 = -10, q = relu(z) + z·x = 40, h = relu(z²) = 100, y = h + q + q·x
    assert y.data == 100 + 40 + 40 * -4
    # dy/dx = dh/dx + (1 + x)·dq/dx + q, with dz/dx = 3, dq/dx = 3x + z, dh/dx = 2z·3
    assert x.grad == 2 * -10 * 3 + (1 - 4) * (3 * -4 - 10) + 40


# ---- random expression graphs ------------------------------------------------------

BINARY = ["+", "-", "*"]
UNARY = ["tanh", "sigmoid", "sin", "cos", "softplus", "neg", "exp", "elu"]  # smooth: no kinks


@st.composite
def expressions(draw: st.DrawFn) -> tuple[list[float], Callable[..., Value]]:
    """Random leaves and a function building a graph over them, with reused nodes and constants."""
    leaves = draw(st.lists(st.floats(-1.5, 1.5), min_size=1, max_size=4))
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(BINARY + UNARY), st.integers(0, 99), st.integers(0, 99), st.booleans()),
            min_size=1,
            max_size=10,
        )
    )
    constant = draw(st.floats(-2, 2))

    def build(*values: Value) -> Value:
        nodes = list(values)
        for name, i, j, use_constant in steps:
            a = nodes[i % len(nodes)]
            if name in UNARY:
                nodes.append(OPERATIONS[name](a))
            else:
                nodes.append(OPERATIONS[name](a, constant if use_constant else nodes[j % len(nodes)]))
        return sum(nodes[len(values) :], nodes[0])  # every step reaches the root

    return leaves, build


@settings(max_examples=150, deadline=None)
@given(expressions())
def test_random_graphs_match_central_differences(expression: tuple[list[float], Callable[..., Value]]) -> None:
    xs, build = expression
    leaves = [Value(x) for x in xs]
    out = build(*leaves)
    assume(math.isfinite(out.data) and abs(out.data) < 1e6)
    out.backward()
    for leaf, expected in zip(leaves, numerical_grad(build, xs)):
        assert leaf.grad == pytest.approx(expected, rel=1e-4, abs=1e-5)


@settings(max_examples=100, deadline=None)
@given(expressions())
def test_backward_twice_gives_exactly_twice_one_call(expression: tuple[list[float], Callable[..., Value]]) -> None:
    xs, build = expression
    out = build(*(Value(x) for x in xs))
    nodes = topological_order(out)
    out.backward()
    once = [node.grad for node in nodes]
    out.backward()
    assert [node.grad for node in nodes] == [2 * g for g in once]


@settings(max_examples=100, deadline=None)
@given(expressions())
def test_backward_steps_end_where_backward_ends(expression: tuple[list[float], Callable[..., Value]]) -> None:
    xs, build = expression
    stepped, whole = build(*(Value(x) for x in xs)), build(*(Value(x) for x in xs))
    steps = list(stepped.backward_steps())
    whole.backward()
    assert [n.grad for n in topological_order(stepped)] == [n.grad for n in topological_order(whole)]
    seed, *edges = steps
    assert seed.is_seed and seed.node is seed.input is stepped and seed.input_grad == 1.0
    assert len(edges) == sum(len(n.parents) for n in topological_order(stepped))
    for step in edges:
        assert step.contribution == step.local_grad * step.upstream_grad
        assert step.edge is not None and step.node.parents[step.edge] is step.input
        assert step.position is not None and step.node.inputs[step.position] is step.input
        assert sum(isinstance(x, Value) for x in step.node.inputs[: step.position]) == step.edge
        assert step.input_grad == step.input_grad_before + step.contribution
    assert [step.index for step in steps] == list(range(len(steps)))
    assert all(step.total == len(steps) for step in steps)


# ---- reuse, the contract, depth -------------------------------------------------------


def test_reused_node_keeps_both_edges() -> None:
    a = Value(3.0)
    s, p = a + a, a * a
    assert s.inputs == (a, a) and p.parents == (a, a) and p.local_grads == (3.0, 3.0)
    s.backward()
    assert a.grad == 2.0
    a.grad = 0.0
    p.backward()
    assert a.grad == 6.0


def test_diamond_sums_both_paths() -> None:
    a = Value(2.0)
    b, c = a * 3, a.tanh()
    d = b * c
    d.backward()
    assert a.grad == pytest.approx(3 * math.tanh(2) + 6 * (1 - math.tanh(2) ** 2))
    assert topological_order(d)[0] is a and topological_order(d)[-1] is d


def test_backward_twice_on_the_seed_example() -> None:
    w, x = Value(2.0), Value(3.0)
    diff = w * x - 10
    loss = diff**2
    loss.backward()
    assert (w.grad, diff.grad, loss.grad) == (-24.0, -8.0, 1.0)
    loss.backward()
    assert (w.grad, diff.grad, loss.grad) == (-48.0, -16.0, 2.0)
    loss.zero_grad()
    assert (w.grad, x.grad, diff.grad, loss.grad) == (0.0, 0.0, 0.0, 0.0)


def test_backward_on_a_leaf_gives_one() -> None:
    a = Value(5.0)
    a.backward()
    assert a.grad == 1.0


def test_steps_stopped_early_leave_every_gradient_as_it_was() -> None:
    a, b = Value(2.0), Value(3.0)
    out = (a * b).tanh()
    out.backward()
    before = {node: node.grad for node in topological_order(out)}
    steps = out.backward_steps()
    next(steps), next(steps), next(steps)  # the seed and two edges: a half pass
    steps.close()
    assert {node: node.grad for node in topological_order(out)} == before
    out.backward()  # so a later pass adds exactly one more gradient
    assert {node: node.grad for node in topological_order(out)} == {n: 2 * g for n, g in before.items()}


def test_million_operation_chain_at_default_recursion_limit() -> None:
    assert sys.getrecursionlimit() <= 1000 or pytest.fail("the test must run at the default limit")
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.000001
    y.backward()
    assert x.grad == pytest.approx(1.000001**1_000_000, rel=1e-9)
    del y  # freeing a deep chain must not overflow the C stack either


# ---- gradient control ------------------------------------------------------------------


def test_no_grad_records_nothing_and_restores() -> None:
    a = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        b = (a * 3).tanh()
    assert is_grad_enabled()
    assert b.op == "" and b.parents == () and b.inputs == ()
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError
    assert is_grad_enabled()


def test_detach_cuts_the_graph() -> None:
    a = Value(2.0, label="a")
    b = (a * a).detach()
    c = b * a
    c.backward()
    assert b.parents == () and b.data == 4.0
    assert a.grad == 4.0


# ---- the Value API and micrograd compatibility --------------------------------------------


def test_micrograd_names_and_writable_fields() -> None:
    from autograd.engine import Value as EngineValue

    assert EngineValue is Value
    a, b = Value(2.0, label="a"), Value(3.0)
    c = a * b
    assert c._op == "*" and c._prev == {a, b}
    c.label = "c"
    c.backward()
    a.data -= 0.1 * a.grad  # micrograd's SGD step
    a.grad = 0.0  # the lecture's way to zero a gradient
    assert a.data == pytest.approx(1.7) and a.grad == 0.0
    assert repr(a) == "Value(data=1.7, grad=0.0, label='a')" or repr(a).startswith("Value(data=1.7")
    assert c.item() == 6.0


@pytest.mark.parametrize("field", ["op", "inputs", "parents", "local_grads"])
def test_graph_fields_are_read_only(field: str) -> None:
    with pytest.raises(AttributeError):
        setattr(Value(1.0) * 2, field, None)


def test_numpy_scalars_work_both_ways() -> None:
    v = Value(3.0)
    for result in (np.int64(-1) * v, v * np.int64(-1), np.float64(2.0) - v, np.float32(0.5) * v, np.int32(2) ** v):
        assert type(result) is Value
    assert (np.int64(-1) * v).data == -3.0
    assert (np.float64(2.0) - v).data == -1.0
    assert Value(np.float32(1.5)).data == 1.5 and Value(np.int64(7)).data == 7.0
    assert type(Value(np.float64(1.0)).data) is float


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2", None, [1.0], 1j, True, np.bool_(True), Value(1.0)], ids=repr)
def test_value_rejects_non_numbers_naming_them(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["2", None, [1.0], 1j, True])
def test_operations_reject_non_numbers(bad: object) -> None:
    v = Value(1.0)
    for apply in (lambda: v + bad, lambda: bad * v, lambda: v**bad, lambda: v.leaky_relu(bad)):
        with pytest.raises(TypeError):
            apply()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Value(-1.0).log(), r"log: needs x > 0, got x = -1\.0"),
        (lambda: Value(0.0).log(), r"log: needs x > 0, got x = 0\.0"),
        (lambda: Value(-4.0).sqrt(), r"sqrt: needs x >= 0, got x = -4\.0"),
        (lambda: Value(1.0) / 0, r"/: needs a non-zero divisor, got x = 1\.0, y = 0\.0"),
        (lambda: Value(1.0) / Value(0.0), r"/: needs a non-zero divisor"),
        (lambda: 1 / Value(0.0), r"/: needs a non-zero divisor"),
        (lambda: Value(0.0) ** -1, r"\*\*: needs a non-zero base for a negative exponent, got x = 0\.0, n = -1\.0"),
        (lambda: Value(-8.0) ** (1 / 3), r"\*\*: needs a whole exponent for a negative base"),
        (lambda: Value(-2.0) ** Value(2.0), r"pow: needs a positive base when the exponent is a Value, got x = -2\.0"),
        (lambda: Value(0.0) ** Value(2.0), r"pow: needs a positive base when the exponent is a Value"),
        (lambda: (-2) ** Value(0.5), r"pow: needs a positive base"),
        (lambda: linear([Value(1.0)], [1.0, 2.0], 0.0), r"linear: 1 weights for 2 inputs"),
    ],
)
def test_domain_errors_name_the_operation_and_value(make: Callable[[], Value], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_overflow_gives_inf_and_nan_passes_through() -> None:
    nan, inf = math.nan, math.inf
    assert Value(1000.0).exp().data == inf
    assert Value(1e200).__pow__(2).data == inf and (Value(-1e200) ** 3).data == -inf
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0
    assert Value(1000.0).softplus().data == 1000.0
    assert math.isnan(Value(nan).relu().data) and math.isnan(Value(nan).log().data)
    assert math.isnan((Value(nan) * 2).data) and Value(inf).tanh().data == 1.0
    s = Value(0.0).sqrt()
    s.backward()
    assert s.data == 0.0 and s.parents[0].grad == inf
    assert Value(0.0) ** 0 is not None and (Value(0.0) ** 0).data == 1.0


def test_kinks_follow_pytorch_conventions() -> None:
    zero = Value(0.0)
    assert zero.relu().local_grads == (0.0,)
    assert abs(zero).local_grads == (0.0,)
    assert zero.leaky_relu(0.1).local_grads == (0.1,)
    assert zero.elu(0.5).local_grads == (0.5,)


# ---- the fused neuron ----------------------------------------------------------------------


def test_linear_equals_the_unfused_chain() -> None:
    rng = random.Random(7)
    for n in (1, 2, 5, 16):
        numbers = [rng.uniform(-1, 1) for _ in range(2 * n + 1)]
        fused_leaves = [Value(x) for x in numbers]
        chain_leaves = [Value(x) for x in numbers]
        w, x, b = fused_leaves[:n], fused_leaves[n:-1], fused_leaves[-1]
        fused = linear(w, x, b).tanh()
        cw, cx, cb = chain_leaves[:n], chain_leaves[n:-1], chain_leaves[-1]
        chain = sum((wi * xi for wi, xi in zip(cw, cx)), cb).tanh()
        fused.backward()
        chain.backward()
        assert fused.data == chain.data
        assert [v.grad for v in fused_leaves] == [v.grad for v in chain_leaves]


def test_linear_takes_plain_numbers_as_constants() -> None:
    w = [Value(0.5), Value(-1.0)]
    out = linear(w, [2.0, 3.0], 0.25)
    out.backward()
    assert out.data == 0.25 + 1.0 - 3.0
    assert out.parents == tuple(w) and [p.grad for p in w] == [2.0, 3.0]
    assert out.inputs == (w[0], w[1], 2.0, 3.0, 0.25)


def test_an_operation_giving_too_few_local_derivatives_is_refused() -> None:
    broken = Operation("broken", lambda m, x, y: (x * y, (y,)), None)
    with pytest.raises(ValueError, match="broken: gave 1 local derivatives for 2 inputs"):
        broken(Value(2.0), Value(3.0))


def test_a_subclass_of_value_is_a_node_and_gets_its_gradient() -> None:
    class Parameter(Value):
        __slots__ = ()

    w = Parameter(2.0)
    out = w * 3 + w
    out.backward()
    assert w.grad == 4.0 and w in topological_order(out)


def test_constants_keep_their_local_derivative_but_get_no_gradient() -> None:
    w = Value(2.0)
    out = 5 - w * 3  # a constant on each side of a Value
    assert out.inputs[0] == 5.0 and out.parents == (out.inputs[1],)
    assert out.local_grads == (-1.0,) and out.inputs[1].local_grads == (3.0,)
    out.backward()
    assert w.grad == -3.0


# ---- one definition per operation ------------------------------------------------------------


def test_a_second_operation_under_a_taken_name_is_refused() -> None:
    with pytest.raises(ValueError, match="'tanh' is already registered"):

        @operation("tanh")
        def my_tanh(m: Any, x: Any) -> tuple[Any, ...]:
            return m.tanh(x), (1.0,)


def test_defining_the_same_operation_again_replaces_it() -> None:
    def define() -> Operation:
        @operation("twice")
        def twice(m: Any, x: Any) -> tuple[Any, ...]:
            return 2 * x, (2.0,)

        return twice

    try:
        first, again = define(), define()  # a notebook cell run twice
        assert OPERATIONS["twice"] is again and again(Value(3.0)).data == 6.0 and first is not again
    finally:
        del OPERATIONS["twice"]


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_definition_runs_on_each_namespace(name: str) -> None:
    """FLOAT computes what VALUE computes; the same function, two kinds of number."""
    op = OPERATIONS[name]
    xs = inputs_in_domain(op, PARAMETERS.get(name, [()])[0], random.Random(1))
    params = PARAMETERS.get(name, [()])[0]
    value, local_grads = op.definition(FLOAT, *xs, *params)
    as_values, local_values = op.definition(VALUE, *(Value(x) for x in xs), *params)
    numbers = [float(x.data if isinstance(x, Value) else x) for x in (as_values, *local_values)]
    assert numbers == pytest.approx([value, *local_grads], rel=1e-12)


def test_namespaces_offer_exactly_the_primitives() -> None:
    for namespace in (FLOAT, VALUE):
        assert {name for name in vars(namespace) if not name.startswith("_")} == set(PRIMITIVES)


def test_keyword_parameters_work_as_in_pytorch() -> None:
    v = Value(-2.0)
    assert v.leaky_relu(slope=0.2).data == pytest.approx(-0.4)
    assert v.elu(alpha=0.5).data == pytest.approx(0.5 * math.expm1(-2.0))
    with pytest.raises(TypeError, match="leaky_relu: got an unexpected keyword argument 'slop'"):
        v.leaky_relu(slop=0.2)


# ---- derivatives of derivatives -------------------------------------------------------------

SMOOTH = [name for name in OPERATIONS if name not in ("relu", "leaky_relu", "abs", "elu")]


def torch_derivatives(torch: Any, reference: Callable[..., Any], xs: list[float], params: tuple[float, ...]) -> Any:
    """Every first, second and third partial derivative of `reference` at `xs`, by PyTorch's double backward."""
    tensors = [torch.tensor(x, requires_grad=True) for x in xs]
    out = reference(*tensors, *params)

    def grads(y: Any) -> list[Any]:
        if not y.requires_grad:
            return [torch.tensor(0.0) for _ in tensors]
        found = torch.autograd.grad(y, tensors, create_graph=True, allow_unused=True)
        return [torch.tensor(0.0) if g is None else g for g in found]

    first = grads(out)
    second = [grads(g) for g in first]
    third = [[grads(h) for h in row] for row in second]
    return first, second, third


def engine_derivatives(op: Operation, xs: list[float], params: tuple[float, ...]) -> Any:
    leaves = [Value(x) for x in xs]
    out = op(*leaves, *params)
    first = grad(out, leaves, create_graph=True)
    second = [grad(g, leaves, create_graph=True) for g in first]
    third = [[grad(h, leaves) for h in row] for row in second]
    return first, second, third


@pytest.mark.parametrize(("name", "params"), [case for case in CASES if case[0] in SMOOTH], ids=CASE_IDS_SMOOTH)
def test_second_and_third_derivatives_match_pytorch(torch, name: str, params: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    op, reference = OPERATIONS[name], torch_operations(torch)[name]
    rng = random.Random(f"higher {name}")
    for _ in range(3):
        xs = inputs_in_domain(op, params, rng)
        first, second, third = engine_derivatives(op, xs, params)
        t_first, t_second, t_third = torch_derivatives(torch, reference, xs, params)
        assert [g.data for g in first] == pytest.approx([g.item() for g in t_first], rel=1e-9, abs=1e-12)
        for row, t_row in zip(second, t_second):
            assert [h.data for h in row] == pytest.approx([h.item() for h in t_row], rel=1e-9, abs=1e-12)
        for plane, t_plane in zip(third, t_third):
            for row, t_row in zip(plane, t_plane):
                assert row == pytest.approx([k.item() for k in t_row], rel=1e-8, abs=1e-10), (name, xs)


@pytest.mark.parametrize("name", ["exp", "sin", "tanh", "sigmoid", "log", "sqrt", "softplus"])
def test_fourth_derivatives_match_central_differences_of_the_third(name: str) -> None:
    x0, eps = 0.7, 1e-5

    def third(x: float) -> float:
        v = Value(x)
        d = OPERATIONS[name](v)
        for _ in range(3):
            (d,) = grad(d, [v], create_graph=True)
        return d.data

    v = Value(x0)
    d = OPERATIONS[name](v)
    for _ in range(3):
        (d,) = grad(d, [v], create_graph=True)
    (fourth,) = grad(d, [v])
    assert fourth == pytest.approx((third(x0 + eps) - third(x0 - eps)) / (2 * eps), rel=1e-5)


def test_grad_touches_no_grad_and_gives_zero_for_unused_inputs() -> None:
    x, y, unused = Value(2.0), Value(3.0), Value(5.0)
    x.grad, unused.grad = 7.0, 9.0
    out = x * y + x**2
    before = [node.grad for node in topological_order(out)]
    assert grad(out, [x, y, unused]) == [7.0, 2.0, 0.0]
    assert [node.grad for node in topological_order(out)] == before and unused.grad == 9.0
    dx, _, du = grad(out, [x, y, unused], create_graph=True)
    assert isinstance(du, Value) and du.data == 0.0
    assert grad(dx, [x, y]) == [2.0, 1.0]  # d(y + 2x)/dx, d(y + 2x)/dy


def test_grad_refuses_what_is_not_a_value() -> None:
    with pytest.raises(TypeError, match="output must be a Value"):
        grad(3.0, [Value(1.0)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="inputs must be Values"):
        grad(Value(1.0) * 2, [1.0])  # type: ignore[list-item]


def test_a_derivative_is_a_graph_that_draws_and_steps() -> None:
    x = Value(0.5, label="x")
    (dy,) = grad(x.tanh(), [x], create_graph=True)
    assert dy.op == "-" and dy.inputs[0] == 1.0  # 1 − tanh(x)·tanh(x): no needless "× 1" or "0 +"
    steps = list(dy.backward_steps())
    assert steps[-1].input is x or x in [step.input for step in steps]
    assert x.grad == pytest.approx(-2 * math.tanh(0.5) * (1 - math.tanh(0.5) ** 2))


def test_create_graph_refuses_a_micrograd_style_node() -> None:
    x = Value(0.5)
    out = Value(x.data * 2, (x,), "double")
    with pytest.raises(ValueError, match="made micrograd's way"):
        grad(out, [x], create_graph=True)


# ---- micrograd's extension style ----------------------------------------------------------------


class LectureValue(Value):
    """The lecture's way to add an operation: a method that builds the node and its _backward closure."""

    __slots__ = ()

    def lecture_tanh(self) -> Value:
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        out = LectureValue(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward  # type: ignore[method-assign]
        return out


def test_the_lecture_manual_backward_node_by_node() -> None:
    x1, x2, w1, w2 = Value(2.0, label="x1"), Value(0.0, label="x2"), Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    o.grad = 1.0  # the lecture's manual backward, one node at a time
    for node in (o, n, x1w1x2w2, x2w2, x1w1):
        node._backward()
    manual = [v.grad for v in (x1, x2, w1, w2, b)]
    o.zero_grad()
    o.backward()
    assert manual == [v.grad for v in (x1, x2, w1, w2, b)] == pytest.approx([-1.5, 0.5, 1.0, 0.0, 0.5])


def test_a_micrograd_style_operation_is_honoured_drawn_and_stepped() -> None:
    x = LectureValue(0.8813735870195432, label="x")
    o = x.lecture_tanh() * 2
    o.backward()
    assert x.grad == pytest.approx(2 * 0.5)
    x.grad = 0.0
    steps = list(o.backward_steps())
    into_x = [step for step in steps if step.input is x]
    assert len(into_x) == 1 and into_x[0].local_grad == pytest.approx(0.5)
    assert x.grad == pytest.approx(1.0)
    from autograd.explain import explain

    assert str(explain(into_x[0])).startswith("∂[tanh]/∂x = 0.5; x.grad += ")


def test_a_micrograd_style_chain_deeper_than_the_recursion_limit() -> None:
    x = LectureValue(0.1)
    y: Value = x
    for _ in range(3000):
        y = cast(LectureValue, y).lecture_tanh()
    y.backward()
    expected = 1.0
    v = 0.1
    for _ in range(3000):
        t = math.tanh(v)
        expected *= 1 - t * t
        v = t
    assert x.grad == pytest.approx(expected, rel=1e-9)


def test_optimizer_state_can_live_on_a_parameter() -> None:
    p = Value(1.0, label="w")
    p.m, p.v = 0.0, 0.0  # EurekaLabs' Adam keeps its moments on the parameter
    p._vis_color = "red"
    (p * p).backward()
    p.m = 0.9 * p.m + 0.1 * p.grad
    assert p.m == pytest.approx(0.2) and p._vis_color == "red"


def test_value_takes_micrograds_constructor_and_never_a_tuple_as_a_label() -> None:
    a, b = Value(2.0), Value(3.0)
    c = Value(5.0, (a, b), "+", label="c")
    assert c.parents == (a, b) and c.op == "+" and c.label == "c" and c._prev == {a, b}
    assert Value(1.0, "x").label == "x"  # a string second argument stays a label
    with pytest.raises(TypeError, match="_children must be Values"):
        Value(1.0, (1.0, 2.0))
    with pytest.raises(TypeError, match="a label must be a string"):
        Value(1.0, label=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a label must be a string"):
        c.label = None  # type: ignore[assignment]


def test_a_model_pickles() -> None:
    import pickle

    from autograd.nn import MLP

    model = MLP(2, [4, 1], seed=0)
    copy = pickle.loads(pickle.dumps(model))
    assert copy([0.5, -1.0]).data == model([0.5, -1.0]).data


# ---- engine defects found by a hostile test --------------------------------------------------------


def test_no_grad_belongs_to_the_thread_that_entered_it() -> None:
    import threading

    inside, go_on, recorded = threading.Event(), threading.Event(), []

    def other_thread() -> None:
        inside.wait()
        recorded.append((Value(1.0) * 2).op)  # while the main thread is inside no_grad
        go_on.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with no_grad():
        inside.set()
        go_on.wait()
        assert (Value(1.0) * 2).op == ""
    worker.join()
    assert recorded == ["*"] and is_grad_enabled()


def test_overlapping_no_grad_blocks_leave_recording_on() -> None:
    first, second = no_grad(), no_grad()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    second.__exit__(None, None, None)
    assert is_grad_enabled() and (Value(1.0) * 2).op == "*"


def test_sin_and_cos_of_inf_are_nan() -> None:
    for make in (lambda: Value(math.inf).sin(), lambda: Value(-math.inf).cos()):
        out = make()
        assert math.isnan(out.data) and math.isnan(out.local_grads[0])


def test_power_of_a_value_exponent_is_right_at_the_extremes() -> None:
    for base, exponent, expected in [(1e-200, 2.0, 2e-200), (1e300, 2.0, 2e300), (math.inf, 1.0, 1.0)]:
        x = Value(base)
        (x ** Value(exponent)).backward()
        assert x.grad == pytest.approx(expected), (base, exponent)


def test_elu_just_below_zero_keeps_its_precision() -> None:
    x = -1e-10
    assert Value(x).elu().data == math.expm1(x)  # e^x − 1 would keep only 6 digits here


def test_a_number_too_large_for_a_float_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="too large for a float"):
        Value(10**400)
    with pytest.raises(ValueError, match="too large for a float"):
        Value(1.0) * 10**400


def test_topological_order_of_several_roots_places_each_node_once_after_its_parents() -> None:
    a, b = Value(1.0), Value(2.0)
    shared = a * b
    first, second = shared.tanh(), shared + a
    order = topological_order(first, second)
    assert len(order) == len(set(order)) == 5
    for node in order:
        assert all(order.index(parent) < order.index(node) for parent in node.parents)
    assert topological_order() == []
