"""Every notebook runs top to bottom as committed, writes nothing to stderr, and its exercises check themselves.

The translated notebooks (``notebooks/ar``, ``notebooks/ru``) are held to the same, and to more: their code is
the English notebook's (but for a first cell that sets the language, and the words a reader reads: comments,
docstrings and the strings a cell prints or plots, translated), their text and outputs have no English sentence,
and each carries the glossary. Their exercises take the English notebook's answers and slips word for word, so
the English run of each exercise proves the twin's too: a twin is executed once, top to bottom.

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

import html
import io
import re
import tokenize
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from autograd import OPERATIONS
from autograd.course.exercises import METADATA_KEY
from autograd.course.site import NOTEBOOKS as FOLDER
from autograd.course.site import TRANSLATIONS, execute, notebooks, translated_notebooks

NOTEBOOKS = notebooks()
TRANSLATED = translated_notebooks()
EVERY_NOTEBOOK = NOTEBOOKS + TRANSLATED
SOLUTION = re.compile(r'\A<details(?: dir="rtl" lang="ar")?><summary>[^<]+</summary>\n.*\n</details>\Z', re.S)
CODE_BLOCK = re.compile(r"```python\n(.*?)\n```", re.S)


def name(path: Path) -> str:
    """A notebook's name for a test's id: ``01_values_and_graphs.ipynb``, ``ar/01_values_and_graphs.ipynb``."""
    return path.relative_to(FOLDER).as_posix()


def test_the_learners_path_is_all_there() -> None:
    assert len(NOTEBOOKS) == 15, [n.name for n in NOTEBOOKS]
    english = {n.name for n in NOTEBOOKS}
    for language in TRANSLATIONS:
        assert {n.name for n in notebooks(FOLDER / language)} <= english, f"{language}: a twin with no English notebook"


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


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name(path)}: strip the outputs"


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=name)
def test_every_notebook_has_exercises_with_hidden_solutions(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert exercises(notebook), f"{name(path)} has no exercise"
    for cell in notebook.cells:
        if tagged(cell, "solution"):
            assert SOLUTION.match(cell.source), "a solution is one <details> block, closed until opened"


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=name)
def test_notebook_runs_top_to_bottom_quietly_and_its_exercises_wait(path: Path, run_id: str) -> None:
    executed = nbformat.read(execute(path, run=run_id), as_version=4)
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        stderr = [output.text for output in cell.outputs if output.get("name") == "stderr"]
        assert not stderr, f"{name(path)}, cell {index} wrote to stderr, which Jupyter shows in red: {stderr}"
        if tagged(cell, "exercise"):
            assert verdicts(cell) == ["unanswered"], f"{name(path)}, cell {index}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=name)
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
    for lesson, drawings, plots in (("04_two_layer_network", 1, 3), ("05_l_layer_algorithm", 1, 4)):
        executed = nbformat.read(execute(FOLDER / f"{lesson}.ipynb", run=run_id), as_version=4)
        outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
        assert sum("image/svg+xml" in output.get("data", {}) for output in outputs) >= drawings, lesson
        assert sum("image/png" in output.get("data", {}) for output in outputs) >= plots, lesson


def test_a_slider_cell_shows_its_picture_and_says_what_to_do_without_widgets(run_id: str) -> None:
    executed = nbformat.read(execute(NOTEBOOKS[0], run=run_id), as_version=4)
    cell = next(cell for cell in executed.cells if "explore(slope_at" in cell.source)
    sliders, picture = cell.outputs
    assert "application/vnd.jupyter.widget-view+json" in sliders.data
    assert "change the default in the def line" in sliders.data["text/plain"]
    assert "image/png" in picture.data


# ---- the translated notebooks ------------------------------------------------------------------

SCRIPTS = {"ar": "[\u0600-\u06ff]", "ru": "[а-яё]"}
"""A letter of each language's script."""

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

