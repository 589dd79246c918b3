"""The whole engine: a scalar `Value`, its operations, and the backward pass.

Read it top to bottom:

1. Each operation is defined once, as a short function that returns its value
   and its *local derivatives* (d out / d input, a tuple with one per input),
   written with arithmetic and a few primitives (``m.exp``, ``m.tanh``,
   ``m.where``, …) from a namespace ``m``:

       @operation("tanh")
       def tanh(m, x):
           out = m.tanh(x)
           return out, (1 - out * out,)

   Run on plain floats (``m = FLOAT``) it is the fast forward pass. Run on
   Values (``m = VALUE``) its local derivatives are themselves Values with a
   graph, so a derivative can be differentiated again. `autograd.replay` runs
   the same definition on numpy arrays, and `autograd.explain` runs it on
   symbols to print its formula.
2. A `Value` holds one number, the name of the operation that made it, its
   inputs, and the local derivatives the operation gave.
3. `backward()` visits the graph in reverse topological order and applies the
   chain rule in one loop: ``parent.grad += local_grad × node.grad``.
   `grad()` does the same without touching ``.grad``, and with
   ``create_graph=True`` computes in Values, to any order.

Numbers mixed into an expression (the ``10`` in ``w * x - 10``) are constants:
they are kept in `inputs` as floats so a drawing can show them, and have a
local derivative like any input, but they are not nodes and get no gradient.
"""

from __future__ import annotations

import gc
import inspect
import math
import threading
import types
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from numbers import Real
from typing import Any, TypeGuard

Number = float | int
Result = tuple[Any, tuple[Any, ...]]
"""What an operation's definition returns: its value, and its local derivatives (one per input)."""
Definition = Callable[..., Result]


# ---- the primitives an operation is written with --------------------------------------

PRIMITIVES = ("exp", "expm1", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "softplus", "abs", "sign",
              "pow", "where", "refuse")  # fmt: skip
"""What every namespace ``m`` offers besides arithmetic and comparisons: FLOAT and VALUE
here, numpy's in `autograd.replay`, symbols in `autograd.explain`."""


class DomainError(ArithmeticError):
    """Raised by ``m.refuse`` when an input is outside an operation's domain; the
    operation turns it into a ValueError naming itself and its inputs."""


def _overflow_to_inf(f: Callable[[float], float]) -> Callable[[float], float]:
    """`f`, giving ±inf on overflow and nan for inf input, as IEEE floats do (math raises instead)."""

    def ieee(x: float) -> float:
        try:
            return f(x)
        except OverflowError:
            return math.inf
        except ValueError:  # sin(inf), cos(inf)
            return math.nan

    ieee.__name__ = f.__name__
    return ieee


def _float_sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^−x), computed without overflow for any x."""
    if x >= 0:
        return 1 / (1 + _float_exp(-x))
    e = _float_exp(x)
    return e / (1 + e)


def _float_pow(x: float, n: float) -> float:
    """x ** n for floats: overflow gives ±inf and 0 ** negative gives inf, as IEEE floats do."""
    try:
        return x**n
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        odd = float(n).is_integer() and int(n) % 2 == 1
        return -math.inf if x < 0 and odd else math.inf


def _float_refuse(outside: bool, requirement: str) -> None:
    """Raise DomainError(requirement) when the input is `outside` the domain. NaN is never
    outside (every comparison with it is False): it passes through, as IEEE floats do."""
    if outside:
        raise DomainError(requirement)


_float_exp = _overflow_to_inf(math.exp)


class _FloatPrimitives:
    """The primitives on plain floats: the fast forward pass."""

    exp = staticmethod(_float_exp)
    expm1 = staticmethod(_overflow_to_inf(math.expm1))
    log = staticmethod(math.log)
    sqrt = staticmethod(math.sqrt)
    sin = staticmethod(_overflow_to_inf(math.sin))
    cos = staticmethod(_overflow_to_inf(math.cos))
    tanh = staticmethod(math.tanh)
    sigmoid = staticmethod(_float_sigmoid)
    abs = staticmethod(abs)

    @staticmethod
    def softplus(x: float) -> float:
        """log(1 + e^x), without overflow for any x."""
        return max(x, 0.0) + math.log1p(_float_exp(-abs(x)))

    @staticmethod
    def sign(x: float) -> float:
        return 1.0 if x > 0 else -1.0 if x < 0 else 0.0

    pow = staticmethod(_float_pow)

    @staticmethod
    def where(condition: bool, if_true: Any, if_false: Any) -> Any:
        return if_true if condition else if_false

    refuse = staticmethod(_float_refuse)


def namespace(primitives: type) -> Any:
    """The primitives of a class as a module object: Python looks up a module's attributes fastest."""
    module = types.ModuleType(primitives.__name__.strip("_"), primitives.__doc__)
    for name in PRIMITIVES:
        setattr(module, name, getattr(primitives, name))
    return module


