"""`Module`, the base of every network part: its parameters, names, modes and state dict.

A module's parameters are Values. `named_parameters()` gives them under
PyTorch's names and in PyTorch's shapes, as nested lists (a convolution's
``weight`` is ``[out_channels][in_channels][kh][kw]``), and `state_dict()` the
same as plain floats, so weights can be copied to and from PyTorch. Each
module's Values are labelled with dotted paths (``conv0.k1.w0_1_2``), which is
how a drawing groups them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral, Real
from typing import Any, Protocol, TypeAlias, cast

from autograd.engine import Value

NestedValues: TypeAlias = "Value | list[NestedValues]"
"""One Value, or a (nested) list of them: a parameter of any shape."""

Nested: TypeAlias = Any
"""Values or numbers in nested lists: an image ``[C][H][W]``, a batch ``[N][F]``."""


class RandomSource(Protocol):
    """What initialisation and dropout draw from: a `random.Random`, or the `random` module."""

    def uniform(self, a: float, b: float) -> float: ...
    def gauss(self, mu: float, sigma: float) -> float: ...
    def random(self) -> float: ...


Seed = int | RandomSource | None


def _rng(seed: Seed) -> RandomSource:
    """A seeded generator, or Python's global one when no seed is given (as micrograd draws)."""
    if seed is None:
        return random
    if isinstance(seed, Integral) and not isinstance(seed, bool):  # numpy integers too
        return random.Random(int(seed))
    if all(hasattr(seed, method) for method in ("uniform", "gauss", "random")):
        return cast(RandomSource, seed)
    raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}: {seed!r}")


def positive_int(value: object, what: str) -> int:
    """`value` as an int of at least 1, or an error saying which size was wrong and what it was."""
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise TypeError(f"{what} must be a positive integer, got {type(value).__name__}: {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be a positive integer, got {value}")
    return int(value)


def flatten(nested: Nested) -> list[Any]:
    """The numbers or Values of nested lists in reading order (the last index fastest)."""
    if not isinstance(nested, list | tuple):
        return [nested]
    return [x for item in nested for x in flatten(item)]


def shape_of(nested: Nested, what: str = "input") -> tuple[int, ...]:
    """The sizes of nested lists, outermost first: ``[[1, 2, 3], [4, 5, 6]]`` has shape (2, 3).

    A number or a Value has shape (). Ragged lists (rows of different lengths) are refused.
    """
    if not isinstance(nested, list | tuple):
        return ()
    inner = [shape_of(item, what) for item in nested]
    if any(s != inner[0] for s in inner):
        raise ValueError(f"{what} is ragged: its items have shapes {sorted(set(inner))}, not one shape")
    return (len(nested), *(inner[0] if inner else ()))


def map_nested(function: Callable[[Any], Any], nested: Nested) -> Nested:
    """`function` applied to every number or Value of nested lists, keeping the shape."""
    if isinstance(nested, list | tuple):
        return [map_nested(function, item) for item in nested]
    return function(nested)


def _shape_text(shape: Sequence[object]) -> str:
    return f"[{', '.join(map(str, shape))}]"


def check_shape(nested: Nested, expected: Sequence[int | None], what: str) -> tuple[int, ...]:
    """The shape of `nested`, or a ValueError naming expected and given sizes (None: any size)."""
    shape = shape_of(nested, what)
    if len(shape) != len(expected) or any(e is not None and e != s for e, s in zip(expected, shape)):
        wanted = _shape_text(["any" if e is None else e for e in expected])
        raise ValueError(f"{what} should have shape {wanted}, got shape {_shape_text(shape)}")
    return shape


def _float(x: object, key: str) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"load_state_dict: {key} must hold numbers, got {type(x).__name__}: {x!r}")
    return float(x)


def _floats(nested: Any, key: str) -> Any:
    if isinstance(nested, list | tuple):
        return [_floats(item, key) for item in nested]
    return _float(nested, key)


def _plain(value: object) -> Any:
    """Nested lists from anything with ``.tolist()`` (a tensor, a numpy array), else `value` itself."""
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else value


