"""Words for what the engine does: each backward step written out as a line of chain rule.

The engine computes and writes no prose; this module reads its records (a
`BackwardStep`, a node's operation and inputs) and says what happened, e.g.::

    ∂x1w1/∂x1 = w1 = −3
    x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5 (was 0)

The first line is the local derivative. Its formula is not written down a
second time here: the operation's own definition is run on `Symbol`s instead
of numbers, and the symbols write out the arithmetic they go through, so the
text cannot disagree with the number. The second line is the chain rule, with
every term named: the local derivative, the gradient arriving from upstream,
and the input's gradient before and after.

The formulas are the same in every language; the few words (``was``, ``now``,
``if``, ``leaf``) are in the current language (`autograd.set_language`), and an
`Explanation` keeps its formulas apart from them, so a right-to-left page can
show each formula as a left-to-right isolate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from autograd.display import format_number
from autograd.engine import OPERATIONS, BackwardStep, Operation, Value, namespace
from autograd.i18n import _

__all__ = ["SYMBOL", "Explanation", "Symbol", "derivative_formulas", "explain", "format_number", "node_name"]


def node_name(v: Value) -> str:
    """How explanations name a node: its label (in parentheses if it has spaces), or the operation that made it."""
    if not v.label:
        # translators: how formulas name a node that no operation made and that has no label, in brackets: [leaf]
        name = v.op or _("leaf")
        return f"[{name}]"
    return f"({v.label})" if " " in v.label else v.label


# ---- formulas from the definitions ----------------------------------------------------------

# How tightly each kind of formula binds: an operand that binds less tightly than
# the operation it sits in gets parentheses.
CONDITION, COMPARISON, SUM, PRODUCT, NEGATION, POWER, ATOM = range(7)


class Symbol:
    """A formula under construction: arithmetic on symbols returns a bigger symbol.

    Running an operation's definition on symbols (with `SYMBOL` as its
    namespace) writes out its value and local derivatives instead of computing
    them. ``render(output, name)`` writes the formula, naming the `output`
    symbol (the operation's value, wherever a derivative reuses it) `name`.
    """

    def __init__(self, text: str, binding: int = ATOM, parts: tuple[Any, ...] = ()) -> None:
        self.text = text  # a name or number, or the operator joining `parts`
        self.binding = binding
        self.parts = parts

    @staticmethod
    def of(x: Any) -> Symbol:
        """`x` as a symbol: a symbol stays itself, a number becomes an atom."""
        if isinstance(x, Symbol):
            return x
        return Symbol(format_number(x), CONDITION if x < 0 else ATOM)  # a negative operand is parenthesised

    def render(self, output: Symbol | None = None, name: str = "out") -> str:
        if self is output:
            return name
        if not self.parts:
            return self.text

        def inner(part: Symbol, binding: int) -> str:
            text = part.render(output, name)
            return text if part is output or part.binding >= binding else f"({text})"

        if self.text == "call":
            function, argument = self.parts
            return f"{function.text}({argument.render(output, name)})"
        if self.text == "if":
            condition, if_true, if_false = self.parts
            # translators: a choice inside a formula, as in "1 if x > 0 else 0"; keep the three {names}
            choice = _("{if_true} if {condition} else {if_false}")
            return choice.format(
                if_true=inner(if_true, SUM), condition=inner(condition, COMPARISON), if_false=inner(if_false, SUM)
            )
        if self.text == "−x":
            return f"−{inner(self.parts[0], POWER)}"
        left, right = self.parts
        if self.text == "^":
            if right.text == "2" and not right.parts:
                return f"{inner(left, ATOM)}²"
            return f"{inner(left, ATOM)}^{inner(right, ATOM)}"
        if self.text == "·" and left is right:  # x·x reads as x²
            return f"{inner(left, ATOM)}²"
        right_binding = self.binding + 1 if self.text in ("−", "/") else self.binding  # a − (b + c), a / (b·c)
        return f"{inner(left, self.binding)} {self.text} {inner(right, right_binding)}".replace(" · ", "·")

    # Arithmetic builds bigger symbols; a product with 1, or a sum with 0, is the other operand.
    def _binary(self, text: str, binding: int, left: Any, right: Any) -> Any:
        return Symbol(text, binding, (Symbol.of(left), Symbol.of(right)))

    def __add__(self, other: Any) -> Any:
        return self if _is(other, 0) else self._binary("+", SUM, self, other)

    def __radd__(self, other: Any) -> Any:
        return self if _is(other, 0) else self._binary("+", SUM, other, self)

    def __sub__(self, other: Any) -> Any:
        return self if _is(other, 0) else self._binary("−", SUM, self, other)

    def __rsub__(self, other: Any) -> Any:
        return self._binary("−", SUM, other, self)

    def __mul__(self, other: Any) -> Any:
        return self if _is(other, 1) else self._binary("·", PRODUCT, self, other)

    def __rmul__(self, other: Any) -> Any:
        return self if _is(other, 1) else self._binary("·", PRODUCT, other, self)

    def __truediv__(self, other: Any) -> Any:
        return self._binary("/", PRODUCT, self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._binary("/", PRODUCT, other, self)

    def __pow__(self, other: Any) -> Any:
        return self if _is(other, 1) else self._binary("^", POWER, self, other)

    def __rpow__(self, other: Any) -> Any:
        return self._binary("^", POWER, other, self)

    def __neg__(self) -> Symbol:
        return Symbol("−x", NEGATION, (self,))

    def __gt__(self, other: Any) -> Any:
        return self._binary(">", COMPARISON, self, other)

    def __ge__(self, other: Any) -> Any:
        return self._binary("≥", COMPARISON, self, other)

    def __lt__(self, other: Any) -> Any:
        return self._binary("<", COMPARISON, self, other)

    def __le__(self, other: Any) -> Any:
        return self._binary("≤", COMPARISON, self, other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self._binary("=", COMPARISON, self, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self._binary("≠", COMPARISON, self, other)

    __hash__ = object.__hash__


def _is(x: Any, number: float) -> bool:
    return not isinstance(x, Symbol) and x == number


def _function(name: str) -> Any:
    def call(x: Any) -> Symbol:
        return Symbol("call", ATOM, (Symbol(name), Symbol.of(x)))

    return call


class _SymbolPrimitives:
    """The primitives on symbols: each writes itself out."""

    exp = staticmethod(lambda x: Symbol("^", POWER, (Symbol("e"), Symbol.of(x))))
    expm1 = staticmethod(lambda x: Symbol("^", POWER, (Symbol("e"), Symbol.of(x))) - 1)
    log = staticmethod(_function("log"))
    sqrt = staticmethod(_function("√"))
    sin = staticmethod(_function("sin"))
    cos = staticmethod(_function("cos"))
    tanh = staticmethod(_function("tanh"))
    sigmoid = staticmethod(_function("σ"))
    softplus = staticmethod(_function("softplus"))
    abs = staticmethod(_function("abs"))
    sign = staticmethod(_function("sign"))
    pow = staticmethod(lambda x, n: Symbol.of(x) ** n)

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Any:
        if not isinstance(condition, Symbol):  # decided by parameters alone
            return if_true if condition else if_false
        return Symbol("if", CONDITION, (condition, Symbol.of(if_true), Symbol.of(if_false)))

    @staticmethod
    def refuse(outside: Any, requirement: str) -> None:
        """A formula has no domain to check."""


SYMBOL = namespace(_SymbolPrimitives)
"""The namespace an operation's definition runs on to write out its formula."""


def derivative_formulas(op: Operation, inputs: Sequence[Symbol | float], output: str = "out") -> list[str]:
    """d out / d input for each input of `op`, as text: ``tanh`` on ``[Symbol('n')]`` gives ``['1 − out²']``.

    `inputs` are symbols (names) or numbers, then the parameters as numbers.
    """
    value, derivatives = op.definition(SYMBOL, *inputs)
    return [Symbol.of(d).render(value if isinstance(value, Symbol) else None, output) for d in derivatives]


def local_derivative_formula(node: Value, position: int) -> str:
    """d(node)/d(input at `position`) as its operation's definition writes it, with the node's inputs filled in.

    Labelled values appear by name and everything else as its number.
    """
    op = OPERATIONS[node.op]
    arity = len(node.inputs) if op.arity is None else op.arity
    inputs: list[Any] = [
        Symbol(node_name(x)) if isinstance(x, Value) and x.label else Symbol.of(x.data if isinstance(x, Value) else x)
        for x in node.inputs[:arity]
    ]
    params: list[Any] = list(node.inputs[arity:])  # numbers: a definition may decide on them
    output = node_name(node) if node.label else Symbol.of(node.data).render()
    return derivative_formulas(op, [*inputs, *params], output)[position]


# ---- the explanation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One backward step: the local derivative and the chain rule's update, and what the gradient was.

    `derivative` and `chain_rule` are formulas, the same in every language;
    `note` says in words what the input's gradient was before the step (and,
    when another path had already added to it, what it is now). ``str()`` joins
    the three in the current language: ``∂o/∂n = 1 − o² = 0.5; n.grad += … = 0.5 (was 0)``.
    """

    derivative: str
    chain_rule: str
    was: float
    now: float | None = None  # the sum, when the gradient was not 0 before

    def note_parts(self) -> tuple[str, dict[str, str]]:
        """The note's words in the current language, with ``{was}`` (and ``{now}``) for its numbers, and the numbers.

        Kept apart so a page can set the numbers as left-to-right isolates.
        """
        numbers = {"was": format_number(self.was)}
        if self.now is None:
            return _("(was {was})"), numbers
        # translators: a gradient that another path had already added to: what it was before this step, and now
        return _("(was {was}, now {now})"), {**numbers, "now": format_number(self.now)}

    @property
    def note(self) -> str:
        """``(was 0)``, or ``(was 2, now 4)`` after a sum, in the current language."""
        words, numbers = self.note_parts()
        return words.format(**numbers)

    @property
    def update(self) -> str:
        """The chain rule's update and its note: ``n.grad += ∂o/∂n × o.grad = 0.5 × 1 = 0.5 (was 0)``."""
        return f"{self.chain_rule} {self.note}"

    def __str__(self) -> str:
        return f"{self.derivative}; {self.update}"


