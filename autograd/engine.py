"""The whole engine: a scalar `Value`, its operations, and the backward pass.

Read it top to bottom:

1. A `Value` holds one number, the name of the operation that made it, its
   inputs, and the *local derivative* of its number with respect to each input.
2. Each operation is defined once, as a function of plain numbers that returns
   the forward value together with those local derivatives.
3. `backward()` visits the graph in reverse topological order and applies the
   chain rule in one loop: ``parent.grad += local_grad * node.grad``.

Numbers mixed into an expression (the ``10`` in ``w * x - 10``) are constants:
they are kept in `inputs` as floats so a drawing can show them, and have a
local derivative like any input, but they are not nodes and receive no gradient.
"""

from __future__ import annotations

import gc
import inspect
import math
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Real
from typing import Any, cast

Number = float | int
Forward = Callable[..., tuple[float, tuple[float, ...]]]

_grad_enabled = True


@dataclass(frozen=True)
class Operation:
    """One operation: its forward function and its local derivatives as text.

    `forward` takes plain numbers and returns ``(value, local_grads)``: one local
    derivative for each of the first `arity` arguments (all of them when `arity`
    is None). Later arguments are parameters, never differentiated: the ``n`` of
    ``x ** n``, the ``slope`` of a leaky ReLU.

    `formula(i, count)` writes d(out)/d(input i) over placeholders ``{0}``,
    ``{1}``, … (the node's `inputs`, parameters included: ``{1}`` is the ``n``
    of ``x ** n``) and ``{out}``, so the step-through can explain any node
    without knowing which operation made it.
    """

    name: str
    forward: Forward
    formula: Callable[[int, int], str]
    arity: int | None

    def __post_init__(self) -> None:
        OPERATIONS[self.name] = self  # nodes record the name; the table gives back the operation

    def __call__(self, *args: Value | Number) -> Value:
        """Apply the operation to Values and numbers: ``OPERATIONS['tanh'](v)``."""
        split = len(args) if self.arity is None else self.arity
        inputs, params = args[:split], tuple([_number(p, self.name) for p in args[split:]])
        if set(map(type, inputs)) == {Value}:  # all nodes: the common case, a neuron's weighted sum
            numbers = [x.data for x in cast("tuple[Value, ...]", inputs)]
        else:  # numbers among the inputs: constants, recorded as floats
            inputs = tuple([x if isinstance(x, Value) else _number(x, self.name) for x in inputs])
            numbers = [_data(x) for x in inputs]
        value, local_grads = self.forward(*numbers, *params)
        if len(local_grads) != len(inputs):
            raise ValueError(f"{self.name}: forward gave {len(local_grads)} local derivatives for {len(inputs)} inputs")
        return _result(value, self.name, inputs + params, local_grads)


OPERATIONS: dict[str, Operation] = {}
"""Every operation by name: the table the drawing, the step-through and the tests read."""


def _number(x: object, where: str) -> float:
    """`x` as a float, or a TypeError naming what was given instead."""
    if type(x) is float:
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(f"{where} needs a real number (int, float or numpy real scalar), got {type(x).__name__}: {x!r}")


def _result(
    value: float,
    op: str,
    inputs: tuple[Value | float, ...],
    local_grads: tuple[float, ...],
) -> Value:
    """The node an operation returns; under `no_grad()`, a plain leaf."""
    if not _grad_enabled:
        op, inputs, local_grads = "", (), ()
    out = object.__new__(Value)
    out.data = value
    out.grad = 0.0
    out.label = ""
    out._op = op
    out._inputs = inputs
    out._local_grads = local_grads
    return out


