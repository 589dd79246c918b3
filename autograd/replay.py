"""One example traced, a whole batch replayed: the scalar graph run with numpy.

A scalar engine pays for one Python object per operation per example. Yet the
graph of one example is the same for every example of a batch; only the
numbers differ. So `trace` runs a function once, on Values, and keeps its
graph; the replay then runs each node once for all the examples, on numpy
arrays, with the operation's own definition (``m`` is `NUMPY`, whose
``m.where``, ``m.exp``, … work element by element). That is the lecture's step
from ``dz = a − y`` for one example to ``dZ = A − Y`` for m examples::

    traced = trace(lambda x, y: hinge_loss(model(x), y), X[0], y[0])
    traced(X, y)            # every example's loss, as a numpy array
    traced.backward(X, y)   # their mean; adds its gradient to every parameter's .grad

There are two replays, and they give the same numbers:

- node by node (``trace(..., grouped=False)``): each node of the graph becomes
  one numpy operation on an array with one number per example. Short, and the
  reference for the other.
- grouped (the default): the nodes that do the same operation at the same
  depth, such as the neurons of a layer, become one operation on an array with
  one row per example and one column per node, and a layer's fused `linear`
  nodes one matrix product ``Z = X·Wᵀ + b``. That is the lecture's other step,
  from one neuron to a whole layer. A sum built one term at a time (Python's
  ``sum``, a loss's mean) is a chain of additions, each waiting for the one
  before; addition being associative, the grouped replay adds its terms in
  pairs instead, ``(a + b) + (c + d)``, so that they run side by side.

What an operation decides from its numbers (relu's kink, a domain check) is
decided for each example. What the *Python code* decided while tracing is
baked in: an ``if`` on ``v.data``, a ``max`` of Values (or of their numbers,
as max pooling does), Dropout's random mask, a number read with ``.data`` and
used as a constant. The replay repeats the traced example's choice for every
example. Tracing warns (`TracerWarning`) about what it can see: a comparison of
Values, ``v.item()``, Dropout in training mode, MaxPool2d. `Traced.check`
compares the replay with the eager engine on a few examples, which catches
the rest.

Integer arguments are choices, not numbers to differentiate: a class label
picks one logit. Each distinct integer value is traced on its own, the first
time a batch holds it, and the traces are merged: the nodes they share (the
whole model) run once for every example, the nodes they do not (the logit
picked) only for the examples that chose them.
"""

from __future__ import annotations

import dataclasses
import inspect
import linecache
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from autograd.engine import OPERATIONS, DomainError, Operation, Value, fused_linear, namespace, topological_order
from autograd.nn.conv import MaxPool2d
from autograd.nn.dropout import Dropout
from autograd.nn.module import flatten, shape_of

__all__ = ["NUMPY", "BatchDomainError", "Replay", "ReplayCheck", "Traced", "TracerWarning", "trace"]

Array = NDArray[np.float64]

# ---- the primitives on numpy arrays ---------------------------------------------------------


class BatchDomainError(DomainError):
    """Raised by ``NUMPY.refuse``: the requirement, and the condition array that says where it failed."""

    def __init__(self, requirement: str, outside: Any) -> None:
        super().__init__(requirement)
        self.outside = outside


class _NumpyPrimitives:
    """The primitives on float64 arrays, element by element, as IEEE floats behave (overflow gives inf).

    The replay runs under ``np.errstate(all="ignore")``, so nothing is printed.
    """

    exp = staticmethod(np.exp)
    expm1 = staticmethod(np.expm1)
    log = staticmethod(np.log)
    sqrt = staticmethod(np.sqrt)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    tanh = staticmethod(np.tanh)
    abs = staticmethod(np.abs)
    pow = staticmethod(np.power)
    where = staticmethod(np.where)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        """σ(x) = 1 / (1 + e^−x), computed as on floats: e^−|x| never overflows."""
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    @staticmethod
    def softplus(x: Any) -> Any:
        """log(1 + e^x), without overflow for any x."""
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def sign(x: Any) -> Any:
        """1, −1 or 0; NaN gives 0, as on floats (np.sign would give NaN)."""
        return np.where(x > 0, 1.0, np.where(x < 0, -1.0, 0.0))

    @staticmethod
    def refuse(outside: Any, requirement: str) -> None:
        """Raise when any element is outside the domain, saying which was the first. NaN is never outside."""
        if np.any(outside):
            raise BatchDomainError(requirement, outside)


NUMPY = namespace(_NumpyPrimitives)
"""The namespace the replay runs every operation's definition on."""


# ---- what tracing watches for: decisions the Python code makes ------------------------------


class TracerWarning(UserWarning):
    """Something the traced function decided in Python is baked into the trace (PyTorch's name)."""


_COMPARISONS = {
    Value.__lt__.__code__: "compared Values (<)",
    Value.__le__.__code__: "compared Values (<=)",
    Value.__gt__.__code__: "compared Values (>)",
    Value.__ge__.__code__: "compared Values (>=)",
    Value.item.__code__: "read a Value's number with .item()",
}


def _place(frame: FrameType | None) -> str:
    """``file:line: source`` of a frame, to say where something happened."""
    if frame is None:
        return "an unknown place"
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return f"{frame.f_code.co_filename}:{frame.f_lineno}: {line}"