def _operand(x: float) -> str:
    """A number inside a formula: negative ones in parentheses, so ``2·(−4)`` is not ``2·−4``."""
    return f"({format_number(x)})" if x < 0 else format_number(x)


def explain(step: BackwardStep) -> Explanation:
    """`step` written out: ``∂o/∂n = 1 − o² = 0.5``, then ``n.grad += ∂o/∂n × o.grad = 0.5 × 1 = 0.5 (was 0)``."""
    node, inp = node_name(step.node), node_name(step.input)
    if step.is_seed:
        return Explanation(f"∂{node}/∂{node} = 1", f"{node}.grad = 1", step.input_grad_before)
    local = format_number(step.local_grad)
    if step.node.local_grads is None:  # made micrograd's way: its closure knows the formula, we don't
        derivative = local
    else:
        assert step.position is not None
        formula = local_derivative_formula(step.node, step.position)
        derivative = formula if formula == local else f"{formula} = {local}"
    chain_rule = (
        f"{inp}.grad += ∂{node}/∂{inp} × {node}.grad = {_operand(step.local_grad)} × {_operand(step.upstream_grad)}"
        f" = {format_number(step.contribution)}"
    )
    now = step.input_grad if step.input_grad_before else None  # another path's gradient was there: say the sum
    return Explanation(f"∂{node}/∂{inp} = {derivative}", chain_rule, step.input_grad_before, now)