class Module:
    """Base class: parameters, gradients, names and the train/eval mode of a model and its parts.

    Sub-modules are found among the attributes (directly or in lists), as in
    PyTorch. A module with parameters of its own lists them in
    `_own_parameters()`, one entry per PyTorch name.
    """

    training = True
    kind = "module"
    """What a container calls a part of this type when it numbers its parts: ``conv0``, ``relu1``."""
    name = ""
    """The prefix of this module's labels."""

    def __call__(self, x: Any) -> Any:
        """What the module computes from its input; each kind of module defines it."""
        raise NotImplementedError(f"{type(self).__name__} does not say what it computes: define __call__")

    # ---- what the module is made of ------------------------------------------------

    def named_children(self) -> list[tuple[str, Module]]:
        """The modules this one is made of, each with its attribute name (``layers.0`` for a list item)."""
        found: list[tuple[str, Module]] = []
        for name, attribute in vars(self).items():
            if isinstance(attribute, Module):
                found.append((name, attribute))
            elif isinstance(attribute, list | tuple):
                found.extend((f"{name}.{i}", item) for i, item in enumerate(attribute) if isinstance(item, Module))
        return found

    def children(self) -> list[Module]:
        """The modules this one is made of."""
        return [child for _, child in self.named_children()]

    def _own_parameters(self) -> dict[str, NestedValues]:
        """This module's own parameters (not its children's), by PyTorch name, in PyTorch's shapes."""
        return {}

    def _own_buffers(self) -> dict[str, Any]:
        """This module's own state that is not trained, as numbers (BatchNorm's running statistics)."""
        return {}

    def _set_buffer(self, name: str, value: Any) -> None:
        raise KeyError(name)  # only modules with buffers have anything to set

    # ---- parameters ---------------------------------------------------------------

    def parameters(self) -> list[Value]:
        """Every trainable Value, in a fixed order."""
        own = [p for nested in self._own_parameters().values() for p in flatten(nested)]
        return own + [p for child in self.children() for p in child.parameters()]

    def weights(self) -> list[Value]:
        """The parameters without the biases: what L1 and L2 penalties act on."""
        own = [flatten(nested) for name, nested in self._own_parameters().items() if name.startswith("weight")]
        return [w for group in own for w in group] + [w for child in self.children() for w in child.weights()]

    def named_parameters(self) -> list[tuple[str, NestedValues]]:
        """``(name, Values)`` for each parameter, with PyTorch's names and shapes: ``('0.weight', [[…]])``."""
        found = list(self._own_parameters().items())
        for prefix, child in self.named_children():
            found += [(f"{prefix}.{name}", values) for name, values in child.named_parameters()]
        return found

    def named_buffers(self) -> list[tuple[str, Any]]:
        """``(name, numbers)`` for the state that is not trained, e.g. ``('bn.running_mean', [0.0, …])``."""
        found = list(self._own_buffers().items())
        for prefix, child in self.named_children():
            found += [(f"{prefix}.{name}", value) for name, value in child.named_buffers()]
        return found

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients add up across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    # ---- state dict: the numbers, to copy to and from PyTorch ------------------------

    def state_dict(self) -> dict[str, Any]:
        """Every parameter's numbers and every buffer, by PyTorch name, as nested lists of floats.

        ``torch_module.load_state_dict({k: torch.tensor(v) for k, v in state.items()})``
        loads it into the PyTorch module of the same shape.
        """
        state = {name: map_nested(lambda v: v.data, values) for name, values in self.named_parameters()}
        state.update((name, map_nested(lambda x: x, value)) for name, value in self.named_buffers())
        return state

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy numbers into the parameters and buffers: nested lists, or anything with ``.tolist()``.

        Like PyTorch, it needs exactly the names of `state_dict()`, each in its
        shape, and changes nothing when one is missing, extra or misshapen.
        """
        given = {name: _plain(value) for name, value in state.items()}
        expected = self.state_dict()
        missing = [name for name in expected if name not in given]
        unexpected = [name for name in given if name not in expected]
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing {missing or 'nothing'}, unexpected {unexpected or 'nothing'}")
        for name, value in expected.items():
            check_shape(given[name], shape_of(value), f"load_state_dict: {name}")
            given[name] = _floats(given[name], name)  # every number checked before any is copied
        for name, values in self.named_parameters():
            for p, x in zip(flatten(values), flatten(given[name])):
                p.data = x
        self._load_buffers(given, "")

    def _load_buffers(self, state: Mapping[str, Any], prefix: str) -> None:
        for name in self._own_buffers():
            self._set_buffer(name, state[prefix + name])
        for child_prefix, child in self.named_children():
            child._load_buffers(state, f"{prefix}{child_prefix}.")

    # ---- labels and modes -------------------------------------------------------------

    def rename(self, name: str) -> Module:
        """Label this module's Values under `name`, as ``name.…``, so a drawing groups them; returns self."""
        self.name = name
        self._relabel()
        return self

    def _relabel(self) -> None:
        """Set the labels of this module's parameters from its name (a container renames its parts)."""

    def train(self, mode: bool = True) -> Module:
        """Switch to training mode (dropout active, batch statistics), or evaluation mode with ``mode=False``."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (dropout off, running statistics)."""
        return self.train(False)


def draw_uniform(bound: float, rng: RandomSource, label: str) -> Value:
    """A parameter drawn from U(−bound, bound): PyTorch's default for convolutions and recurrent cells."""
    return Value(rng.uniform(-bound, bound), label)