FLOAT = namespace(_FloatPrimitives)


# ---- operations: defined once, registered by name ---------------------------------------


class Operation:
    """One operation: its name and its definition ``definition(m, *inputs, *params)``.

    The definition returns its value and a tuple of local derivatives, one for
    each of the first `arity` arguments (all of them when `arity` is None).
    Later arguments are parameters, never differentiated: the ``n`` of
    ``x ** n``, the ``slope`` of a leaky ReLU. Call an operation on Values and
    numbers to apply it: ``OPERATIONS['tanh'](v)``.
    """

    __slots__ = ("name", "definition", "arity", "_unchecked")

    def __init__(self, name: str, definition: Definition, arity: int | None) -> None:
        self.name = name
        self.definition = definition
        self.arity = arity
        self._unchecked = True

    def __repr__(self) -> str:
        return f"Operation({self.name!r}, {self.definition.__name__}, arity={self.arity})"

    def __call__(self, *args: Value | Number) -> Value:
        params: tuple[float, ...] = ()
        inputs = args
        if self.arity is not None and len(args) > self.arity:
            inputs, params = args[: self.arity], tuple([_number(p, self.name) for p in args[self.arity :]])
        if set(map(type, inputs)) == {Value}:  # all nodes: the common case, a neuron's weighted sum
            numbers = tuple([x.data for x in inputs])  # type: ignore[union-attr]
        else:  # numbers among the inputs: constants, recorded as floats
            inputs = tuple([x if isinstance(x, Value) else _number(x, self.name) for x in inputs])
            numbers = tuple([x.data if isinstance(x, Value) else x for x in inputs])
        return _apply(self, inputs + params, numbers + params)

    def check_local_grads(self, inputs: tuple[Value | float, ...], local_grads: tuple[float, ...]) -> None:
        """Refuse a definition that gives the wrong number of local derivatives: one per input.

        An operation with a fixed number of inputs gives the same count every
        time, so it is checked on its first use only.
        """
        if len(local_grads) != (self.arity or len(inputs)):
            raise ValueError(f"{self.name}: gave {len(local_grads)} local derivatives for {len(inputs)} inputs")
        self._unchecked = self.arity is None

    def parameters(self, given: tuple[Number, ...], named: dict[str, Number]) -> tuple[float, ...]:
        """The parameters of a call, given in order or by name, as floats; defaults fill the rest."""
        assert self.arity is not None, "a variadic operation has no parameters"
        try:
            call = inspect.signature(self.definition).bind(FLOAT, *[0.0] * self.arity, *given, **named)
        except TypeError as error:
            raise TypeError(f"{self.name}: {error}") from None
        call.apply_defaults()
        return tuple([_number(p, self.name) for p in call.args[1 + self.arity :]])

    def domain_error(self, error: DomainError, numbers: Sequence[float]) -> ValueError:
        """A ValueError naming this operation, what it needs, and the numbers it got."""
        names = self.definition.__code__.co_varnames[1 : 1 + len(numbers)]
        if self.arity is None:
            names = tuple(f"x{i}" for i in range(len(numbers)))
        shown = ", ".join(f"{name} = {x!r}" for name, x in zip(names, numbers))
        return ValueError(f"{self.name}: needs {error}, got {shown}")


OPERATIONS: dict[str, Operation] = {}
"""Every operation by name: the table the drawing, the explanations and the tests read."""


