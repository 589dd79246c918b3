"""Words for what the engine does: each backward step written out as a line of chain rule.

The engine computes and writes no prose; this module reads its records (a
`BackwardStep`, a node's operation and inputs) and says what happened, e.g.::

    ∂x1w1/∂x1 = w1 = −3
    x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5 (was 0)

The first line is the local derivative, from the operation's own formula; the
second is the chain rule, with every term named: the local derivative, the
gradient arriving from upstream, and the input's gradient before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.engine import OPERATIONS, BackwardStep, Value

__all__ = ["Explanation", "explain", "format_number", "node_name"]


@dataclass(frozen=True)
class Explanation:
    """One backward step in words: the local derivative, then the chain rule's update."""

    derivative: str
    update: str

    def __str__(self) -> str:
        return f"{self.derivative}; {self.update}"


def format_number(x: float) -> str:
    """A number for reading: four significant digits and a true minus sign."""
    return f"{x:.4g}".replace("-", "−")


def _operand(x: float) -> str:
    """A number inside a formula: negative ones in parentheses, so ``2·(−4)`` is not ``2·−4``."""
    return f"({format_number(x)})" if x < 0 else format_number(x)


def node_name(v: Value) -> str:
    """How explanations name a node: its label (in parentheses if it has spaces), or the operation that made it."""
    if not v.label:
        return f"[{v.op or 'leaf'}]"
    return f"({v.label})" if " " in v.label else v.label


def local_derivative_formula(node: Value, position: int) -> str:
    """d(node)/d(input at `position`) as its operation writes it, with the node's inputs filled in.

    Labelled values appear by name and everything else as its number.
    """
    op = OPERATIONS[node.op]
    count = len(node.inputs) if op.arity is None else op.arity
    names = [node_name(x) if isinstance(x, Value) and x.label else _operand(_data(x)) for x in node.inputs]
    out = node_name(node) if node.label else _operand(node.data)
    return op.formula(position, count).format(*names, out=out)


def _data(x: Value | float) -> float:
    return x.data if isinstance(x, Value) else x


def explain(step: BackwardStep) -> Explanation:
    """`step` in words: ``∂o/∂n = 1 − o² = 0.5`` and ``n.grad += ∂o/∂n × o.grad = 0.5 × 1 = 0.5 (was 0)``."""
    node, inp = node_name(step.node), node_name(step.input)
    was = f"(was {format_number(step.input_grad_before)})"
    if step.is_seed:
        return Explanation(f"∂{node}/∂{node} = 1", f"{node}.grad = 1 {was}")
    assert step.edge is not None
    position = [i for i, x in enumerate(step.node.inputs) if isinstance(x, Value)][step.edge]
    formula = local_derivative_formula(step.node, position)
    local = format_number(step.local_grad)
    derivative = formula if formula == local else f"{formula} = {local}"
    if step.input_grad_before:  # gradient from another path is already there: say what the sum is
        was = f"(was {format_number(step.input_grad_before)}, now {format_number(step.input_grad)})"
    update = (
        f"{inp}.grad += ∂{node}/∂{inp} × {node}.grad = {_operand(step.local_grad)} × {_operand(step.upstream_grad)}"
        f" = {format_number(step.contribution)} {was}"
    )
    return Explanation(f"∂{node}/∂{inp} = {derivative}", update)