@contextmanager
def _watching(notes: list[str]) -> Iterator[None]:
    """While the traced function runs, note each comparison of Values, ``.item()``, Dropout in training mode
    and MaxPool2d (which picks each window's largest number in Python).

    Python reports every function call to a profile function (`sys.setprofile`,
    for this thread only); the ones to note are calls of those methods. Under
    another profiler (cProfile, a debugger's) nothing is watched.
    """
    dropout, max_pool = Dropout.__call__.__code__, MaxPool2d.__call__.__code__

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        code = frame.f_code
        if code in _COMPARISONS:
            note = f"{_COMPARISONS[code]} at {_place(frame.f_back)}"
        elif code is dropout and frame.f_locals["self"].training and frame.f_locals["self"].p > 0:
            note = f"used Dropout(p={frame.f_locals['self'].p}) in training mode at {_place(frame.f_back)}"
        elif code is max_pool:
            note = f"used MaxPool2d, which picks each window's largest number in Python, at {_place(frame.f_back)}"
        else:
            return
        if note not in notes:
            notes.append(note)

    if sys.getprofile() is not None:
        yield
        return
    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(None)


# ---- arguments: one example when tracing, a batch when replaying ------------------------------


@dataclass(frozen=True)
class _Argument:
    """One argument as the traced example gave it: its shape, and whether it holds integers (choices)."""

    shape: tuple[int, ...]
    integer: bool

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=int))

    def batch_shape(self) -> str:
        """The shape a batch of this argument needs, e.g. ``(m, 2)``."""
        return f"(m, {', '.join(map(str, self.shape))})" if self.shape else "(m,)"


def _as_array(where: str, argument: object) -> NDArray[Any]:
    try:
        array = np.asarray(argument)
    except ValueError:
        raise ValueError(f"{where} is ragged: its lists have different lengths") from None
    if array.dtype.kind not in "iuf":
        got = f"{type(argument).__name__}: {argument!r}" if array.ndim == 0 else f"an array of {array.dtype}"
        raise TypeError(f"{where} must hold numbers (ints or floats, not Values or bools), got {got}")
    return array


def _describe_example(position: int, argument: object) -> tuple[_Argument, NDArray[Any]]:
    array = _as_array(f"trace: argument {position}", argument)
    return _Argument(array.shape, array.dtype.kind in "iu"), array


@dataclass
class _Batch:
    """A batch ready to replay: the float data as columns, and each example's integer key."""

    size: int
    data: Array  # (size, number of float inputs)
    key_of_example: NDArray[np.int64]  # (size,): which integer values each example holds, by key id
    keys: frozenset[int]  # the key ids present
    _rows: dict[frozenset[int], NDArray[np.int64] | None] = field(default_factory=dict)

    def rows(self, keys: frozenset[int]) -> NDArray[np.int64] | None:
        """The examples whose key is among `keys`; None when that is all of them."""
        if keys >= self.keys:
            return None
        if keys not in self._rows:
            self._rows[keys] = np.flatnonzero(np.isin(self.key_of_example, list(keys)))
        return self._rows[keys]


# ---- the traced graph, as a program of nodes -------------------------------------------------

INPUT, PARAMETER, CONSTANT, OPERATION = "input", "parameter", "constant", "operation"


@dataclass(eq=False)
class _Node:
    """One node of the program: a leaf (an input, a parameter, a constant) or an operation on earlier nodes.

    `batched` nodes depend on the data and hold one number per example; the
    others (parameters, constants, what is computed from them alone) hold one
    number for every example. `keys` are the integer keys whose traces use it.
    """

    kind: str
    batched: bool
    op: Operation | None = None
    inputs: tuple[int, ...] = ()  # indices of earlier nodes: constants are nodes too
    params: tuple[float, ...] = ()
    slot: int = -1  # an input's column in the batch's data
    parameter: Value | None = None
    number: float = 0.0  # a constant's
    keys: set[int] = field(default_factory=set)


class _Program:
    """Every traced graph merged into one list of nodes, each after its inputs.

    Equal nodes are one node: the same leaf, or the same operation on the same
    nodes with the same parameters. So the traces of two class labels share
    everything but the logit each picks.
    """

    def __init__(self) -> None:
        self.nodes: list[_Node] = []
        self.outputs: dict[int, list[int]] = {}  # for each key: its output nodes, flattened
        self.parameters: list[Value] = []
        self.input_count = 0  # numbers in the float arguments: columns of a batch's data
        self.node_of: dict[Value, int] = {}  # the first traced example's Values
        self._known: dict[tuple[Any, ...], int] = {}

    def add(self, key: int, outputs: list[Value], inputs: dict[Value, int]) -> None:
        """Merge one traced graph in: `outputs` are its flattened outputs, `inputs` its data leaves by slot."""
        index_of: dict[Value, int] = {}
        self.input_count = len(inputs)
        for v in topological_order(*outputs):
            index_of[v] = self._node(v, index_of, inputs)
            node = self.nodes[index_of[v]]
            for i in (index_of[v], *node.inputs):  # its inputs too: the constants are not Values of the graph
                self.nodes[i].keys.add(key)
        self.outputs[key] = [index_of[v] for v in outputs]
        if not self.node_of:
            self.node_of = index_of

    def _node(self, v: Value, index_of: dict[Value, int], inputs: dict[Value, int]) -> int:
        if v in inputs:
            return self._intern(("input", inputs[v]), lambda: _Node(INPUT, True, slot=inputs[v]))
        if v.local_grads is None:
            raise ValueError(
                f"trace: the node {v!r} (op {v.op!r}) was made micrograd's way, with its own _backward closure; "
                "its local derivatives are not written down, so it cannot be replayed"
            )
        if not v.op:  # a leaf the example did not make: a parameter
            return self._intern(("parameter", id(v)), lambda: self._parameter(v))
        op = OPERATIONS[v.op]
        split = len(v.inputs) if op.arity is None else op.arity
        arguments = tuple(index_of[x] if isinstance(x, Value) else self._constant(x) for x in v.inputs[:split])
        params = cast("tuple[float, ...]", v.inputs[split:])  # numbers: the engine records them as floats
        batched = any(self.nodes[i].batched for i in arguments)
        return self._intern(
            ("operation", op.name, arguments, tuple(p.hex() for p in params)),
            lambda: _Node(OPERATION, batched, op=op, inputs=arguments, params=params),
        )

    def _parameter(self, v: Value) -> _Node:
        self.parameters.append(v)
        return _Node(PARAMETER, False, parameter=v)

    def _constant(self, number: float) -> int:
        # by its exact bits: 0.0 and −0.0 are different constants
        return self._intern(("constant", float(number).hex()), lambda: _Node(CONSTANT, False, number=float(number)))

    def _intern(self, key: tuple[Any, ...], make: Callable[[], _Node]) -> int:
        if key not in self._known:
            self._known[key] = len(self.nodes)
            self.nodes.append(make())
        return self._known[key]