def register(op: Operation) -> Operation:
    """Add `op` to OPERATIONS; a second operation under a taken name is an error.

    Defining the very same operation again (a notebook cell run twice) replaces it.
    """
    taken = OPERATIONS.get(op.name)
    if taken is not None and not _same_code(taken.definition, op.definition):
        raise ValueError(f"an operation named {op.name!r} is already registered; give yours another name")
    OPERATIONS[op.name] = op
    return op


def _same_code(a: Definition, b: Definition) -> bool:
    return a.__code__.co_code == b.__code__.co_code and a.__code__.co_consts == b.__code__.co_consts


def operation(name: str, arity: int | None = 1) -> Callable[[Definition], Operation]:
    """Define and register an operation: ``@operation("tanh")`` above its definition.

    `arity` is how many leading arguments are differentiable inputs (the rest
    are parameters); None means all of them, however many there are.
    """

    def define(definition: Definition) -> Operation:
        return register(Operation(name, definition, arity))

    return define


def _apply(op: Operation, inputs: tuple[Value | float, ...], numbers: tuple[float, ...]) -> Value:
    """Apply `op` in general: its definition on the inputs' numbers (parameters last), then `_record`."""
    try:
        result = op.definition(FLOAT, *numbers)
    except DomainError as error:
        raise op.domain_error(error, numbers) from None
    return _record(op, inputs, result)


def _record(op: Operation, inputs: tuple[Value | float, ...], result: tuple[float, tuple[float, ...]]) -> Value:
    """The node for an operation's `result` (its value and its local derivatives): where
    every application ends, checked the same way.

    `inputs` are what the node records (Values, constants, then parameters).
    Inside `no_grad()` the result is a plain leaf.
    """
    value, local_grads = result
    if op._unchecked:  # its first use (every use, for a variadic operation)
        op.check_local_grads(inputs, local_grads)
    out = _new_value(Value)
    out.data = value
    out.grad = 0.0
    out._label = ""
    if _recording_anywhere_off and _no_grad_depth.get():
        out._op, out._inputs, out._local_grads = "", (), ()
    else:
        out._op, out._inputs, out._local_grads = op.name, inputs, local_grads
    return out


def _number(x: object, where: str) -> float:
    """`x` as a float, or a TypeError naming what was given instead."""
    if type(x) is float:
        return x
    if _is_real(x):
        try:
            return float(x)
        except OverflowError:
            raise ValueError(f"{where}: {x!r} is too large for a float (about ±1.8e308 at most)") from None
    raise TypeError(f"{where} needs a real number (int, float or numpy real scalar), got {type(x).__name__}: {x!r}")


# ---- the operations ---------------------------------------------------------------------
# m is FLOAT, VALUE, numpy's namespace or the symbols; x, y are inputs, the rest parameters.


@operation("+", arity=2)
def add(m: Any, x: Any, y: Any) -> Result:
    return x + y, (1.0, 1.0)


@operation("-", arity=2)
def sub(m: Any, x: Any, y: Any) -> Result:
    return x - y, (1.0, -1.0)


@operation("*", arity=2)
def mul(m: Any, x: Any, y: Any) -> Result:
    return x * y, (y, x)


@operation("/", arity=2)
def truediv(m: Any, x: Any, y: Any) -> Result:
    m.refuse(y == 0, "a non-zero divisor")
    out = x / y
    return out, (1 / y, -out / y)


@operation("neg")
def neg(m: Any, x: Any) -> Result:
    return -x, (-1.0,)


@operation("**")
def power(m: Any, x: Any, n: float) -> Result:
    """x ** n for a number n, which is a parameter: not differentiated."""
    if n < 0:
        m.refuse(x == 0, "a non-zero base for a negative exponent")
    if not n.is_integer():
        m.refuse(x < 0, "a whole exponent for a negative base")
    local = 0.0 if n == 0 else n * m.pow(x, n - 1)  # x^(n−1) could be 1/0 at x = 0 when n = 0
    return m.pow(x, n), (local,)


@operation("pow", arity=2)
def power_of_value(m: Any, x: Any, y: Any) -> Result:
    """x ** y with a Value exponent: needs x > 0, since d/dy is x^y·log(x)."""
    m.refuse(x <= 0, "a positive base when the exponent is a Value")
    out = m.pow(x, y)
    return out, (y * m.pow(x, y - 1), out * m.log(x))