NAMES = {
    "Adam", "ELU", "Graphviz", "HTML", "Jupyter", "JupyterLab", "L2", "MLP", "PyTorch", "Python", "ReLU", "SGD",
    "freeCodeCamp", "ipywidgets", "numpy", "sign",
}  # fmt: skip
"""Names a sentence in any language writes in Latin letters: programs, libraries, a penalty, a network, and
sign(x), which a formula of the engine's writes."""

CORE_TERMS = {
    "backpropagation", "gradient", "chain rule", "local derivative", "loss", "weight", "bias", "learning rate",
}  # fmt: skip
"""The terms every translated notebook's glossary has."""


def english(path: Path) -> Path:
    """The English notebook a translated one follows."""
    return FOLDER / path.name


def tokens(source: str) -> list[tuple[int, str]]:
    """A cell's code as Python reads it, its comments (translated) and line layout left out."""
    skipped = (tokenize.COMMENT, tokenize.NL)
    return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in skipped]


FORMAT_FIELD = re.compile(r"\{[^{}]*\}")


def differences_in_code(translated: str, original: str, language: str) -> list[str]:
    """Where a translated cell's code differs from the English cell's: [] when they are the same program.

    A string may differ where it is text for a reader (a docstring, a title, a line a cell prints): the
    translated string is then written in the language's script and keeps the English one's ``{fields}``, in
    order. Any other difference (a name, a number, a string of code such as ``"tanh"``) is reported.
    """
    ours, theirs = tokens(translated), tokens(original)
    if len(ours) != len(theirs):
        return [f"{len(ours)} tokens for the English cell's {len(theirs)}"]
    found = []
    for (kind, text), (english_kind, english_text) in zip(ours, theirs):
        if (kind, text) == (english_kind, english_text):
            continue
        is_translation = (
            kind == english_kind == tokenize.STRING
            and re.search(SCRIPTS[language], text, re.I)
            and FORMAT_FIELD.findall(text) == FORMAT_FIELD.findall(english_text)
        )
        if not is_translation:
            found.append(f"{text!r} where the English cell has {english_text!r}")
    return found