def _run_definition(op: Operation, arguments: Sequence[Any], params: tuple[float, ...], rows: Any) -> tuple[Any, ...]:
    """`op`'s definition on arrays; a refusal names the operation, the numbers, and the example."""
    try:
        return op.definition(NUMPY, *arguments, *params)
    except BatchDomainError as error:
        raise _domain_error(op, arguments, params, error, rows) from None


def _domain_error(
    op: Operation, arguments: Sequence[Any], params: tuple[float, ...], error: BatchDomainError, rows: Any
) -> ValueError:
    """The engine's message for the first element outside the domain, and which example it belongs to.

    `rows` maps the arrays' first axis to examples (None: every example, in
    order; False: the arrays have no example axis).
    """
    shape = np.broadcast_shapes(*(np.shape(a) for a in arguments), np.shape(error.outside))
    first = np.unravel_index(np.argmax(np.broadcast_to(error.outside, shape)), shape)
    numbers = [float(np.broadcast_to(a, shape)[first]) for a in arguments] + list(params)
    message = str(op.domain_error(error, numbers))
    if rows is False or not shape:
        return ValueError(message)
    example = int(first[0]) if rows is None else int(rows[first[0]])
    return ValueError(f"{message}, in example {example} of the batch")


# ---- the reference replay: node by node ------------------------------------------------------


@dataclass
class _Run:
    """What one replay computed: the outputs, and each program node's value and gradient.

    A batched node has a value and a gradient for each example; a node that
    does not depend on the data has one value, and one gradient for all of them.
    """

    outputs: Array  # (size, number of outputs)
    value: Callable[[int], Array]
    grad: Callable[[int], Array | float]
    parameter_grads: list[float]


def _accumulate(grad: dict[int, Any], node: int, contribution: Any, batched: bool) -> None:
    """Add a contribution to a node's gradient; a node that is one number for every example sums theirs."""
    if not batched:
        contribution = np.sum(contribution)
    grad[node] = grad[node] + contribution if node in grad else contribution


def _replay_node_by_node(program: _Program, batch: _Batch, backward: bool) -> _Run:
    """Each integer key's examples in turn; for them, each node once, on an array with one number per example.

    A node that does not depend on the data (a parameter, a constant) is one
    number for all of them, and its gradient is the sum of theirs.
    """
    size, count = batch.size, len(next(iter(program.outputs.values())))
    outputs = np.full((size, count), np.nan)
    values = np.full((size, len(program.nodes)), np.nan)
    grads = np.zeros((size, len(program.nodes)))
    shared_grads = np.zeros(len(program.nodes))
    seed = 1 / (size * count)  # d mean / d output, for each output of each example
    for key in sorted(batch.keys):
        rows = np.flatnonzero(batch.key_of_example == key)
        order = [i for i, node in enumerate(program.nodes) if key in node.keys]
        value, local = {}, {}
        for i in order:
            node = program.nodes[i]
            if node.kind == INPUT:
                value[i] = batch.data[rows, node.slot]
            elif node.kind == PARAMETER:
                value[i] = node.parameter.data  # type: ignore[union-attr]
            elif node.kind == CONSTANT:
                value[i] = node.number
            else:
                arguments = [value[j] for j in node.inputs]
                result = _run_definition(node.op, arguments, node.params, rows if node.batched else False)  # type: ignore[arg-type]
                value[i], local[i] = result
            values[rows, i] = value[i]
        for n, i in enumerate(program.outputs[key]):
            outputs[rows, n] = value[i]
        if not backward:
            continue

        grad: dict[int, Any] = {}
        for i in program.outputs[key]:
            _accumulate(grad, i, np.full(len(rows), seed), program.nodes[i].batched)
        for i in reversed(order):
            if i not in grad:
                continue
            node = program.nodes[i]
            if node.batched:
                grads[rows, i] = grad[i]
            else:
                shared_grads[i] += grad[i]
            if node.kind == OPERATION:
                for j, derivative in zip(node.inputs, local[i]):
                    _accumulate(grad, j, grad[i] * derivative, program.nodes[j].batched)  # the chain rule
    parameter_node = {node.parameter: i for i, node in enumerate(program.nodes) if node.kind == PARAMETER}
    return _Run(
        outputs,
        lambda i: values[:, i],
        lambda i: grads[:, i] if program.nodes[i].batched else float(shared_grads[i]),
        [float(shared_grads[parameter_node[p]]) for p in program.parameters],
    )


# ---- the grouped replay: a layer at a time ---------------------------------------------------


