"""The notebooks as a course: exercises that check themselves, the quiz, sliders, pictures, the site.

What a notebook imports:

    from autograd.course import check_derivative, check_matrix, check_number, explore, quiz

- `check_number`, `check_matrix`, `check_derivative` (in `exercises`) judge an
  answer and return a `Feedback`; the placeholder ``...`` is "not answered yet".
- `quiz.check(question, letter)`: the source texts' quiz (notebook 16).
- `explore(show, w=(low, high, step))`: sliders where widgets run, a plain cell elsewhere.
- `pictures.summary` and `pictures.heatmaps`: the matrix lessons in pictures (notebooks 4 and 5).
- `site`: executes the notebooks once and builds the static site (``make site``).

Nothing in the engine imports this package.
"""

from autograd.course import quiz
from autograd.course.exercises import Feedback, check_derivative, check_matrix, check_number
from autograd.course.explore import explore

__all__ = ["Feedback", "check_derivative", "check_matrix", "check_number", "explore", "quiz"]
