"""Exercises that check themselves: the learner writes an answer, a checker says what is wrong.

An exercise is one notebook cell. The learner replaces the placeholder ``...``
with an answer, and the cell ends with a checker call, whose `Feedback` shows
as a coloured box in Jupyter and as one line in a terminal:

    prediction = ...  # w.grad after loss.backward(): your number
    check_number(prediction, grad(loss, [w])[0], name="w.grad")

Run as committed, the cell says "not answered yet" and raises nothing, so a
notebook still runs top to bottom. Checkers never change the learner's
objects (`autograd.grad` computes a gradient without touching ``.grad``), so
an exercise cell can be run again and again.

The checkers know the usual slips without being told: a flipped sign, a factor
of 2 or 1/m, too few digits, the transpose of a matrix, a lost column shape,
a function returned where its slope was asked for. So a notebook needs no
sentence of its own in code to give a useful hint, and its code cells stay
the same in every language.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.engine import Value, linear, no_grad
from autograd.gradcheck import gradcheck
from autograd.i18n import _, direction, ngettext

# ---- words ---------------------------------------------------------------------------
# Every sentence a learner reads from a checker is here, translated when it is made (see
# autograd.i18n); numbers and formulas are put in with str.format after translation.


def _verdict_words() -> dict[str, str]:
    return {
        "right": _("Right."),
        "partly": _("Partly."),
        "wrong": _("Not yet."),
        "unanswered": _("Not answered yet."),
    }


def _unanswered() -> str:
    return _("Replace the ... with your answer, then run the cell again.")


def _number_right() -> str:
    return _("{name} = {value}.")


def _not_a_number() -> str:
    return _("{name} should be a number, got {answer}.")


def _sign_flipped() -> str:
    return _("The size is right but the sign is not: which way does {name} push?")


def _factor_off() -> str:
    return _("Your {name} is {factor} times the right one: a factor such as 2 or 1/m too many, or missing?")


def _matrix_factor_off() -> str:
    return _("Every entry of {name} is {factor} times the right one: a factor such as 1/m too many, or missing?")


def _too_few_digits() -> str:
    return _("Close, but not close enough: give {name} to at least 4 significant digits.")


def _too_large() -> str:
    return _("{answer} is too large for {name}.")


def _too_small() -> str:
    return _("{answer} is too small for {name}.")


def _not_a_matrix() -> str:
    return _("{name} should be a matrix of numbers (a numpy array or nested lists), got {answer}.")


def _matrix_right() -> str:
    return _("{name} has the right shape {shape} and every entry is right.")


def _transposed() -> str:
    return _(
        "{name} has shape {shape}, the transpose of the right one, {expected}. "
        "Every dfoo has the shape of foo: check the order of the factors and their ᵀ."
    )


def _column_lost() -> str:
    return _(
        "{name} is a flat array of shape {shape}; it should be a column of shape {expected}. "
        "A sum over the examples keeps the column with keepdims=True."
    )


def _wrong_shape() -> str:
    return _("{name} has shape {shape}; it should have shape {expected}, like the thing it is the gradient of.")


def _entries_differ(count: int) -> str:
    return ngettext(
        "The shape is right, but not every entry: {count} of {total} differs, at {index}.",
        "The shape is right, but not every entry: {count} of {total} differ, the first at {index}.",
        count,
    )


def _the_matrix() -> str:
    # translators: what a checker calls a matrix whose name the notebook did not give
    return _("the matrix")


def _your_derivative() -> str:
    return _("your derivative")


def _derivative_right() -> str:
    return _("gradcheck passed at x = {points}: your derivative agrees with finite differences.")


def _derivative_raised() -> str:
    return _("Your function raised {error} at x = {x}.")


def _derivative_is_the_function() -> str:
    return _("You returned the function itself: the exercise asks for its slope, the derivative.")


def _derivative_differs() -> str:
    return _("gradcheck failed at x = {x}: your derivative gives {yours}, finite differences measure {numeric}.")


# ---- feedback ---------------------------------------------------------------------------

VERDICTS = ("right", "partly", "wrong", "unanswered")
"""What a checker can say, best first."""

METADATA_KEY = "autograd.course"
"""The key of a checker's output metadata: ``{"verdict": ...}``, which the notebook tests read."""