def _rebracket_sums(program: _Program) -> tuple[list[_Node], dict[int, int]]:
    """The program's nodes, each sum of more than two terms added in pairs: ((a + b) + (c + d)) + …

    A sum is a tree of + nodes in which every inner + is used once, by the
    next: Python's ``sum`` of n terms makes a chain n deep, each addition
    waiting for the one before. Addition is associative, so the terms can be
    added in pairs instead, about log₂ n deep, and each level of pairs runs as
    one group. Every + keeps add's definition; only the order of the additions,
    and so possibly the last digits, change.

    Returns the new nodes, and each program node's new index (the inner +
    nodes are gone, and have none).
    """
    nodes = program.nodes
    add = OPERATIONS["+"]
    uses, user = [0] * len(nodes), [-1] * len(nodes)
    for i, node in enumerate(nodes):
        for j in node.inputs:
            uses[j] += 1
            user[j] = i
    outputs = {i for output in program.outputs.values() for i in output}
    is_sum = [node.op is add for node in nodes]
    inner = [is_sum[i] and uses[i] == 1 and i not in outputs and is_sum[user[i]] for i in range(len(nodes))]

    def terms(root: int) -> list[int]:
        """The sum's terms in order, found through its inner + nodes (a stack: a chain can be long)."""
        found, stack = [], [root]
        while stack:
            i = stack.pop()
            if i == root or inner[i]:
                stack.extend(reversed(nodes[i].inputs))
            else:
                found.append(i)
        return found

    new: list[_Node] = []
    index: dict[int, int] = {}
    for i, node in enumerate(nodes):
        if inner[i]:
            continue
        if is_sum[i] and any(inner[j] for j in node.inputs):
            level = [index[j] for j in terms(i)]
            while len(level) > 1:
                pairs = []
                for a, b in zip(level[::2], level[1::2]):
                    batched = new[a].batched or new[b].batched
                    new.append(_Node(OPERATION, batched, op=add, inputs=(a, b), keys=node.keys))
                    pairs.append(len(new) - 1)
                level = pairs + level[2 * len(pairs) :]
            index[i] = level[0]
        else:
            new.append(dataclasses.replace(node, inputs=tuple(index[j] for j in node.inputs)))
            index[i] = len(new) - 1
    return new, index


@dataclass(frozen=True)
class _Columns:
    """Where a group's numbers are in a register: consecutive columns as a slice (a view), others as indices."""

    index: slice | NDArray[np.intp]
    repeated: bool  # some column appears twice: adding to it needs np.add.at

    @classmethod
    def of(cls, columns: Sequence[int]) -> _Columns:
        first = columns[0] if columns else 0
        if list(columns) == list(range(first, first + len(columns))):
            return cls(slice(first, first + len(columns)), False)
        return cls(np.array(columns, dtype=np.intp), len(set(columns)) < len(columns))

    def at(self, rows: NDArray[np.int64] | None) -> Any:
        """The index of these columns, for the given examples (None: all), in a register of examples × columns."""
        if rows is None:
            return (slice(None), self.index)
        if isinstance(self.index, slice):
            return (rows, self.index)
        return np.ix_(rows, self.index)


def _add(register: Array, index: Any, contribution: Any, repeated: bool) -> None:
    """``register[index] += contribution``, adding every contribution even where the index repeats a place."""
    if repeated:
        np.add.at(register, index, contribution)
    else:
        register[index] += contribution


@dataclass(frozen=True)
class _Source:
    """Where a group reads one of its operation's inputs: the batched register or the shared one."""

    batched: bool
    columns: _Columns

    def read(self, batched: Array, shared: Array, rows: NDArray[np.int64] | None) -> Array:
        return batched[self.columns.at(rows)] if self.batched else shared[self.columns.index]

    def add_grad(
        self, batched: Array, shared: Array, rows: NDArray[np.int64] | None, upstream: Array, local: Any
    ) -> None:
        """The chain rule into this input: upstream × local derivative, added to the input's gradient."""
        if self.batched:
            _add(batched, self.columns.at(rows), upstream * local, self.columns.repeated)
            return
        if upstream.ndim == 2:  # the input is one number for every example: its gradient sums theirs
            if np.ndim(local) < 2:
                contribution = upstream.sum(axis=0) * local
            else:
                contribution = (upstream * local).sum(axis=0)
        else:
            contribution = upstream * local
        _add(shared, self.columns.index, contribution, self.columns.repeated)


@dataclass(frozen=True)
class _Layer:
    """Fused linear nodes that read the same inputs x₁…xₙ, each with its own weights and bias: a layer."""

    inputs: _Columns  # n columns of the batched register
    weights: NDArray[np.intp]  # (nodes, n) places in the shared register
    weights_repeated: bool
    biases: _Columns


@dataclass(frozen=True)
class _Group:
    """Nodes doing the same operation at the same depth, run as one numpy operation.

    A batched group's arrays have one row per example and one column per
    node; a shared group's have one number per node.
    """

    level: int
    op: Operation
    params: tuple[float, ...]
    batched: bool
    keys: frozenset[int]
    nodes: list[int]
    out: _Columns
    sources: list[_Source]
    layer: _Layer | None

    def forward(self, batched: Array, shared: Array, rows: NDArray[np.int64] | None) -> tuple[Any, ...]:
        """Compute the group's values into its columns; return what backward needs (its local derivatives)."""
        if self.layer is not None:
            # linear's definition, b + Σ wᵢ·xᵢ, for every neuron of the layer and every example at once
            X = batched[self.layer.inputs.at(rows)]
            W = shared[self.layer.weights]
            value = X @ W.T + shared[self.layer.biases.index]
            kept: tuple[Any, ...] = (X, W)
        else:
            arguments = [source.read(batched, shared, rows) for source in self.sources]
            result = _run_definition(self.op, arguments, self.params, rows if self.batched else False)
            value, kept = result
        if self.batched:
            batched[self.out.at(rows)] = value
        else:
            shared[self.out.index] = value
        return kept

    def backward(
        self, grads: Array, shared_grads: Array, rows: NDArray[np.int64] | None, kept: tuple[Any, ...]
    ) -> None:
        """The chain rule from the group's gradients into its inputs' gradients."""
        upstream = grads[self.out.at(rows)] if self.batched else shared_grads[self.out.index]
        if self.layer is not None:
            # linear's local derivatives are d/dxᵢ = wᵢ, d/dwᵢ = xᵢ, d/db = 1; summed over
            # the layer's neurons (for x) and over the examples (for w and b), they are matrix products
            X, W = kept
            _add(grads, self.layer.inputs.at(rows), upstream @ W, self.layer.inputs.repeated)
            _add(shared_grads, self.layer.weights, upstream.T @ X, self.layer.weights_repeated)
            _add(shared_grads, self.layer.biases.index, upstream.sum(axis=0), self.layer.biases.repeated)
            return
        for source, local in zip(self.sources, kept):
            source.add_grad(grads, shared_grads, rows, upstream, local)