@operation("exp")
def exp(m: Any, x: Any) -> Result:
    out = m.exp(x)
    return out, (out,)


@operation("log")
def log(m: Any, x: Any) -> Result:
    """Natural logarithm; needs x > 0."""
    m.refuse(x <= 0, "x > 0")
    return m.log(x), (1 / x,)


@operation("sqrt")
def sqrt(m: Any, x: Any) -> Result:
    """Square root; needs x >= 0. Its slope at 0 is infinite (0.5·0^(−0.5) = inf)."""
    m.refuse(x < 0, "x >= 0")
    return m.sqrt(x), (0.5 * m.pow(x, -0.5),)


@operation("sin")
def sin(m: Any, x: Any) -> Result:
    return m.sin(x), (m.cos(x),)


@operation("cos")
def cos(m: Any, x: Any) -> Result:
    return m.cos(x), (-m.sin(x),)


@operation("tanh")
def tanh(m: Any, x: Any) -> Result:
    out = m.tanh(x)
    return out, (1 - out * out,)


@operation("sigmoid")
def sigmoid(m: Any, x: Any) -> Result:
    """σ(x) = 1 / (1 + e^−x)."""
    out = m.sigmoid(x)
    return out, (out * (1 - out),)


@operation("relu")
def relu(m: Any, x: Any) -> Result:
    return m.where(x <= 0, 0.0, x), (m.where(x > 0, 1.0, 0.0),)  # relu(nan) is nan


@operation("leaky_relu")
def leaky_relu(m: Any, x: Any, slope: float = 0.01) -> Result:
    return m.where(x > 0, x, slope * x), (m.where(x > 0, 1.0, slope),)


@operation("elu")
def elu(m: Any, x: Any, alpha: float = 1.0) -> Result:
    return m.where(x > 0, x, alpha * m.expm1(x)), (m.where(x > 0, 1.0, alpha * m.exp(x)),)


@operation("softplus")
def softplus(m: Any, x: Any) -> Result:
    """log(1 + e^x), a smooth relu."""
    return m.softplus(x), (m.sigmoid(x),)


@operation("abs")
def absolute(m: Any, x: Any) -> Result:
    return m.abs(x), (m.sign(x),)


@operation("linear", arity=None)
def fused_linear(m: Any, *numbers: Any) -> Result:
    """b + Σ wᵢ·xᵢ over inputs laid out as (w₁…wₙ, x₁…xₙ, b): a neuron's weighted sum as one node."""
    n = len(numbers) // 2
    weights, inputs, bias = numbers[:n], numbers[n:-1], numbers[-1]
    total = bias
    for w, x in zip(weights, inputs):
        total = total + w * x
    return total, (*inputs, *weights, 1.0)


# ---- Value --------------------------------------------------------------------------------

_new_value = object.__new__


def _method(
    op: Operation, method_name: str, arguments: int, *, reflected: bool = False, for_values: Operation | None = None
) -> Callable[..., Value]:
    """`op` as a Value method of one argument (``v.tanh()``) or two (``v * w``, ``v * 2``, ``v ** 2``;
    `reflected`: ``2 * v``, which Python runs as ``v.__rmul__(2)``; `for_values`: the
    operation to apply instead when the other argument is a Value, as ``v ** w`` is).

    A method only sorts its arguments into what the node records and their
    numbers, runs the definition on the numbers and `_record`s the node; a
    call it does not expect (``v.leaky_relu(0.2)``) goes through `_apply`.
    """
    definition, name = op.definition, op.name

    def unary(self: Value, *params: Number, **named: Number) -> Value:
        if params or named:  # v.leaky_relu(0.2), v.elu(alpha=0.5)
            params = op.parameters(params, named)
            return _apply(op, (self, *params), (self.data, *params))
        x = self.data
        try:
            result = definition(FLOAT, x)
        except DomainError as error:
            raise op.domain_error(error, (x,)) from None
        return _record(op, (self,), result)

    def binary(self: Value, other: Value | Number) -> Value:
        if type(other) is float:  # checked first: the commonest number, and the cheapest check
            y = other
        elif isinstance(other, Value):
            if for_values is not None:
                return _apply(for_values, (self, other), (self.data, other.data))
            y = other.data
        elif _is_real(other):
            y = other = _number(other, name)
        else:
            return NotImplemented
        x = self.data
        try:
            result = definition(FLOAT, x, y)
        except DomainError as error:
            raise op.domain_error(error, (x, y)) from None
        return _record(op, (self, other), result)

    def number_first(self: Value, other: Number) -> Value:
        if type(other) is not float:
            if not _is_real(other):
                return NotImplemented
            other = _number(other, name)
        y = self.data
        try:
            result = definition(FLOAT, other, y)
        except DomainError as error:
            raise op.domain_error(error, (other, y)) from None
        return _record(op, (other, self), result)

    method = unary if arguments == 1 else number_first if reflected else binary
    method.__name__ = method_name
    method.__qualname__ = f"Value.{method_name}"
    method.__doc__ = op.definition.__doc__
    return method