CODE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+|[A-Za-z_][A-Za-z0-9_]*\(")
"""Code quoted inside a string: a dotted name (``step.index``) or a call (``numerical_grad(``)."""


def words_in_code(source: str) -> set[str]:
    """The Latin words a cell's code may show a reader: its names, the code its strings quote (the names in
    their ``{fields}``, dotted names, calls), and strings that are one name (``"tanh"``); not the words of a
    sentence in English."""
    words = set()
    for kind, text in tokens(source):
        if kind == tokenize.NAME:
            words.add(text)
        elif kind == tokenize.STRING:
            body = text.lstrip("rbfuRBFU")
            quoted = [*FORMAT_FIELD.findall(body), *CODE_NAME.findall(body)]
            if re.fullmatch(r"(['\"])[A-Za-z_][A-Za-z0-9_.]*\1", body):
                quoted.append(body)
            words.update(word for part in quoted for word in LATIN_WORD.findall(part))
    return words


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def solutions(notebook: Any) -> list[list[str]]:
    return [CODE_BLOCK.findall(cell.source) for cell in notebook.cells if tagged(cell, "solution")]


def glossary_rows(markdown: str) -> dict[str, tuple[str, str]]:
    """The rows of a three-column table (English | Arabic | Russian), by their English term."""
    rows = {}
    markdown = re.sub(r'<code dir="ltr">(.*?)</code>', lambda m: f"`{html.unescape(m.group(1))}`", markdown)
    markdown = re.sub(r'</?bdi[^>]*>', "", markdown)  # an Arabic table's left-to-right cells
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] not in ("English", "---"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def without_english_notes(term: str) -> str:
    """A glossary cell less its notes in English, "*(standard)*" or "(Ng's lecture says …)"; the texts' numbers stay."""
    return re.sub(r"\s*\*?\([^()]*[A-Za-z][^()]*\)\*?", "", term).strip()


def code_in_text(markdown: str) -> str:
    """The code and formulas a notebook's text quotes: its code blocks and code spans."""
    quoted = re.findall(r"```.*?```|<code[^>]*>.*?</code>|`[^`]*`", markdown, flags=re.S)
    return html.unescape(" ".join(quoted))


def prose(markdown: str) -> str:
    """What a reader reads as sentences: no code blocks or spans, no quotes in English, no HTML tags."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"<code[^>]*>.*?</code>|`[^`]*`", " ", text, flags=re.S)
    text = re.sub(r'<blockquote[^>]*lang="en"[^>]*>.*?</blockquote>', " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def shown_text(output: Any) -> str:
    """What an output shows as text: a stream, or a result's plain text (its HTML's text when it has HTML)."""
    if output.output_type == "stream":
        return str(output.text)
    data = output.get("data", {})
    if "text/html" in data:
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", data["text/html"], flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", " ", page))
    if "image/svg+xml" in data:
        return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", data["image/svg+xml"])))
    return str(data.get("text/plain", "")) if "image/png" not in data else ""


@pytest.mark.parametrize("path", TRANSLATED, ids=name)
def test_a_translated_notebook_runs_the_english_code_after_setting_its_language(path: Path) -> None:
    translated, original = (nbformat.read(p, as_version=4) for p in (path, english(path)))
    first, *code = code_cells(translated)
    language = path.parent.name
    assert re.fullmatch(rf'import autograd\n\nautograd\.set_language\("{language}"\)(  # .+)?', first.source)
    assert len(code) == len(code_cells(original)), f"{name(path)}: {len(code)} code cells after the first"
    for index, (cell, english_cell) in enumerate(zip(code, code_cells(original))):
        assert not differences_in_code(cell.source, english_cell.source, language), (index, cell.source)
    assert [cell.metadata.get("tags") for cell in code] == [cell.metadata.get("tags") for cell in code_cells(original)]
    assert solutions(translated) == solutions(original)  # the same answers and slips, word for word


@pytest.mark.parametrize("path", TRANSLATED, ids=name)
def test_a_translated_notebook_carries_the_glossary_in_the_source_texts_terms(path: Path) -> None:
    glossary = glossary_rows((FOLDER.parent / "docs" / "glossary.md").read_text(encoding="utf-8"))
    last = nbformat.read(path, as_version=4).cells[-1]
    rows = glossary_rows(last.source)
    assert set(rows) >= CORE_TERMS, sorted(CORE_TERMS - set(rows))
    for term, (arabic, russian) in rows.items():
        assert (arabic, russian) == tuple(map(without_english_notes, glossary[term])), term


@pytest.mark.parametrize("path", TRANSLATED, ids=name)
def test_a_translated_notebook_has_no_english_sentence_in_its_text_or_its_outputs(path: Path, run_id: str) -> None:
    executed = nbformat.read(execute(path, run=run_id), as_version=4)
    quoted = " ".join(code_in_text(cell.source) for cell in executed.cells if cell.cell_type == "markdown")
    code = set().union(*(words_in_code(cell.source) for cell in executed.cells if cell.cell_type == "code"))
    allowed = NAMES | set(OPERATIONS) | code | set(LATIN_WORD.findall(quoted))  # variables, labels, formulas
    language = path.parent.name
    for index, cell in enumerate(executed.cells[:-1]):  # the last is the glossary, with its English column
        texts = [prose(cell.source)] if cell.cell_type == "markdown" else list(map(shown_text, cell.outputs))
        for text in texts:
            words = {word for word in LATIN_WORD.findall(text) if len(word) > 1}
            assert words <= allowed, f"{name(path)}, cell {index}: {sorted(words - allowed)} in {text[:300]!r}"
        if cell.cell_type == "markdown":
            assert re.search(SCRIPTS[language], texts[0], re.I), f"{name(path)}, cell {index} is not in {language}"
    feedback = [output for cell in executed.cells if tagged(cell, "exercise") for output in cell.outputs]
    assert all(re.search(SCRIPTS[language], shown_text(output), re.I) for output in feedback)
