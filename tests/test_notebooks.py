"""Every notebook runs top to bottom as committed, writes nothing to stderr, and its exercises check themselves.

An exercise is a code cell tagged ``exercise`` whose answer is the placeholder
``...`` (one paragraph of the cell holds it). The markdown cell after it, tagged
``solution``, hides in a ``<details>`` block two code blocks: the answer, then
a common slip. Run as committed, every exercise says "not answered yet"; with
the answer in place of its placeholder paragraph it says "right", with the
slip it does not.

The executed copies are shared with the site test (`autograd.course.site.execute`):
each notebook runs once per test run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from autograd.course.exercises import METADATA_KEY
from autograd.course.site import execute, notebooks

NOTEBOOKS = notebooks()
SOLUTION = re.compile(r"\A<details><summary>[^<]+</summary>\n.*\n</details>\Z", re.S)
CODE_BLOCK = re.compile(r"```python\n(.*?)\n```", re.S)


def test_the_learners_path_is_all_there() -> None:
    assert len(NOTEBOOKS) == 15, [n.name for n in NOTEBOOKS]


def tagged(cell: Any, tag: str) -> bool:
    return tag in cell.metadata.get("tags", [])


def verdicts(cell: Any) -> list[str]:
    """What the checkers said in a code cell's outputs."""
    return [
        output.metadata[METADATA_KEY]["verdict"]
        for output in cell.outputs
        if METADATA_KEY in output.get("metadata", {})
    ]


def exercises(notebook: Any) -> list[tuple[int, str, str]]:
    """(index of the exercise cell, the answer, the slip) for every exercise of a notebook."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if tagged(cell, "exercise"):
            solution = notebook.cells[index + 1]
            assert tagged(solution, "solution"), f"cell {index}: an exercise needs its solution right after it"
            answer, slip = CODE_BLOCK.findall(solution.source)
            found.append((index, answer, slip))
    return found


def with_answer(exercise: str, answer: str) -> str:
    """The exercise cell with its placeholder paragraph replaced by `answer`."""
    paragraphs = exercise.split("\n\n")
    placeholders = [i for i, paragraph in enumerate(paragraphs) if re.search(r"(= |return )\.\.\.$", paragraph, re.M)]
    assert len(placeholders) == 1, f"one paragraph of an exercise holds the placeholder:\n{exercise}"
    paragraphs[placeholders[0]] = answer
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_exercises_with_hidden_solutions(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert exercises(notebook), f"{path.name} has no exercise"
    for cell in notebook.cells:
        if tagged(cell, "solution"):
            assert SOLUTION.match(cell.source), "a solution is one <details> block, closed until opened"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom_quietly_and_its_exercises_wait(path: Path, run_id: str) -> None:
    executed = nbformat.read(execute(path, run=run_id), as_version=4)
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        stderr = [output.text for output in cell.outputs if output.get("name") == "stderr"]
        assert not stderr, f"{path.name}, cell {index} wrote to stderr, which Jupyter shows in red: {stderr}"
        if tagged(cell, "exercise"):
            assert verdicts(cell) == ["unanswered"], f"{path.name}, cell {index}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_accepts_its_answer_and_rejects_its_slip(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    found = exercises(notebook)
    last_solution = found[-1][0] + 1
    cells = notebook.cells[: last_solution + 1]  # what comes after the last exercise is not needed
    for index, answer, slip in reversed(found):  # from the last, so that the indices hold
        exercise = cells[index].source
        tries = [new_code_cell(with_answer(exercise, slip)), new_code_cell(with_answer(exercise, answer))]
        cells[index + 1 : index + 1] = tries
    notebook.cells = cells
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    said = [verdicts(cell) for cell in notebook.cells if cell.cell_type == "code" and verdicts(cell)]
    assert len(said) == 3 * len(found), said
    for as_committed, with_slip, with_answer_in in zip(said[::3], said[1::3], said[2::3]):
        assert as_committed == ["unanswered"], said
        assert with_slip in (["wrong"], ["partly"]), said
        assert with_answer_in == ["right"], said


def test_the_matrix_lessons_carry_pictures(run_id: str) -> None:
    for name, drawings, plots in (("04_two_layer_network", 1, 3), ("05_l_layer_algorithm", 1, 4)):
        executed = nbformat.read(execute(NOTEBOOKS[0].parent / f"{name}.ipynb", run=run_id), as_version=4)
        outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
        assert sum("image/svg+xml" in output.get("data", {}) for output in outputs) >= drawings, name
        assert sum("image/png" in output.get("data", {}) for output in outputs) >= plots, name


def test_a_slider_cell_shows_its_picture_and_says_what_to_do_without_widgets(run_id: str) -> None:
    executed = nbformat.read(execute(NOTEBOOKS[0], run=run_id), as_version=4)
    cell = next(cell for cell in executed.cells if "explore(slope_at" in cell.source)
    sliders, picture = cell.outputs
    assert "application/vnd.jupyter.widget-view+json" in sliders.data
    assert "change the default in the def line" in sliders.data["text/plain"]
    assert "image/png" in picture.data