def _is_real(x: object) -> TypeGuard[Real]:
    """An int, or any real number but a bool (numpy's included)."""
    return type(x) is int or (isinstance(x, Real) and not isinstance(x, bool))


class Value:
    """One number in a computation graph, with the gradient backward() gives it.

    ``Value(data, label='x')``, or micrograd's ``Value(data, _children=(), _op='', label='')``.
    """

    __slots__ = ("data", "grad", "_label", "_op", "_inputs", "_local_grads", "__dict__", "__weakref__")

    # numpy: make `np.float64(2) * v` call our reflected method instead of
    # wrapping v in an array, so the result is a Value.
    __array_ufunc__ = None

    def __init__(
        self, data: Number, _children: Sequence[Value] | str = (), _op: str = "", label: str = ""
    ) -> None:
        if isinstance(data, Value):
            raise TypeError("Value needs a number, got a Value (use its .data, or .detach())")
        children: tuple[Value, ...] = ()
        if isinstance(_children, str):  # Value(2.0, "x"): the second argument is a label
            label = _children
        else:
            children = tuple(_children)
        self.data = _number(data, "Value")
        self.grad = 0.0
        self.label = label
        self._op = _op
        self._inputs: tuple[Value | float, ...] = children
        if not all(isinstance(child, Value) for child in self._inputs):
            raise TypeError("Value: _children must be Values (micrograd's form is Value(data, (a, b), '+'))")
        # The local derivatives the operation returned, one per input. None for
        # a node made micrograd's way, with children: its own `_backward` closure does its step.
        self._local_grads: tuple[float, ...] | None = None if self._inputs else ()

    @property
    def label(self) -> str:
        """A name for drawings and explanations; dotted names (``layer0.neuron1.w0``) group a drawing."""
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        if not isinstance(label, str):
            raise TypeError(f"a label must be a string, got {type(label).__name__}: {label!r}")
        self._label = label

    # ---- the graph, read-only ------------------------------------------------

    @property
    def op(self) -> str:
        """Name of the operation that made this value ('' for a leaf)."""
        return self._op

    @property
    def inputs(self) -> tuple[Value | float, ...]:
        """The operation's arguments in order, repeats kept, constants and parameters as floats."""
        return self._inputs

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values among `inputs`: the nodes the gradient flows back to."""
        return tuple([x for x in self._inputs if isinstance(x, Value)])

    @property
    def local_grads(self) -> tuple[float, ...] | None:
        """d(self)/d(parent) for each of `parents`, computed in the forward pass
        (None for a node made micrograd's way, whose `_backward` knows them)."""
        if self._local_grads is None:
            return None
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

    # Comparisons compare the numbers, so max(values) is the Value with the largest
    # number; == stays identity, so Values work as dictionary keys.
    def __lt__(self, other: Value | Number) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Value | Number) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Value | Number) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Value | Number) -> bool:
        return self.data >= _data(other)

    # ---- the operations, as methods and operators ----------------------------

    __add__ = _method(add, "__add__", 2)
    __sub__ = _method(sub, "__sub__", 2)
    __mul__ = _method(mul, "__mul__", 2)
    __truediv__ = _method(truediv, "__truediv__", 2)
    __neg__ = _method(neg, "__neg__", 1)
    __radd__ = _method(add, "__radd__", 2, reflected=True)
    __rsub__ = _method(sub, "__rsub__", 2, reflected=True)
    __rmul__ = _method(mul, "__rmul__", 2, reflected=True)
    __rtruediv__ = _method(truediv, "__rtruediv__", 2, reflected=True)
    __rpow__ = _method(power_of_value, "__rpow__", 2, reflected=True)
    exp = _method(exp, "exp", 1)
    log = _method(log, "log", 1)
    sqrt = _method(sqrt, "sqrt", 1)
    sin = _method(sin, "sin", 1)
    cos = _method(cos, "cos", 1)
    tanh = _method(tanh, "tanh", 1)
    sigmoid = _method(sigmoid, "sigmoid", 1)
    relu = _method(relu, "relu", 1)
    leaky_relu = _method(leaky_relu, "leaky_relu", 1)
    elu = _method(elu, "elu", 1)
    softplus = _method(softplus, "softplus", 1)
    __abs__ = abs = _method(absolute, "abs", 1)
    __pow__ = _method(power, "__pow__", 2, for_values=power_of_value)  # a number exponent is a parameter

    # ---- the backward pass ---------------------------------------------------

    def backward(self) -> None:
        """Add d(self)/d(node) to ``node.grad`` for every node this value depends on.

        Each call adds one gradient, so two calls give exactly twice one call,
        intermediate nodes included. `zero_grad()` starts over.
        """
        with _cycle_collector_paused():
            for _ in _chain_rule(self, topological_order(self), stepping=False):
                pass  # not stepping: the loop runs through without pausing

    def _backward(self) -> None:
        """This node's own step of the chain rule: each input gets ``local_grad × self.grad``.

        micrograd's name: the lecture's manual backward calls it node by node,
        from the output back. A node made micrograd's way may be given its own
        ``_backward`` closure instead, and `backward()` calls that.
        """
        if self._local_grads is None:
            return  # a micrograd-style node without a closure of its own: micrograd does nothing too
        for x, local in zip(self._inputs, self._local_grads):
            if isinstance(x, Value):
                x.grad += local * self.grad

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
        chain_rule = _chain_rule(self, order, stepping=True)
        for index, (node, parent, local, upstream, before, position) in enumerate(chain_rule):
            if position is None:  # the seed
                yield BackwardStep(index, total, node, node, None, None, 1.0, 1.0, 1.0, before, node.grad)
                continue
            edge = sum(isinstance(x, Value) for x in node._inputs[:position])  # constants before it are not edges
            contribution = local * upstream
            yield BackwardStep(
                index, total, node, parent, edge, position, local, upstream, contribution, before, parent.grad
            )

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this value and on every node it depends on."""
        for node in topological_order(self):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same number and label, and no history."""
        return Value(self.data, label=self.label)


