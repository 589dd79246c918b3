"""Modules made of modules: `Sequential` runs them one after another, `Residual` adds a shortcut."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from autograd.engine import Value
from autograd.nn.module import Module, Nested, flatten, shape_of


class Sequential(Module):
    """``torch.nn.Sequential``: each module is called on the output of the one before.

    The parts are named by kind and position, ``conv0``, ``relu1``, ``pool2``,
    which labels their Values (``conv0.k1.w0_1_2``) and, as in PyTorch, names
    their parameters ``0.weight``, ``0.bias``, …
    """

    kind = "seq"

    def __init__(self, *modules: Module, name: str = "") -> None:
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential takes modules, got {type(module).__name__} at position {i}: {module!r}")
        self.modules = list(modules)
        self.rename(name)

    def _relabel(self) -> None:
        prefix = f"{self.name}." if self.name else ""
        for i, module in enumerate(self.modules):
            module.rename(f"{prefix}{module.kind}{i}")

    def named_children(self) -> list[tuple[str, Module]]:
        return [(str(i), module) for i, module in enumerate(self.modules)]

    def __call__(self, x: Any) -> Any:
        for module in self.modules:
            x = module(x)
        return x

    def __getitem__(self, index: int) -> Module:
        return self.modules[index]

    def __len__(self) -> int:
        return len(self.modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {module!r}" for i, module in enumerate(self.modules))
        return f"Sequential({inner}\n)"


class Residual(Module):
    """``x + module(x)``: a shortcut around `module`, as in residual networks (ResNets).

    The addition's local derivative is 1 for each input, so the gradient
    reaching the output passes back to x unchanged, however small the
    gradient through `module` is. The module must return the shape it is given.
    Its Values are labelled under the Residual's name: ``res.linear0.neuron0.w1``, ``res.out0``.
    """

    kind = "res"

    def __init__(self, module: Module, *, name: str = "res") -> None:
        if not isinstance(module, Module):
            raise TypeError(f"Residual wraps a module, got {type(module).__name__}: {module!r}")
        self.module = module
        self.rename(name)

    def _relabel(self) -> None:
        self.module.rename(self.name)

    def __call__(self, x: Nested) -> Nested:
        y = self.module(x)
        if shape_of(x) != shape_of(y):
            raise ValueError(
                f"{self.name}: x + module(x) needs the module to keep the shape of its input, "
                f"got input shape {list(shape_of(x))} and output shape {list(shape_of(y))}"
            )
        sums = []
        for k, (a, b) in enumerate(zip(flatten(x), flatten(y))):
            total = a + b
            total.label = f"{self.name}.out{k}"
            sums.append(total)
        return _shaped_like(x, iter(sums))

    def __repr__(self) -> str:
        return f"Residual({self.module!r})"


def _shaped_like(template: Nested, values: Iterator[Value]) -> Nested:
    """The next Values from `values`, in nested lists of the same shape as `template`."""
    if isinstance(template, list | tuple):
        return [_shaped_like(item, values) for item in template]
    return next(values)