def _is_layer_neuron(node: _Node, nodes: list[_Node]) -> bool:
    """A fused linear node of a layer: its inputs x depend on the data, its weights and bias do not."""
    if node.op is not fused_linear or not node.batched:
        return False
    n = len(node.inputs) // 2
    weights, inputs, bias = node.inputs[:n], node.inputs[n:-1], node.inputs[-1]
    return all(nodes[i].batched for i in inputs) and not any(nodes[i].batched for i in (*weights, bias))


class _GroupedPlan:
    """The program, sums re-bracketed, cut into groups, with a column of a register for each node.

    Two registers hold every number of a replay: a batched one (a row per
    example, a column per batched node, the inputs first) and a shared one (a
    column per constant, parameter and node that does not depend on the data).
    """

    def __init__(self, program: _Program) -> None:
        nodes, self.index = _rebracket_sums(program)
        self.nodes = nodes
        level = [0] * len(nodes)
        by_key: dict[tuple[Any, ...], list[int]] = {}
        for i, node in enumerate(nodes):
            if node.kind != OPERATION:
                continue
            level[i] = 1 + max(level[j] for j in node.inputs)
            sources = tuple(nodes[j].batched for j in node.inputs)
            key: tuple[Any, ...] = (level[i], node.op.name, tuple(p.hex() for p in node.params), node.batched)  # type: ignore[union-attr]
            key += (sources, frozenset(node.keys))
            if _is_layer_neuron(node, nodes):
                n = len(node.inputs) // 2
                key += (node.inputs[n:-1],)  # a layer: the neurons that read the same inputs
            by_key.setdefault(key, []).append(i)

        # columns: the inputs first (a node's slot is its column), then the groups' nodes
        self.input_width = program.input_count
        self.column = [0] * len(nodes)
        shared_width = 0
        self.constants: list[tuple[int, float]] = []
        parameter_column: dict[Value, int] = {}
        for i, node in enumerate(nodes):
            if node.kind == INPUT:
                self.column[i] = node.slot
            elif node.kind in (CONSTANT, PARAMETER):
                self.column[i], shared_width = shared_width, shared_width + 1
                if node.kind == CONSTANT:
                    self.constants.append((self.column[i], node.number))
                else:
                    parameter_column[node.parameter] = self.column[i]  # type: ignore[index]
        self.parameter_columns = np.array([parameter_column[p] for p in program.parameters], dtype=np.intp)
        batched_width = self.input_width
        ordered = sorted(by_key.items(), key=lambda item: item[0][0])  # by level; sorted() keeps first-seen order
        for _, members in ordered:
            for i in members:
                if nodes[i].batched:
                    self.column[i], batched_width = batched_width, batched_width + 1
                else:
                    self.column[i], shared_width = shared_width, shared_width + 1
        self.batched_width, self.shared_width = batched_width, shared_width
        self.groups = [self._group(level[members[0]], members) for _, members in ordered]
        self.outputs = {key: [self.index[i] for i in output] for key, output in program.outputs.items()}

    def _group(self, level: int, members: list[int]) -> _Group:
        nodes, column = self.nodes, self.column
        first = nodes[members[0]]
        sources = [
            _Source(nodes[j].batched, _Columns.of([column[nodes[i].inputs[k]] for i in members]))
            for k, j in enumerate(first.inputs)
        ]
        layer = None
        if _is_layer_neuron(first, nodes):
            n = len(first.inputs) // 2
            weights = np.array([[column[j] for j in nodes[i].inputs[:n]] for i in members], dtype=np.intp)
            layer = _Layer(
                _Columns.of([column[j] for j in first.inputs[n:-1]]),
                weights,
                len(set(weights.ravel().tolist())) < weights.size,
                _Columns.of([column[nodes[i].inputs[-1]] for i in members]),
            )
        return _Group(
            level,
            first.op,  # type: ignore[arg-type]
            first.params,
            first.batched,
            frozenset(first.keys),
            members,
            _Columns.of([column[i] for i in members]),
            sources,
            layer,
        )

    def run(self, program: _Program, batch: _Batch, backward: bool) -> _Run:
        """Forward (and backward) over the batch, a group at a time."""
        values = np.full((batch.size, self.batched_width), np.nan)
        values[:, : self.input_width] = batch.data
        shared = np.full(self.shared_width, np.nan)
        for column, number in self.constants:
            shared[column] = number
        shared[self.parameter_columns] = [p.data for p in program.parameters]  # read at every call
        kept = []
        for group in self.groups:
            rows = batch.rows(group.keys)
            skip = rows is not None and rows.size == 0
            kept.append(None if skip else group.forward(values, shared, rows))

        count = len(next(iter(self.outputs.values())))
        outputs = np.full((batch.size, count), np.nan)
        grads, shared_grads = np.zeros_like(values), np.zeros_like(shared)
        seed = 1 / (batch.size * count)  # d mean / d output, for each output of each example
        for key in sorted(batch.keys):
            rows = batch.rows(frozenset([key]))
            examples: Any = slice(None) if rows is None else rows
            for n, i in enumerate(self.outputs[key]):
                column = self.column[i]
                if self.nodes[i].batched:
                    outputs[examples, n] = values[examples, column]
                    grads[examples, column] += seed
                else:
                    outputs[examples, n] = shared[column]
                    shared_grads[column] += seed * (batch.size if rows is None else rows.size)
        if backward:
            for group, saved in zip(reversed(self.groups), reversed(kept)):
                if saved is not None:
                    group.backward(grads, shared_grads, batch.rows(group.keys), saved)
        else:
            grads[:], shared_grads[:] = np.nan, np.nan

        def plan_index(i: int) -> int:
            if i not in self.index:
                raise KeyError("the grouped replay added this sum's terms in pairs, so this partial sum does not "
                               "exist in it; trace with grouped=False to see every node")  # fmt: skip
            return self.index[i]

        def value(i: int) -> Array:
            j = plan_index(i)
            return values[:, self.column[j]] if self.nodes[j].batched else np.full(batch.size, shared[self.column[j]])

        def grad(i: int) -> Array | float:
            j = plan_index(i)
            return grads[:, self.column[j]] if self.nodes[j].batched else float(shared_grads[self.column[j]])

        return _Run(outputs, value, grad, shared_grads[self.parameter_columns].tolist())