def _data(x: Value | Number) -> float:
    return x.data if isinstance(x, Value) else x


def linear(weights: Sequence[Value | Number], inputs: Sequence[Value | Number], bias: Value | Number) -> Value:
    """``bias + Σ wᵢ·xᵢ`` as one node: a neuron's weighted sum, fused.

    Its local derivatives are xᵢ for each wᵢ, wᵢ for each xᵢ and 1 for the
    bias, exactly what the chain of ``*`` and ``+`` nodes would give, in a
    graph with one node where that chain has 2n.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"linear: {len(weights)} weights for {len(inputs)} inputs")
    return fused_linear(*weights, *inputs, bias)


def _lift(method: Callable[[Value], Value], on_floats: Callable[[float], float]) -> Callable[[Any], Any]:
    """A primitive on Values: the operation's method, or the float function for a constant."""

    def primitive(x: Any) -> Any:
        return method(x) if isinstance(x, Value) else on_floats(x)

    return primitive


class _ValuePrimitives:
    """The primitives on Values: the operations themselves. A definition run with
    these gives local derivatives that are Values, with graphs of their own."""

    exp = staticmethod(_lift(Value.exp, FLOAT.exp))

    @staticmethod
    def expm1(x: Any) -> Any:
        return x.exp() - 1 if isinstance(x, Value) else FLOAT.expm1(x)

    log = staticmethod(_lift(Value.log, FLOAT.log))
    sqrt = staticmethod(_lift(Value.sqrt, FLOAT.sqrt))
    sin = staticmethod(_lift(Value.sin, FLOAT.sin))
    cos = staticmethod(_lift(Value.cos, FLOAT.cos))
    tanh = staticmethod(_lift(Value.tanh, FLOAT.tanh))
    sigmoid = staticmethod(_lift(Value.sigmoid, FLOAT.sigmoid))
    softplus = staticmethod(_lift(Value.softplus, FLOAT.softplus))
    abs = staticmethod(_lift(Value.abs, FLOAT.abs))

    @staticmethod
    def sign(x: Any) -> float:
        """Piecewise constant: a number, whose derivative is 0."""
        return FLOAT.sign(_data(x))

    @staticmethod
    def pow(x: Any, n: Any) -> Any:
        if isinstance(x, Value):
            return x**n
        return n.__rpow__(x) if isinstance(n, Value) else FLOAT.pow(x, n)

    where = FLOAT.where  # conditions on Values compare their numbers

    @staticmethod
    def refuse(outside: Any, requirement: str) -> None:
        """Nothing to check: the forward pass already did."""


