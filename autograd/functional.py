"""Second derivatives of a function of a few numbers: its Hessian, and Hessian-vector products.

Both differentiate twice with `grad(..., create_graph=True)`: the first
derivatives come back as Values with graphs of their own, and each of those is
differentiated again. Shaped like ``torch.autograd.functional``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.engine import Number, Value, grad

Function = Callable[..., Value | Number]


def leaves(inputs: Sequence[Value | Number]) -> list[Value]:
    """Fresh leaves holding the inputs' numbers (labelled x0, x1, …): the caller's graph stays untouched."""
    return [Value(x.data if isinstance(x, Value) else x, label=f"x{i}") for i, x in enumerate(inputs)]


def _first_derivatives(f: Function, xs: list[Value]) -> tuple[Value | Number, list[Value]]:
    out = f(*xs)
    if not isinstance(out, Value):  # f ignores its inputs: every derivative is 0
        return out, [Value(0.0) for _ in xs]
    return out, grad(out, xs, create_graph=True)


def hessian(f: Function, inputs: Sequence[Value | Number]) -> list[list[float]]:
    """The matrix of second derivatives ∂²f / ∂xᵢ∂xⱼ of `f` at `inputs`, as nested lists of floats.

    `f` takes one Value per input and returns a Value; `inputs` are numbers or
    Values (only their numbers are used). Row i is the gradient of ∂f/∂xᵢ.
    """
    xs = leaves(inputs)
    _, first = _first_derivatives(f, xs)
    return [grad(derivative, xs) for derivative in first]


def hvp(f: Function, inputs: Sequence[Value | Number], v: Sequence[Number]) -> tuple[float, list[float]]:
    """``(f(inputs), H·v)``: the Hessian times a vector, without building the Hessian.

    It differentiates the single number ∇f·v, as ``torch.autograd.functional.hvp``
    does: the cost is two backward passes, whatever the number of inputs.
    """
    xs = leaves(inputs)
    if len(v) != len(xs):
        raise ValueError(f"hvp: v has {len(v)} numbers for {len(xs)} inputs")
    out, first = _first_derivatives(f, xs)
    directional = sum((g * vi for g, vi in zip(first, v)), Value(0.0))
    value = out.data if isinstance(out, Value) else float(out)
    return value, grad(directional, xs)