def operation(name: str, *derivatives: str) -> Callable[[Forward], Callable[..., Value]]:
    """Define an operation once and turn it into a `Value` method.

    The decorated function receives numbers (``self``'s first) and returns
    ``(value, local_grads)``. After the name comes one derivative formula per
    input, written with the function's own parameter names and ``out``.
    """

    def define(forward: Forward) -> Callable[..., Value]:
        names = list(inspect.signature(forward).parameters)
        positional = {name: f"{{{i}}}" for i, name in enumerate(names)}
        templates = tuple(d.format(out="{out}", **positional) for d in derivatives)
        op = Operation(name, forward, lambda i, _: templates[i], len(derivatives))

        # The two methods below are fast paths of `Operation.__call__` for the common cases.
        method: Callable[..., Value]
        if op.arity == 1:

            def method(self: Value, *params: Number) -> Value:
                if params:
                    return op(self, *params)
                value, local_grads = forward(self.data)
                inputs = (self,)
                return _result(value, name, inputs, local_grads)

        else:

            def method(self: Value, other: Value | Number) -> Value:  # type: ignore[misc]
                if type(other) is float:  # checked first: the commonest number, and the cheapest check
                    y = other
                elif isinstance(other, Value):
                    value, local_grads = forward(self.data, other.data)
                    inputs = (self, other)
                    return _result(value, name, inputs, local_grads)
                else:
                    try:
                        y = _number(other, name)
                    except TypeError:
                        return NotImplemented
                value, local_grads = forward(self.data, y)
                return _result(value, name, (self, y), local_grads)

        method.__name__ = forward.__name__
        method.__doc__ = forward.__doc__
        return method

    return define


def reflected(name: str) -> Callable[[Value, Number], Value]:
    """The reflected form of a binary operation: ``2 - v`` calls ``v.__rsub__(2)``."""
    op = OPERATIONS[name]

    def rmethod(self: Value, other: Number) -> Value:
        if not isinstance(other, Real) or isinstance(other, bool):
            return NotImplemented
        return op(other, self)

    rmethod.__doc__ = f"``number {name} value``: the operation with the Value on the right."
    return rmethod


def _exp(x: float) -> float:
    """e ** x, with overflow giving inf as IEEE floats do (math.exp raises)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^−x), computed without overflow for any x."""
    if x >= 0:
        return 1 / (1 + _exp(-x))
    e = _exp(x)
    return e / (1 + e)


def _float_pow(x: float, n: float) -> float:
    """x ** n for floats, with overflow giving ±inf and 0 ** negative giving inf."""
    try:
        return x**n
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        odd = float(n).is_integer() and int(n) % 2 == 1
        return -math.inf if x < 0 and odd else math.inf


def _domain_error(op: str, requirement: str, **given: float) -> ValueError:
    shown = ", ".join(f"{name} = {value!r}" for name, value in given.items())
    return ValueError(f"{op}: needs {requirement}, got {shown}")