_COLOURS = {"right": "#2b8a3e", "partly": "#b7791f", "wrong": "#d9480f", "unanswered": "#6b7280"}
_SYMBOLS = {"right": "✓", "partly": "◐", "wrong": "✗", "unanswered": "✎"}


@dataclass(frozen=True)
class Feedback:
    """A checker's answer: a verdict (one of `VERDICTS`) and a message saying why.

    Truthy only when the verdict is "right". Jupyter shows it as a coloured
    box, a terminal as one line; the verdict also travels in the output's
    metadata, so a test can read it from an executed notebook.
    """

    verdict: str
    message: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {self.verdict!r}")

    def __bool__(self) -> bool:
        return self.verdict == "right"

    def __str__(self) -> str:
        return f"{_SYMBOLS[self.verdict]} {_verdict_words()[self.verdict]} {self.message}".rstrip()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, str], dict[str, Any]]:
        colour = _COLOURS[self.verdict]
        side = "right" if direction() == "rtl" else "left"  # the bar stands where the verdict starts
        box = (
            f'<div dir="auto" class="autograd-feedback autograd-feedback-{self.verdict}" '
            f'style="border-{side}:4px solid {colour}; padding:0.4em 0.8em; margin:0.3em 0">'
            f'<strong style="color:{colour}">{_SYMBOLS[self.verdict]} {html.escape(_verdict_words()[self.verdict])}'
            f"</strong> {html.escape(self.message)}</div>"
        )
        return {"text/plain": str(self), "text/html": box}, {METADATA_KEY: {"verdict": self.verdict}}


def unanswered(answer: object) -> bool:
    """Whether `answer` is still the placeholder ``...``."""
    return answer is Ellipsis


def _placeholder() -> Feedback:
    return Feedback("unanswered", _unanswered())