VALUE = namespace(_ValuePrimitives)


# ---- the backward pass --------------------------------------------------------------------


@dataclass(frozen=True)
class BackwardStep:
    """One step of the backward pass: `node`'s gradient flowing into one of its inputs.

    Step 0 is the seed: ``root.grad = 1``, with `node` and `input` both the
    root and `edge` and `position` None. In every later step, `edge` is the
    input's place in ``node.parents`` (``a + a`` has edges 0 and 1) and
    `position` its place in ``node.inputs`` (constants counted), and the
    input's gradient goes from `input_grad_before` to `input_grad`.
    """

    index: int
    total: int
    node: Value
    input: Value
    edge: int | None
    position: int | None
    local_grad: float
    upstream_grad: float
    contribution: float
    input_grad_before: float
    input_grad: float

    @property
    def is_seed(self) -> bool:
        """True for step 0, which sets the root's gradient to 1."""
        return self.edge is None


_PARENTS_PLACED = object()
"""On the stack below: the node under this marker has all its parents placed."""


def topological_order(*roots: Value) -> list[Value]:
    """Every node the roots depend on, each after all of its parents (a single root last).

    Depth-first, with an explicit stack instead of recursion, so graphs of any
    depth work at the default recursion limit. A node goes back on the stack
    under a marker, above its parents: by the time the marker comes off, every
    parent has been placed, and the node can follow them.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[Any] = list(roots)  # Values, and markers
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
    root: Value, order: list[Value], stepping: bool, create_graph: bool = False
) -> Iterator[tuple[Value, Value, float, float, float, int | None]]:
    """The backward pass over `root`'s topological order. When `stepping`, it
    pauses after the seed and after each contribution, yielding
    ``(node, parent, local_grad, upstream, parent's grad before, parent's position
    in node.inputs)``; the seed is ``(root, root, 1, 1, 0, None)``. With `create_graph`, local derivatives and
    gradients are Values (see `grad`).

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
    root.grad = _ONE if create_graph else 1.0
    finished = False
    try:
        if stepping:
            yield root, root, 1.0, 1.0, 0.0, None
        for node in reversed(order):
            upstream = node.grad  # complete: every node that uses `node` came before it
            local_grads = node._local_grads  # d node / d input, one per input
            if local_grads is None:  # made micrograd's way: its own closure does the step
                yield from _micrograd_step(node, stepping)
                continue
            if create_graph and local_grads:
                local_grads = _differentiable_local_grads(node)
            for i, parent in enumerate(node._inputs):
                if isinstance(parent, Value):  # not a constant
                    before = parent.grad
                    parent.grad = before + upstream * local_grads[i]  # the chain rule
                    if stepping:
                        yield node, parent, local_grads[i], upstream, before, i
        finished = True
    finally:
        if finished:
            if set_aside:
                for node, before in zip(order, earlier):
                    node.grad += before
        else:
            for node, before in zip(order, earlier):
                node.grad = before