# ---- the traced function ---------------------------------------------------------------------


def _argument_names(fn: Callable[..., Any], count: int) -> list[str]:
    """The names of fn's first `count` parameters (``x``, ``y``), to label the data; ``arg2`` where unknown."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # some callables have no signature to read
        parameters = []  # type: ignore[assignment]
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = [p.name for p in parameters if p.kind in positional]
    return [names[k] if k < len(names) else f"arg{k}" for k in range(count)]


def _outside_this_module() -> int:
    """The stack level of the first caller outside this module: where a warning should point."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename == __file__:
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    return level


def _nest(leaves: list[Any], shape: tuple[int, ...]) -> Any:
    """`leaves` (in reading order) as nested lists of `shape`; a single leaf for shape ()."""
    if not shape:
        return leaves[0]
    step = len(leaves) // shape[0] if shape[0] else 0
    return [_nest(leaves[k * step : (k + 1) * step], shape[1:]) for k in range(shape[0])]


def _outputs(result: object) -> tuple[list[Value], tuple[int, ...]]:
    """The Values a traced function returned, flattened, and their shape."""
    shape = shape_of(result, "trace: the function's output")
    outputs = flatten(result)
    for v in outputs:
        if not isinstance(v, Value):
            raise TypeError(
                f"trace: the function must return a Value or (nested lists of) Values, got {type(v).__name__}: {v!r}"
            )
    if not outputs:
        raise ValueError("trace: the function returned no Values")
    return outputs, shape


def _key_text(key: tuple[int, ...]) -> str:
    """The integer arguments' values, as in a message: ``3`` for one, ``(3, 1)`` for several."""
    return str(key[0]) if len(key) == 1 else str(key)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


@dataclass(frozen=True)
class Replay:
    """One replay, forward and backward, with every number kept: made by `Traced.replay`.

    `outputs` has the batch on its first axis. ``value(v)`` and ``grad(v)``
    give, for a node `v` of the traced example's graph (``traced.example_output``
    and everything it depends on), its value for each example, and the
    gradient of the mean output with respect to it: one per example for a
    node that depends on the data, one number for the others (a parameter).
    """

    outputs: NDArray[np.float64]
    _run: _Run
    _node_of: dict[Value, int]

    @property
    def mean(self) -> float:
        """The mean of every output: what `Traced.backward` differentiates."""
        return float(self.outputs.mean())

    def _node(self, v: Value) -> int:
        if v not in self._node_of:
            raise KeyError(f"{v!r} is not a node of the traced example's graph")
        return self._node_of[v]

    def value(self, v: Value) -> Array:
        """The node's value for each example."""
        return self._run.value(self._node(v))

    def grad(self, v: Value) -> Array | float:
        """d mean / d node: for each example, or one number for a node that does not depend on the data."""
        return self._run.grad(self._node(v))


@dataclass(frozen=True)
class ReplayCheck:
    """The replay against the eager engine on a few examples of a batch. True when they agree."""

    examples: list[int]
    output_difference: float
    gradient_difference: float
    worst: str
    passed: bool

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return (
                f"replay check passed on examples {self.examples}: outputs within {self.output_difference:.1e}, "
                f"parameter gradients within {self.gradient_difference:.1e} of the eager engine"
            )
        return (
            f"replay check FAILED on examples {self.examples}: {self.worst}. Something the Python code decided "
            "for the traced example is baked into the trace (an if on .data, a max, Dropout's mask): "
            "see the TracerWarnings, and train this function eagerly"
        )


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    """|a − b| ≤ atol + rtol·|b|; NaN agrees only with NaN."""
    if a != a or b != b:
        return a != a and b != b
    return a == b or abs(a - b) <= atol + rtol * abs(b)


