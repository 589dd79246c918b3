"""autograd.course: each checker accepts the right answer, rejects a wrong one saying why, and waits for `...`."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Value, grad
from autograd.course import Feedback, check_derivative, check_matrix, check_number, explore, quiz
from autograd.course.exercises import METADATA_KEY, VERDICTS
from autograd.course.pictures import heatmaps, matrices, summary
from autograd.i18n import using_language
from autograd.lecture import two_layer


def softplus(x: Value) -> Value:
    return x.softplus()


def test_feedback_shows_its_verdict_in_a_box_a_line_and_the_metadata() -> None:
    data, metadata = Feedback("wrong", "The sign is off.")._repr_mimebundle_()
    assert data["text/plain"] == "✗ Not yet. The sign is off."
    assert "autograd-feedback-wrong" in data["text/html"] and "The sign is off." in data["text/html"]
    assert metadata == {METADATA_KEY: {"verdict": "wrong"}}
    assert bool(Feedback("right")) and not Feedback("partly") and not Feedback("unanswered")
    with pytest.raises(ValueError, match="verdict must be one of"):
        Feedback("maybe")


@pytest.mark.parametrize(
    ("language", "words", "bar"),
    [
        ("ar", ["✗ ليس بعد.", "المقدار صحيح لكن الإشارة لا", "مشتقتك"], "border-right"),
        ("ru", ["✗ Пока нет.", "Величина верна, а знак нет", "ваша производная"], "border-left"),
    ],
)  # fmt: skip
def test_feedback_speaks_the_language_of_the_moment_with_its_bar_where_the_words_start(
    language: str, words: list[str], bar: str
) -> None:
    with using_language(language):
        data, _ = check_derivative(lambda x: -1 / (1 + math.exp(-x)), softplus)._repr_mimebundle_()
        one_differs = str(check_matrix([[1.0, 2.0], [3.0, 5.0]], [[1.0, 2.0], [3.0, 4.0]]))
    for word in words:
        assert word in data["text/plain"] and word in data["text/html"]
    assert bar in data["text/html"]
    assert {"ar": "يختلف عنصر واحد من 4", "ru": "отличается 1 из 4"}[language] in one_differs


def test_feedback_escapes_what_it_quotes() -> None:
    data, _ = Feedback("wrong", "got '<script>'")._repr_mimebundle_()
    assert "<script>" not in data["text/html"]


@pytest.mark.parametrize(
    ("checker", "answer"),
    [
        (lambda answer: check_number(answer, -24), ...),
        (lambda answer: check_matrix(answer, np.ones((2, 1))), ...),
        (lambda answer: check_derivative(answer, softplus), lambda x: ...),
        (lambda answer: quiz.check(1, answer), ...),
    ],
)
def test_the_placeholder_is_not_answered_yet_and_raises_nothing(checker: object, answer: object) -> None:
    feedback = checker(answer)  # type: ignore[operator]
    assert feedback.verdict == "unanswered" and "..." in feedback.message


def test_a_number_right_to_four_digits_is_right() -> None:
    w = Value(2.0)
    loss = (w * 3.0 - 10) ** 2
    assert check_number(-24, grad(loss, [w])[0], name="w.grad")
    assert check_number(np.float64(-24.01), -24)
    assert w.grad == 0  # grad() judged without touching .grad


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (24, "the sign is not"),
        (-48, "2 times the right one"),
        (-12, "0.5 times the right one"),
        (-24.1, "at least 4 significant digits"),
        (-30, "−30 is too small for w.grad"),
        (-10, "−10 is too large for w.grad"),
        ("-24", "should be a number, got '-24'"),
        (True, "should be a number"),
    ],
)
def test_a_wrong_number_is_told_what_is_wrong_without_the_answer(answer: object, says: str) -> None:
    feedback = check_number(answer, -24, name="w.grad")
    assert feedback.verdict == "wrong" and says in feedback.message
    assert "24" not in feedback.message.replace(str(answer), "")  # the right number is never given away


def test_a_matrix_is_checked_shape_first_then_entry_by_entry() -> None:
    dW = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]])
    assert check_matrix(dW.tolist(), dW, name="dW1")
    cases = {
        "transpose": (dW.T, "the transpose of the right one, (2, 3)"),
        "flat": (np.array([1.0, 2.0]), "should be a column of shape (2, 1)"),
        "shape": (np.ones((3, 3)), "has shape (3, 3); it should have shape (2, 3)"),
        "factor": (5 * dW, "Every entry of dW1 is 5 times the right one"),
        "sign": (-dW, "the sign is not"),
        "entry": (dW + np.array([[0, 0, 0], [0, 0, 1]]), "1 of 6 differs, at [1, 2]"),
        "words": ("dW", "should be a matrix of numbers"),
    }
    expected = {"flat": np.array([[1.0], [2.0]])}
    for case, (answer, says) in cases.items():
        feedback = check_matrix(answer, expected.get(case, dW), name="dW1")
        assert feedback.verdict == "wrong" and says in feedback.message, (case, feedback.message)


def test_gradcheck_judges_a_derivative_and_names_the_slip() -> None:
    assert check_derivative(lambda x: 1 / (1 + math.exp(-x)), softplus)
    wrong = {
        "the function itself": lambda x: math.log1p(math.exp(x)),
        "the sign is not": lambda x: -1 / (1 + math.exp(-x)),
        "gradcheck failed at x = −1.7: your derivative gives 0.8455, finite differences measure 0.1545": (
            lambda x: 1 / (1 + math.exp(x))
        ),
        "raised NameError": lambda x: exp(x),  # type: ignore[name-defined]  # noqa: F821
        "should be a number": lambda x: "0.5",
    }
    for says, derivative in wrong.items():
        feedback = check_derivative(derivative, softplus)
        assert feedback.verdict == "wrong" and says in feedback.message, feedback.message


def test_every_quiz_question_has_one_best_answer_and_a_reason_for_every_choice() -> None:
    for question in quiz.QUESTIONS:
        best = quiz.right_choice(question)
        assert quiz.check(question, best.upper() + " ").verdict == "right"
        for letter in quiz.letters(question):
            feedback = quiz.check(question, letter)
            assert feedback.verdict in VERDICTS and len(feedback.message) > 40
    assert quiz.check(8, "a").verdict == "wrong" and "questions 1 to 7" in quiz.check(8, "a").message
    assert "one of the letters a, b, c" in quiz.check(6, "z").message


def test_the_quiz_corrects_the_sources_on_backpropagation_and_the_optimizer() -> None:
    assert quiz.check(1, "c").verdict == "partly" and "optimizer" in quiz.check(1, "c").message
    assert quiz.check(4, "b").verdict == "partly" and "validation" in quiz.check(4, "b").message
    assert quiz.right_choice(6) == "b" and "misconception" in quiz.check(6, "a").message


def test_a_summary_keeps_one_line_per_gradient_and_the_table_stays_one_call_away() -> None:
    comparison = two_layer(hidden="relu")
    text = str(summary(comparison))
    assert [line.split()[0] for line in text.splitlines()[3:7]] == ["dW2", "db2", "dW1", "db1"]
    assert "(4, 3)" in text and "the engine reproduces the lecture" in text
    assert len(text.splitlines()) < 12 < len(str(comparison).splitlines())
    assert "print it" in summary(comparison)._repr_html_()
    engine, formula = matrices(comparison), matrices(comparison, "formula")
    assert engine["dW1"].shape == (4, 3) and engine["db1"].shape == (4, 1)
    assert np.allclose(engine["dW1"], formula["dW1"])
    assert engine["dW1"][0, 2] == comparison["dW1[0, 2]"].engine


def test_heatmaps_write_every_number_and_leave_zeros_white() -> None:
    figure = heatmaps({"a": np.array([[1.0, 0.0], [-2.0, 0.5]]), "b": np.array([[3.0]])}, absolute=True)
    first, second = figure.axes[:2]
    assert [text.get_text() for text in first.texts] == ["1", "0", "2", "0.5"]
    assert np.ma.is_masked(first.images[0].get_array()[0, 1])  # masked: drawn in the "bad" colour, white
    assert first.images[0].get_clim() == second.images[0].get_clim() == (0.0, 3.0)  # one shared scale


def test_outside_jupyter_explore_returns_the_default_picture() -> None:
    def show(w: float = 2.0) -> str:
        return f"w = {w}"

    assert explore(show, w=(0.0, 5.0, 0.1)) == "w = 2.0"
    with pytest.raises(TypeError, match="has no argument lr"):
        explore(show, lr=(0.0, 1.0, 0.1))
    with pytest.raises(TypeError, match="give w a default value"):
        explore(lambda w: w, w=(0.0, 1.0, 0.1))