class Value:
    """One number in a computation graph, with the gradient backward() gives it."""

    __slots__ = ("data", "grad", "label", "_op", "_inputs", "_local_grads", "__weakref__")

    # numpy: make `np.float64(2) * v` call our reflected method instead of
    # wrapping v in an array, so the result is a Value.
    __array_ufunc__ = None

    def __init__(self, data: Number, label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError("Value needs a number, got a Value (use its .data, or .detach())")
        self.data = _number(data, "Value")
        self.grad = 0.0
        self.label = label
        self._op = ""
        self._inputs: tuple[Value | float, ...] = ()
        self._local_grads: tuple[float, ...] = ()  # as the operation returned them: one per input, none for parameters

    # ---- the graph, read-only ------------------------------------------------

    @property
    def op(self) -> str:
        """Name of the operation that made this value ('' for a leaf)."""
        return self._op

    @property
    def inputs(self) -> tuple[Value | float, ...]:
        """The operation's arguments in order, repeats kept, constants as floats."""
        return self._inputs

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values among `inputs`: the nodes the gradient flows back to."""
        return tuple([x for x in self._inputs if isinstance(x, Value)])

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(parent) for each of `parents`, computed in the forward pass."""
        return tuple([d for x, d in zip(self._inputs, self._local_grads) if isinstance(x, Value)])

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the set of parents (the lecture's drawing code uses it)."""
        return set(self.parents)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    def item(self) -> float:
        """The number, like PyTorch's ``tensor.item()``."""
        return self.data

    # ---- the operations: numbers in, (value, local derivatives) out ----------

    @operation("+", "1", "1")
    def __add__(x: float, y: float) -> tuple[float, tuple[float, ...]]:
        return x + y, (1.0, 1.0)

    @operation("-", "1", "−1")
    def __sub__(x: float, y: float) -> tuple[float, tuple[float, ...]]:
        return x - y, (1.0, -1.0)

    @operation("*", "{y}", "{x}")
    def __mul__(x: float, y: float) -> tuple[float, tuple[float, ...]]:
        return x * y, (y, x)

    @operation("/", "1 / {y}", "−{x} / {y}²")
    def __truediv__(x: float, y: float) -> tuple[float, tuple[float, ...]]:
        if y == 0:
            raise _domain_error("/", "a non-zero divisor", x=x, y=y)
        out = x / y
        return out, (1 / y, -out / y)

    @operation("neg", "−1")
    def __neg__(x: float) -> tuple[float, tuple[float, ...]]:
        return -x, (-1.0,)

    @operation("**", "{n}·{x}^({n} − 1)")
    def _power(x: float, n: float) -> tuple[float, tuple[float, ...]]:
        """x ** n for a number n."""
        if x == 0 and n < 0:
            raise _domain_error("**", "a non-zero base for a negative exponent", x=x, n=n)
        if x < 0 and not float(n).is_integer():
            raise _domain_error("**", "a whole exponent for a negative base", x=x, n=n)
        local = 0.0 if n == 0 else n * _float_pow(x, n - 1)
        return _float_pow(x, n), (local,)

    @operation("pow", "{y}·{x}^({y} − 1)", "{out}·log({x})")
    def _power_of_value(x: float, y: float) -> tuple[float, tuple[float, ...]]:
        """x ** y with a Value exponent: needs x > 0, since d/dy is x^y·log(x)."""
        if not x > 0:
            raise _domain_error("**", "a positive base when the exponent is a Value", x=x, y=y)
        out = _float_pow(x, y)
        return out, (y * out / x, out * math.log(x))

    def __pow__(self, exponent: Value | Number) -> Value:
        """``self ** exponent``; a Value exponent needs a positive base."""
        if isinstance(exponent, Value):
            return self._power_of_value(exponent)
        return self._power(exponent)

    __radd__ = reflected("+")
    __rsub__ = reflected("-")
    __rmul__ = reflected("*")
    __rtruediv__ = reflected("/")
    __rpow__ = reflected("pow")

    @operation("exp", "{out}")
    def exp(x: float) -> tuple[float, tuple[float, ...]]:
        out = _exp(x)
        return out, (out,)

    @operation("log", "1 / {x}")
    def log(x: float) -> tuple[float, tuple[float, ...]]:
        """Natural logarithm; needs x > 0."""
        if x <= 0:
            raise _domain_error("log", "x > 0", x=x)
        return math.log(x), (1 / x,)

    @operation("sqrt", "1 / (2·{out})")
    def sqrt(x: float) -> tuple[float, tuple[float, ...]]:
        """Square root; needs x >= 0, and its slope at 0 is infinite."""
        if x < 0:
            raise _domain_error("sqrt", "x >= 0", x=x)
        out = math.sqrt(x)
        return out, (0.5 / out if out else math.inf,)

    @operation("sin", "cos({x})")
    def sin(x: float) -> tuple[float, tuple[float, ...]]:
        return math.sin(x), (math.cos(x),)

    @operation("cos", "−sin({x})")
    def cos(x: float) -> tuple[float, tuple[float, ...]]:
        return math.cos(x), (-math.sin(x),)

    @operation("tanh", "1 − {out}²")
    def tanh(x: float) -> tuple[float, tuple[float, ...]]:
        t = math.tanh(x)
        return t, (1 - t * t,)

    @operation("sigmoid", "{out}·(1 − {out})")
    def sigmoid(x: float) -> tuple[float, tuple[float, ...]]:
        """σ(x) = 1 / (1 + e^−x)."""
        s = _sigmoid(x)
        return s, (s * (1 - s),)

    @operation("relu", "1 if {x} > 0 else 0")
    def relu(x: float) -> tuple[float, tuple[float, ...]]:
        return max(x, 0.0), (1.0 if x > 0 else 0.0,)

    @operation("leaky_relu", "1 if {x} > 0 else {slope}")
    def leaky_relu(x: float, slope: float = 0.01) -> tuple[float, tuple[float, ...]]:
        return (x, (1.0,)) if x > 0 else (slope * x, (slope,))

    @operation("elu", "1 if {x} > 0 else {alpha}·e^{x}")
    def elu(x: float, alpha: float = 1.0) -> tuple[float, tuple[float, ...]]:
        if x > 0:
            return x, (1.0,)
        e = _exp(x)
        return alpha * (e - 1), (alpha * e,)

    @operation("softplus", "σ({x})")
    def softplus(x: float) -> tuple[float, tuple[float, ...]]:
        """log(1 + e^x), computed without overflow for any x."""
        return max(x, 0.0) + math.log1p(_exp(-abs(x))), (_sigmoid(x),)

    @operation("abs", "sign({x})")
    def __abs__(x: float) -> tuple[float, tuple[float, ...]]:
        return abs(x), (1.0 if x > 0 else -1.0 if x < 0 else 0.0,)

    abs = __abs__

    # ---- the backward pass ---------------------------------------------------

    def backward(self) -> None:
        """Add d(self)/d(node) to ``node.grad`` for every node this value depends on.

        Each call adds one gradient, so two calls give exactly twice one call,
        intermediate nodes included. `zero_grad()` starts over.
        """
        with _cycle_collector_paused():
            for _ in _chain_rule(self, topological_order(self), stepping=False):
                pass  # not stepping: the loop runs through without pausing

    def backward_steps(self) -> Generator[BackwardStep, None, None]:
        """The backward pass one step at a time, for stepping through it.

        The first step is the seed, ``self.grad = 1`` (d self / d self). Each
        later step adds one ``local_grad × upstream_grad`` to one input's
        ``grad`` before it is yielded, so the graph can be drawn mid-way
        (gradients from earlier passes are set aside until the end). Run to
        the end, it leaves the gradients `backward()` would; closed early, it
        leaves every gradient as it was before the pass.
        """
        order = topological_order(self)
        total = 1 + sum(len(node.parents) for node in order)
        previous, edge = None, 0
        for index, (node, parent, local, upstream, before) in enumerate(_chain_rule(self, order, stepping=True)):
            if node is parent:  # the seed
                yield BackwardStep(index, total, node, node, None, 1.0, 1.0, 1.0, before, node.grad)
                continue
            edge = edge + 1 if node is previous else 0
            previous = node
            yield BackwardStep(index, total, node, parent, edge, local, upstream, local * upstream, before, parent.grad)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this value and on every node it depends on."""
        for node in topological_order(self):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same number and label, and no history."""
        return Value(self.data, self.label)


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: `node`'s gradient flowing into one of its inputs.

    Step 0 is the seed: ``root.grad = 1``, with `node` and `input` both the
    root and `edge` None. In every later step, `edge` is the input's position
    in ``node.parents`` (``a + a`` has edges 0 and 1), and the input's
    gradient goes from `input_grad_before` to `input_grad`.
    """

    index: int
    total: int
    node: Value
    input: Value
    edge: int | None
    local_grad: float
    upstream_grad: float
    contribution: float
    input_grad_before: float
    input_grad: float

    @property
    def is_seed(self) -> bool:
        """True for step 0, which sets the root's gradient to 1."""
        return self.edge is None


def _data(x: Value | float) -> float:
    return x.data if isinstance(x, Value) else x


def _linear(*numbers: float) -> tuple[float, tuple[float, ...]]:
    """b + Σ wᵢ·xᵢ over numbers laid out as (w₁…wₙ, x₁…xₙ, b)."""
    n = len(numbers) // 2
    weights, inputs, bias = numbers[:n], numbers[n:-1], numbers[-1]
    total = bias
    for w, x in zip(weights, inputs):
        total += w * x
    return total, (*inputs, *weights, 1.0)


def _linear_formula(i: int, count: int) -> str:
    n = count // 2
    return "1" if i == count - 1 else f"{{{(i + n) % (2 * n)}}}"  # a weight's partner input, and back


LINEAR = Operation("linear", _linear, _linear_formula, None)


def linear(weights: Sequence[Value | Number], inputs: Sequence[Value | Number], bias: Value | Number) -> Value:
    """``bias + Σ wᵢ·xᵢ`` as one node: a neuron's weighted sum, fused.

    Its local derivatives are xᵢ for each wᵢ, wᵢ for each xᵢ and 1 for the
    bias, exactly what the chain of ``*`` and ``+`` nodes would give, in a
    graph with one node where that chain has 2n.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"linear: {len(weights)} weights for {len(inputs)} inputs")
    return LINEAR(*weights, *inputs, bias)


_PARENTS_PLACED = object()
"""On the stack below: the node under this marker has all its parents placed."""


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents (root last).

    Depth-first, with an explicit stack instead of recursion, so graphs of any
    depth work at the default recursion limit. A node goes back on the stack
    under a marker, above its parents: by the time the marker comes off, every
    parent has been placed, and the node can follow them.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[Any] = [root]  # Values, and markers
    while stack:
        node = stack.pop()
        if node is _PARENTS_PLACED:
            order.append(stack.pop())
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(_PARENTS_PLACED)
            for parent in node._inputs:
                if type(parent) is not float and parent not in visited:  # constants are floats, not nodes
                    stack.append(parent)
    return order


def _chain_rule(
    root: Value, order: list[Value], stepping: bool
) -> Iterator[tuple[Value, Value, float, float, float]]:
    """The backward pass over `root`'s topological order. When `stepping`, it
    pauses after the seed and after each contribution, yielding
    ``(node, parent, local_grad, upstream, parent's grad before)``; the seed is
    ``(root, root, 1, 1, 0)``.

    Gradients from earlier passes are set aside so that this pass sums from
    zero (an intermediate node must pass on this pass's gradient only), and
    added back at the end. A pass stopped early (a closed step-through) puts
    back exactly the gradients there were before it.
    """
    earlier = [node.grad for node in order]
    set_aside = any(earlier)
    if set_aside:
        for node in order:
            node.grad = 0.0
    root.grad = 1.0
    finished = False
    try:
        if stepping:
            yield root, root, 1.0, 1.0, 0.0
        for node in reversed(order):
            upstream = node.grad  # complete: every node that uses `node` came before it
            local_grads = node._local_grads  # read by index: cheaper than zip for one or two inputs
            for i, parent in enumerate(node._inputs):
                if isinstance(parent, Value):  # not a constant
                    before = parent.grad
                    parent.grad = before + local_grads[i] * upstream  # the chain rule
                    if stepping:
                        yield node, parent, local_grads[i], upstream, before
        finished = True
    finally:
        if finished:
            if set_aside:
                for node, before in zip(order, earlier):
                    node.grad += before
        else:
            for node, before in zip(order, earlier):
                node.grad = before


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: the backward pass creates no reference
    cycles, and on a big graph the collector would re-scan every node for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def no_grad() -> Iterator[None]:
    """Within this block operations record no inputs: their results are plain leaves."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


def is_grad_enabled() -> bool:
    """False inside `no_grad()`."""
    return _grad_enabled