def _micrograd_step(node: Value, stepping: bool) -> Iterator[tuple[Value, Value, float, float, float, int]]:
    """Run a micrograd-style node's own ``_backward`` closure; when stepping, one step per
    input, its local derivative read back as contribution / upstream (where that is defined)."""
    parents = node.parents
    before = [p.grad for p in parents]
    node._backward()
    if stepping:
        upstream = node.grad
        seen: set[Value] = set()
        for position, (parent, was) in enumerate(zip(parents, before)):  # its inputs are all Values
            if parent in seen:  # a repeated input: its closure's whole contribution was shown once
                continue
            seen.add(parent)
            local = (parent.grad - was) / upstream if upstream else math.nan
            yield node, parent, local, upstream, was, position


def _differentiable_local_grads(node: Value) -> tuple[Any, ...]:
    """`node`'s definition run on its own inputs as Values: its local derivatives have graphs."""
    return OPERATIONS[node._op].definition(VALUE, *node._inputs)[1]


class _One(float):
    """The seed of a create_graph pass, 1: multiplying by it makes no node, so
    ``upstream × local`` at the root is the local derivative itself."""

    def __mul__(self, other: Any) -> Any:
        return other


class _Zero(float):
    """A gradient in a create_graph pass before anything reaches it, 0: adding
    to it makes no node, so a gradient's graph starts at its first contribution."""

    def __add__(self, other: Any) -> Any:
        return other


_ONE, _ZERO = _One(1.0), _Zero(0.0)


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list[Any]:
    """d output / d input for each of `inputs`, like ``torch.autograd.grad``; no ``.grad`` changes.

    With ``create_graph=True`` each derivative is a Value whose graph depends
    on the inputs, so `grad` (or ``backward()``) applies to it again, to any
    order. An input that `output` does not depend on gets 0.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}")
    inputs = list(inputs)
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs must be Values, got {type(x).__name__}: {x!r}")
    order = topological_order(output)
    if create_graph:
        for node in order:
            if node._local_grads is None:
                raise ValueError(
                    f"grad: create_graph=True needs local derivatives, and the node {node!r} (op {node._op!r}) "
                    "was made micrograd's way, with its own _backward closure"
                )
    borrowed = [node.grad for node in order]  # .grad is lent to the pass, and given back
    in_graph = set(order)
    try:
        for node in order:
            node.grad = _ZERO if create_graph else 0.0
        with _cycle_collector_paused():
            for _ in _chain_rule(output, order, stepping=False, create_graph=create_graph):
                pass
        derivatives = [x.grad if x in in_graph else 0.0 for x in inputs]
    finally:
        for node, g in zip(order, borrowed):
            node.grad = g
    if create_graph:  # a derivative that is a constant (_ONE, _ZERO or a number) becomes a leaf
        return [d if isinstance(d, Value) else Value(d) for d in derivatives]
    return derivatives


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


# ---- recording on and off -----------------------------------------------------------------

_no_grad_depth: ContextVar[int] = ContextVar("autograd_no_grad_depth", default=0)
"""How many `no_grad()` blocks this thread (or asyncio task) is inside: a count, not a flag,
so blocks that end in any order leave recording on once all have ended."""
_no_grad_lock = threading.Lock()
_no_grad_blocks = 0  # how many `no_grad()` blocks are open, in any thread
_recording_anywhere_off = False
"""True while any thread is inside `no_grad()`: until then, every operation
records without looking up its own thread's setting."""


@contextmanager
def no_grad() -> Iterator[None]:
    """Within this block operations record no inputs: their results are plain leaves.

    It applies to the thread (or asyncio task) that entered it, and nests.
    """
    _no_grad_depth.set(_no_grad_depth.get() + 1)
    _count_no_grad_block(+1)
    try:
        yield
    finally:
        _count_no_grad_block(-1)
        _no_grad_depth.set(_no_grad_depth.get() - 1)


def _count_no_grad_block(change: int) -> None:
    global _no_grad_blocks, _recording_anywhere_off
    with _no_grad_lock:
        _no_grad_blocks += change
        _recording_anywhere_off = _no_grad_blocks > 0


def is_grad_enabled() -> bool:
    """False inside `no_grad()`."""
    return _no_grad_depth.get() == 0