def _is_number(x: object) -> bool:
    """A real number, numpy's included; True and False are not answers."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _format(x: float) -> str:
    """A number as a learner writes it: four significant digits, a true minus sign."""
    return f"{x + 0.0:.4g}".replace("-", "−")


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    return abs(a - b) <= atol + rtol * abs(b)


def _slip(answer: float, expected: float, name: str, rtol: float, atol: float) -> str:
    """What is most likely wrong with a number that is not `expected`."""
    if expected != 0 and _close(-answer, expected, rtol, atol):
        return _sign_flipped().format(name=name)
    if expected != 0 and answer != 0:
        ratio = answer / expected
        for factor in (2.0, 0.5, 3.0, 1 / 3, 4.0, 0.25):
            if _close(ratio, factor, rtol, 0.0):
                return _factor_off().format(name=name, factor=_format(factor))
    if _close(answer, expected, 0.01, atol):
        return _too_few_digits().format(name=name)
    words = _too_large() if answer > expected else _too_small()
    return words.format(answer=_format(answer), name=name)


# ---- checkers -----------------------------------------------------------------------------


def check_number(
    answer: object, expected: float, *, name: str = "x", rtol: float = 1e-3, atol: float = 1e-9
) -> Feedback:
    """Is `answer` the number `expected` (to `rtol`, about four significant digits)?

    For a prediction, compute `expected` with the engine after the answer is
    given: ``check_number(prediction, grad(loss, [w])[0], name="w.grad")``.
    A wrong number is told what it looks like (sign, a factor, too few
    digits, too large or too small), never the answer.
    """
    if unanswered(answer):
        return _placeholder()
    if not _is_number(answer):
        return Feedback("wrong", _not_a_number().format(name=name, answer=repr(answer)))
    number, target = float(answer), float(expected)  # type: ignore[arg-type]
    if _close(number, target, rtol, atol):
        return Feedback("right", _number_right().format(name=name, value=_format(target)))
    return Feedback("wrong", _slip(number, target, name, rtol, atol))


def check_matrix(answer: object, expected: Any, *, name: str | None = None, rtol: float = 1e-6) -> Feedback:
    """Is `answer` the matrix `expected`: first its shape, then every entry?

    Takes numpy arrays or nested lists. A transposed matrix, a column flattened
    by a sum without ``keepdims=True``, and a whole matrix off by one factor
    (a missing 1/m) are named as such.
    """
    import numpy as np

    if unanswered(answer):
        return _placeholder()
    name = _the_matrix() if name is None else name
    target = np.asarray(expected, dtype=float)
    try:
        given = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback("wrong", _not_a_matrix().format(name=name, answer=repr(answer)[:80]))
    shape, wanted = tuple(given.shape), tuple(target.shape)
    if shape != wanted:
        if given.ndim == 2 and shape == wanted[::-1]:
            words = _transposed()
        elif given.ndim == 1 and given.size == target.size and 1 in wanted:
            words = _column_lost()
        else:
            words = _wrong_shape()
        return Feedback("wrong", words.format(name=name, shape=shape, expected=wanted))
    close = np.isclose(given, target, rtol=rtol, atol=1e-12)
    if close.all():
        return Feedback("right", _matrix_right().format(name=name, shape=shape))
    ratios = given[target != 0] / target[target != 0]
    if ratios.size and np.allclose(ratios, ratios[0], rtol=rtol) and np.allclose(given[target == 0], 0):
        if np.isclose(ratios[0], -1.0, rtol=rtol):
            return Feedback("wrong", _sign_flipped().format(name=name))
        return Feedback("wrong", _matrix_factor_off().format(name=name, factor=_format(float(ratios[0]))))
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    count = int((~close).sum())
    return Feedback("wrong", _entries_differ(count).format(count=count, total=close.size, index=list(first)))


def _value_at(function: Callable[[Value], Value], x: float) -> float:
    """`function` at the number `x`, without recording a graph."""
    with no_grad():
        return function(Value(x)).data


def _with_your_slope(
    function: Callable[[Value], Value], derivative: Callable[[float], Any]
) -> Callable[[Value], Value]:
    """`function` with the learner's `derivative` as its local derivative, for `gradcheck` to judge.

    At each x it is the tangent line with the learner's slope, ``f(x) + slope·(v − x)``, as one
    `linear` node: its value is f's, its derivative the learner's. Finite differences step to
    other x, where the value is f's again, so they measure f's true slope.
    """

    def yours(v: Value) -> Value:
        x = v.data
        slope = float(derivative(x))
        return linear([slope], [v], _value_at(function, x) - slope * x)

    return yours


def check_derivative(
    derivative: Callable[[float], Any],
    function: Callable[[Value], Value],
    *,
    points: Sequence[float] = (-1.7, -0.4, 0.6, 2.1),
) -> Feedback:
    """Let `gradcheck` judge the learner's `derivative` of `function`, at a few points.

    `derivative` takes a float and returns a float (written with `math`);
    `function` takes a Value, e.g. ``lambda x: x.softplus()``. The check gives
    `function` the learner's derivative as its local derivative and lets
    `gradcheck` compare ``backward()`` through it with finite differences.
    """
    yours = []
    for x in points:
        try:
            slope = derivative(x)
        except Exception as error:  # the learner's code: any error is feedback, not a crash
            return Feedback(
                "wrong", _derivative_raised().format(error=f"{type(error).__name__}: {error}", x=_format(x))
            )
        if unanswered(slope):
            return _placeholder()
        if not _is_number(slope):
            return Feedback("wrong", _not_a_number().format(name=f"derivative({x})", answer=repr(slope)))
        yours.append(float(slope))
    results = [gradcheck(_with_your_slope(function, derivative), [x]) for x in points]
    if all(results):
        return Feedback("right", _derivative_right().format(points=", ".join(_format(x) for x in points)))
    numeric = [result.numeric[0] for result in results]
    values = [_value_at(function, x) for x in points]
    if all(_close(a, v, 1e-6, 1e-9) for a, v in zip(yours, values)):
        return Feedback("wrong", _derivative_is_the_function())
    if all(_close(-a, n, 1e-4, 1e-6) for a, n in zip(yours, numeric)):
        return Feedback("wrong", _sign_flipped().format(name=_your_derivative()))
    worst = next(i for i, result in enumerate(results) if not result)
    return Feedback(
        "wrong",
        _derivative_differs().format(
            x=_format(points[worst]), yours=_format(yours[worst]), numeric=_format(numeric[worst])
        ),
    )