class Traced:
    """A function traced on one example, to replay on batches; made by `trace`.

    Call it on a batch for every example's outputs; ``backward`` for their mean
    and its gradient. `parameters` are the leaves the function used that are
    not made from its arguments (a model's weights): their ``.data`` is read at
    every call, and ``backward`` adds to their ``.grad``. `baked_in` lists what
    tracing saw the Python code decide (each was also a `TracerWarning`).
    """

    def __init__(self, fn: Callable[..., Any], example: tuple[object, ...], grouped: bool) -> None:
        self.fn = fn
        self.grouped = grouped
        described = [_describe_example(position, argument) for position, argument in enumerate(example)]
        self._arguments = [argument for argument, _ in described]
        self._example = [array for _, array in described]
        self._program = _Program()
        self._plan: _GroupedPlan | None = None
        self._keys: dict[tuple[int, ...], int] = {}
        self._output_shape: tuple[int, ...] = ()
        self._first_numbers: list[float] = []
        self.baked_in: list[str] = []
        self.example_output: Any = None
        key = [int(n) for argument, array in described if argument.integer for n in array.ravel().tolist()]
        self._key_id(tuple(key))

    @property
    def parameters(self) -> list[Value]:
        """The leaves the function used that are not made from its arguments, in the order it met them."""
        return list(self._program.parameters)

    def __repr__(self) -> str:
        return (
            f"<Traced {_name(self.fn)}: {len(self._program.nodes)} nodes, {len(self.parameters)} parameters, "
            f"{'grouped' if self.grouped else 'node by node'}>"
        )

    def __str__(self) -> str:
        """What was traced, and how it replays: for the grouped replay, one line per group."""
        program = self._program
        counts = {kind: sum(node.kind == kind for node in program.nodes) for kind in (INPUT, PARAMETER, OPERATION)}
        shapes = ", ".join(f"{a.shape}{' (integers)' if a.integer else ''}" for a in self._arguments) or "none"
        lines = [
            f"{_name(self.fn)} traced: arguments of shapes {shapes}; outputs of shape {self._output_shape} per example",
            f"{counts[OPERATION]} operations on {counts[INPUT]} inputs and {counts[PARAMETER]} parameters",
        ]
        if len(self._keys) > 1:
            lines.append(f"{len(self._keys)} integer values traced: {', '.join(map(_key_text, self._keys))}")
        if not self.grouped:
            lines.append("replayed node by node: each operation one numpy operation, on an array (m,)")
            return "\n".join(lines)
        if self._plan is None:
            self._plan = _GroupedPlan(program)
        key_of = {key_id: _key_text(key) for key, key_id in self._keys.items()}
        lines.append(f"replayed in {len(self._plan.groups)} groups, m being the number of examples:")
        lines.append(f"  {'depth':>5}  {'operation':<10} {'nodes':>5}  arrays")
        for group in self._plan.groups:
            if group.layer is not None:
                n, k = group.layer.weights.shape[1], len(group.nodes)
                arrays = f"X (m, {n}) · Wᵀ ({n}, {k}) + b: one matrix product"
            elif group.batched:
                arrays = f"(m, {len(group.nodes)})"
            else:
                arrays = f"({len(group.nodes)},): the same for every example"
            if group.keys != frozenset(key_of):
                values = [key_of[k] for k in sorted(group.keys)]
                arrays += f", only for the examples with integer value{'s' * (len(values) > 1)} {', '.join(values)}"
            lines.append(f"  {group.level:>5}  {group.op.name:<10} {len(group.nodes):>5}  {arrays}")
        return "\n".join(lines)

    # ---- tracing -----------------------------------------------------------------------------

    def _key_id(self, key: tuple[int, ...]) -> int:
        """The id of the integer arguments' values `key`, tracing the function for them the first time."""
        if key not in self._keys:
            self._trace(key, len(self._keys))
            self._keys[key] = len(self._keys)
        return self._keys[key]

    def _trace(self, key: tuple[int, ...], key_id: int) -> None:
        """Run the function once on the example's numbers as Values (and `key` as its integers); merge its graph.

        Later traces run with the parameters' numbers of the first, so that
        anything the code computes from them is the same in every trace.
        """
        arguments, inputs, integers, slot = [], {}, iter(key), 0
        names = _argument_names(self.fn, len(self._arguments))
        for name, argument, array in zip(names, self._arguments, self._example):
            if argument.integer:
                arguments.append(_nest([next(integers) for _ in range(argument.size)], argument.shape))
                continue
            labels = [name + "".join(f"[{i}]" for i in index) for index in np.ndindex(argument.shape)]
            leaves = [Value(x, label=label) for x, label in zip(array.ravel().tolist(), labels)]
            for leaf in leaves:
                inputs[leaf], slot = slot, slot + 1
            arguments.append(_nest(leaves, argument.shape))
        parameters = self._program.parameters
        now = [p.data for p in parameters]
        for p, number in zip(parameters, self._first_numbers):
            p.data = number
        notes: list[str] = []
        try:
            with _watching(notes):
                result = self.fn(*arguments)
        finally:
            for p, number in zip(parameters, now):
                p.data = number
        outputs, shape = _outputs(result)
        if key_id == 0:
            self._output_shape, self.example_output = shape, result
        elif shape != self._output_shape:
            raise ValueError(
                f"trace: the function's output has shape {shape} for the integer arguments {key}, "
                f"but {self._output_shape} for the traced example's"
            )
        self._program.add(key_id, outputs, inputs)
        if key_id == 0:
            self._first_numbers = [p.data for p in self._program.parameters]
        self._plan = None
        for note in notes:
            if note not in self.baked_in:
                self.baked_in.append(note)
                warnings.warn(
                    f"the traced function {note}. What it decided for the traced example is baked into the "
                    "trace, and replayed for every example: compare with the eager engine, traced.check(*batch)",
                    TracerWarning,
                    stacklevel=_outside_this_module(),
                )

    # ---- replaying ---------------------------------------------------------------------------

    def _batch(self, batch: tuple[object, ...]) -> _Batch:
        """The batch's arguments checked against the traced example's, as data columns and integer keys."""
        name = f"{_name(self.fn)} (traced)"
        if len(batch) != len(self._arguments):
            raise TypeError(f"{name}: traced with {len(self._arguments)} arguments, called with {len(batch)}")
        arrays = []
        for position, (argument, given) in enumerate(zip(self._arguments, batch)):
            array = _as_array(f"{name}: argument {position}", given)
            if array.ndim == 0 or array.shape[1:] != argument.shape:
                raise ValueError(
                    f"{name}: argument {position} was traced with shape {argument.shape}, so a batch of it needs "
                    f"shape {argument.batch_shape()}; got shape {array.shape}"
                )
            if argument.integer and array.dtype.kind not in "iu":
                raise TypeError(
                    f"{name}: argument {position} was traced with integers, which choose (a class label), "
                    f"so its batch must hold integers too; got an array of {array.dtype}"
                )
            arrays.append(array)
        sizes = {array.shape[0] for array in arrays}
        if len(sizes) > 1:
            raise ValueError(
                f"{name}: the arguments hold different numbers of examples: {[a.shape[0] for a in arrays]}"
            )
        size = sizes.pop() if sizes else 1
        if size == 0:
            raise ValueError(f"{name}: a batch needs at least one example")
        columns = [
            a.reshape(size, arg.size).astype(np.float64) for arg, a in zip(self._arguments, arrays) if not arg.integer
        ]
        data = np.concatenate(columns, axis=1) if columns else np.empty((size, 0))
        integers = [a.reshape(size, arg.size) for arg, a in zip(self._arguments, arrays) if arg.integer]
        if integers:
            keys, which = np.unique(np.concatenate(integers, axis=1), axis=0, return_inverse=True)
            ids = np.array([self._key_id(tuple(key)) for key in keys.tolist()])
            key_of_example = ids[which.ravel()]
        else:
            key_of_example = np.zeros(size, dtype=np.int64)
        return _Batch(size, data, key_of_example, frozenset(key_of_example.tolist()))

    def _run(self, batch: tuple[object, ...], backward: bool) -> _Run:
        prepared = self._batch(batch)
        with np.errstate(all="ignore"):
            if not self.grouped:
                return _replay_node_by_node(self._program, prepared, backward)
            if self._plan is None:
                self._plan = _GroupedPlan(self._program)
            return self._plan.run(self._program, prepared, backward)

    def _shaped(self, outputs: Array) -> NDArray[np.float64]:
        return outputs.reshape(outputs.shape[0], *self._output_shape)

    def __call__(self, *batch: object) -> NDArray[np.float64]:
        """The forward pass for every example: the outputs, the batch on the first axis."""
        return self._shaped(self._run(batch, backward=False).outputs)

    def backward(self, *batch: object) -> float:
        """Forward and backward over the batch: the mean of the outputs, whose gradient it adds to every ``p.grad``."""
        run = self._run(batch, backward=True)
        for p, g in zip(self._program.parameters, run.parameter_grads):
            p.grad += g
        return float(run.outputs.mean())

    def replay(self, *batch: object) -> Replay:
        """Forward and backward over the batch, keeping every node's numbers (see `Replay`); no ``.grad`` changes."""
        run = self._run(batch, backward=True)
        return Replay(self._shaped(run.outputs), run, self._program.node_of)

    # ---- checking against the eager engine ---------------------------------------------------

    def check(self, *batch: object, examples: int = 3, rtol: float = 1e-9, atol: float = 1e-12) -> ReplayCheck:
        """Replay `examples` examples of the batch (spread over it) and run them eagerly: same outputs, same gradients?

        The gradients are those of the mean output over these examples. No
        ``.grad`` changes.
        """
        size = self._batch(batch).size
        if examples < 1:
            raise ValueError(f"check: examples must be at least 1, got examples = {examples}")
        chosen = sorted(set(np.linspace(0, size - 1, min(examples, size)).round().astype(int).tolist()))
        some = tuple(np.asarray(argument)[chosen] for argument in batch)
        parameters = self.parameters
        saved = [p.grad for p in parameters]
        try:
            run = self._run(some, backward=True)
            for p in parameters:
                p.grad = 0.0
            eager = [self._eager(some, k) for k in range(len(chosen))]
            flat = [v for outputs in eager for v in outputs]
            total = flat[0]
            for v in flat[1:]:
                total = total + v
            (total / len(flat)).backward()
            eager_grads = [p.grad for p in parameters]
        finally:
            for p, grad in zip(parameters, saved):
                p.grad = grad
        worst, output_difference, gradient_difference, passed = "", 0.0, 0.0, True
        for k, outputs in enumerate(eager):
            for n, v in enumerate(outputs):
                replayed = float(run.outputs[k, n])
                output_difference = max(output_difference, abs(replayed - v.data))
                if passed and not _close(replayed, v.data, rtol, atol):
                    passed, worst = False, f"example {chosen[k]}, output {n}: replay {replayed!r}, eager {v.data!r}"
        for p, replayed, expected in zip(parameters, run.parameter_grads, eager_grads):
            gradient_difference = max(gradient_difference, abs(replayed - expected))
            if passed and not _close(replayed, expected, rtol, atol):
                label = p.label or "a parameter"
                passed, worst = False, f"the gradient of {label}: replay {replayed!r}, eager {expected!r}"
        return ReplayCheck(chosen, output_difference, gradient_difference, worst, passed)

    def _eager(self, batch: tuple[NDArray[Any], ...], k: int) -> list[Value]:
        """The function run eagerly on example `k` of the batch: its outputs, flattened."""
        arguments = []
        for argument, array in zip(self._arguments, batch):
            numbers = array[k].ravel().tolist()
            leaves = numbers if argument.integer else [Value(float(x)) for x in numbers]
            arguments.append(_nest(leaves, argument.shape))
        return _outputs(self.fn(*arguments))[0]


def trace(fn: Callable[..., Any], *example: object, grouped: bool = True) -> Traced:
    """Run `fn` once on `example` and keep its graph, to replay it on whole batches (see the module's docstring).

    Each argument is a number or nested lists of numbers (a numpy array too).
    Float arguments become Values, the function's data; integer arguments stay
    ints, choices such as a class label. `fn` returns a Value or nested lists
    of Values. ``grouped=False`` replays node by node (the reference).
    """
    return Traced(fn, example, grouped)
