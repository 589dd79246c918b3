"""The source texts' quiz, checked: the longer Arabic overview article's five questions, and two of ours.

The questions and their choices are in notebook 16, quoted from the article;
here is what each choice earns and why. Where the article's own answer is
half right (it credits backpropagation with the optimizer's step, and with
minimising an error on data it never sees) a better choice, e), is added, and
the article's answer is marked "partly". Questions 6 and 7 test the two
misconceptions the source texts spread: that training minimises the
gradients, and that computing gradients changes the weights.

    quiz.check(1, "e")   # a Feedback: its verdict and the reason
"""

from __future__ import annotations

from autograd.course.exercises import Feedback, unanswered
from autograd.i18n import _

# ---- words ---------------------------------------------------------------------------
# Every sentence a learner reads from the quiz is here, translated when it is made (see autograd.i18n).


def _choose_a_letter() -> str:
    return _('Answer with one of the letters {letters}, as a string: "a", for example.')


def _no_such_question() -> str:
    return _("There is no question {number}: the quiz has questions 1 to {last}.")


def _explanations() -> dict[int, dict[str, tuple[str, str]]]:
    """For each question, each choice's verdict and the reason for it."""
    optimizer = _(
        "Backpropagation computes the gradients and changes no weight; the optimizer's step then adjusts the "
        "weights using them (notebook 1: loss.backward() and w.data -= lr·w.grad are two lines)."
    )
    return {
        1: {
            "a": (
                "wrong",
                _(
                    "Looking at the data before training is preprocessing, such as standardising the "
                    "inputs (notebook 6). Backpropagation runs after the forward pass, on the loss."
                ),
            ),
            "b": (
                "wrong",
                _(
                    "People choose the architecture (or a search over architectures does). "
                    "Backpropagation trains the weights of the network it is given."
                ),
            ),
            "c": ("partly", _("That is the article's answer, and it mixes up two jobs. ") + optimizer),
            "d": ("wrong", _("Backpropagation makes no data: it works on the examples it is given.")),
            "e": (
                "right",
                _("One backward pass gives dloss/dw for every weight; the optimizer uses them. ") + optimizer,
            ),
        },
        2: {
            "a": (
                "wrong",
                _(
                    "The error travels backward, from the loss towards the inputs: hence the name. "
                    "Forward is the direction of the prediction."
                ),
            ),
            "b": (
                "right",
                _(
                    "The best of the four, with one caveat: the last part, adjusting the weights, is "
                    "the optimizer's step. Backpropagation proper ends when every gradient is known."
                ),
            ),
            "c": (
                "wrong",
                _(
                    "Measuring a model on data it did not train on is validation or testing "
                    "(notebook 6), not backpropagation."
                ),
            ),
            "d": ("wrong", _("Backpropagation adds no neurons: the network's shape stays as it was built.")),
        },
        3: {
            "a": (
                "wrong",
                _(
                    "The opposite: one backward pass costs about as much as one forward pass, however "
                    "many weights there are, while finite differences need two passes per weight "
                    "(notebook 1). That is what makes large networks and large datasets trainable."
                ),
            ),
            "b": (
                "wrong",
                _(
                    "Regularisation is a term added to the loss, with its strength λ (notebook 5). "
                    "Backpropagation differentiates whatever loss it is given, penalty included."
                ),
            ),
            "c": (
                "right",
                _(
                    "Backpropagation gives every gradient of a network in one pass, exactly "
                    "(notebooks 2 and 7 check it against finite differences)."
                ),
            ),
            "d": (
                "wrong",
                _(
                    "Every step of training needs data: backpropagation computes gradients of the "
                    "loss on training examples."
                ),
            ),
        },
        4: {
            "a": (
                "wrong",
                _(
                    "Backpropagation weighs no feature above another: it computes the gradient of "
                    "whatever loss it is given."
                ),
            ),
            "b": (
                "partly",
                _(
                    "That is the article's answer, but training never sees the unseen data: it can "
                    "only make the loss on the training data smaller. Whether that carries over to "
                    "new data is measured on validation data (notebook 6)."
                ),
            ),
            "c": (
                "wrong",
                _(
                    "Layers are part of the architecture, chosen before training; more of them can "
                    "make a model memorise its training data rather than generalise."
                ),
            ),
            "d": (
                "wrong",
                _(
                    "The activation function is part of the architecture too; backpropagation works "
                    "with any activation whose derivative it knows."
                ),
            ),
            "e": (
                "right",
                _(
                    "Backpropagation only computes gradients of the training loss. Generalisation is "
                    "measured on validation data and helped by regularisation (notebook 5), early "
                    "stopping (notebook 6) and more data."
                ),
            ),
        },
        5: {
            "a": ("wrong", _("The article lists this as a benefit: one backward pass gives every gradient.")),
            "b": ("wrong", _("The article lists this as a benefit: training can go on as new examples arrive.")),
            "c": (
                "right",
                _(
                    "The article's answer: the other three are on its list of benefits. Yet "
                    "gradients do let you look inside a network: d output / d input says which "
                    "inputs matter, as notebook 12 plots for every time step."
                ),
            ),
            "d": (
                "wrong",
                _("The article lists this as a benefit (question 4 says why it is not backpropagation's doing alone)."),
            ),
        },
        6: {
            "a": (
                "wrong",
                _(
                    "That is what the freeCodeCamp article says, in Arabic and in Russian, and it is a "
                    "misconception. A gradient of 0 only says the ground is flat: at the bottom of a "
                    "valley, but also on top of a hill. Training makes the loss small; the gradient "
                    "only points the way downhill."
                ),
            ),
            "b": (
                "right",
                _(
                    "Training minimises the loss. The gradient says which way is downhill, and it "
                    "can grow while the loss falls, as the example above shows."
                ),
            ),
            "c": (
                "wrong",
                _(
                    "An L2 penalty pulls the weights towards 0, but only as one term of the loss; "
                    "the weights themselves become whatever makes the loss small."
                ),
            ),
        },
        7: {
            "a": (
                "wrong",
                _("backward() leaves every p.data as it was; changing the weights is the optimizer's step."),
            ),
            "b": ("right", _("backward() adds d loss / d p to every p.grad and changes no weight.")),
            "c": (
                "wrong",
                _(
                    "Only p.grad changes. That the two are separate steps is the point the "
                    "second overview article makes: beginners often confuse them."
                ),
            ),
        },
    }


# ---- checking -----------------------------------------------------------------------------


def letters(question: int) -> list[str]:
    """The choices of `question`, as letters in order."""
    return list(_explanations()[question])


def right_choice(question: int) -> str:
    """The letter of the best answer to `question`."""
    return next(letter for letter, (verdict, _reason) in _explanations()[question].items() if verdict == "right")


QUESTIONS = range(1, len(_explanations()) + 1)
"""The question numbers, 1 to 7."""


def check(question: int, answer: object) -> Feedback:
    """The verdict on `answer` (a letter) to `question`, with the reason for it."""
    explanations = _explanations()
    if question not in explanations:
        return Feedback("wrong", _no_such_question().format(number=question, last=len(explanations)))
    if unanswered(answer):
        return Feedback("unanswered", _("Replace the ... with your letter, then run the cell again."))
    choices = explanations[question]
    letter = answer.strip().lower() if isinstance(answer, str) else None
    if letter not in choices:
        return Feedback("wrong", _choose_a_letter().format(letters=", ".join(choices)))
    verdict, reason = choices[letter]
    return Feedback(verdict, reason)
