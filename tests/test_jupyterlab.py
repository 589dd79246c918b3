"""The backward player and drawings in a real JupyterLab, driven by headless Chromium.

A notebook that runs shows a player that plays (its keys stay out of the
notebook's way) and a drawing that fits; a notebook reopened without trust,
where JupyterLab runs no scripts, still shows the graph and every step as text.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import nbformat
import pytest
from browsing import SMALLEST_TEXT
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

pytest.importorskip("jupyterlab", reason="the JupyterLab tests need jupyterlab: pip install -e '.[test]'")

CELLS = [
    "from autograd.demo import lecture_neuron\nfrom autograd.viz import backward_player, draw_dot\n\n"
    "o = lecture_neuron()\nbackward_player(o)",
    "draw_dot(o)",
]


class Lab(NamedTuple):
    url: str  # the server's address, ending in /
    token: str
    folder: Path  # where its notebooks are


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Poll the server's status until it answers (or fail with its log if it died)."""
    waited = WebDriverWait(None, seconds, poll_frequency=0.2)

    def answers(_: Any) -> bool:
        assert server.poll() is None, "JupyterLab stopped while starting"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    waited.until(answers)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A JupyterLab server on loopback with a random token, all its state in a temporary folder."""
    folder = tmp_path_factory.mktemp("lab")
    state = tmp_path_factory.mktemp("lab-state")
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))  # no pop-up
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_DATA_DIR=str(state / "data"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        IPYTHONDIR=str(state / "ipython"),
    )
    token, port = secrets.token_hex(16), free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--allow-root",
    ]  # fmt: skip
    with (state / "server.log").open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(f"{url}api/status?token={token}", server)
        yield Lab(url, token, folder)
    finally:
        server.terminate()
        server.wait(timeout=30)



def notebook(path: Path, cells: list[str]) -> Path:
    book = new_notebook(cells=[new_code_cell(source) for source in cells])
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, path)
    return path


def open_notebook(browser: Any, lab: Lab, name: str) -> None:
    """Open a notebook in a workspace of its own (no other notebook's tab comes back with it), its kernel idle."""
    browser.set_window_size(1280, 900)
    browser.get(f"{lab.url}lab/workspaces/{name.removesuffix('.ipynb')}/tree/{name}?token={lab.token}")
    WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    )


def run_every_cell(browser: Any, cells: int) -> None:
    """Shift+Enter through the notebook's `cells` until each has started: on a busy machine the first keys
    can arrive before the notebook listens, and nothing runs (a cell run twice does no harm)."""
    prompts = (By.CSS_SELECTOR, ".jp-Notebook .jp-Cell .jp-InputArea-prompt")
    for _ in range(4):
        WebDriverWait(browser, 30).until(expected_conditions.element_to_be_clickable(prompts)).click()
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(*[Keys.ENTER] * cells).key_up(Keys.SHIFT).perform()
        try:
            WebDriverWait(browser, 20).until(
                lambda d: all(prompt.text.strip() != "[ ]:" for prompt in d.find_elements(*prompts)[:cells])
            )
            return
        except TimeoutException:
            continue
    shown = [prompt.text for prompt in browser.find_elements(*prompts)]
    raise AssertionError(f"the notebook's cells never started running: their prompts show {shown!r}")


def test_in_a_running_notebook_the_player_plays_and_the_drawing_fits(browser: Any, lab: Lab) -> None:
    notebook(lab.folder / "live.ipynb", CELLS)
    open_notebook(browser, lab, "live.ipynb")
    run_every_cell(browser, len(CELLS))

    caption = WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".autograd-player-caption"))
    assert caption[0].text == "Before the backward pass: every gradient is 0."
    browser.find_element(By.CSS_SELECTOR, '.autograd-player [data-action="next"]').click()
    WebDriverWait(browser, 10).until(lambda d: "the seed" in caption[0].text)
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()  # the player has the focus now
    WebDriverWait(browser, 10).until(lambda d: caption[0].text.startswith("Step 1 of 9: o sends its gradient"))
    assert browser.find_elements(By.CSS_SELECTOR, ".autograd-player-graph g.changed")
    active_cell = "return [...document.querySelectorAll('.jp-Cell')].findIndex(c => c.matches('.jp-mod-active'))"
    assert browser.execute_script(active_cell) == 0  # the arrow key moved the player, not the notebook

    drawing = WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-RenderedSVG img"))[0]
    assert 0 < drawing.rect["width"] <= 900 and drawing.rect["width"] == browser.execute_script(
        "return arguments[0].naturalWidth", drawing
    )  # shown at full scale, and it fits


def test_a_notebook_reopened_without_trust_shows_the_graph_and_every_step_as_text(browser: Any, lab: Lab) -> None:
    path = notebook(lab.folder / "untrusted.ipynb", CELLS[:1])
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=120, kernel_name="python3").execute()
    nbformat.write(book, path)  # saved outputs, never signed: JupyterLab will not trust them
    open_notebook(browser, lab, "untrusted.ipynb")

    output = WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"))[0]
    assert "jp-mod-trusted" not in (output.get_attribute("class") or "")
    assert output.find_elements(By.TAG_NAME, "button") == []  # its script did not run
    picture = output.find_element(By.CSS_SELECTOR, "img.autograd-player-picture")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return arguments[0].naturalWidth", picture) > 0)
    assert picture.rect["width"] > 300 and picture.rect["height"] > 100  # the graph, drawn
    text = output.text
    assert "Before the backward pass: every gradient is 0." in text
    assert "Step 6 of 9: x1w1 sends its gradient back through × to x1." in text
    assert "x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5 (was 0)" in text
    assert browser.execute_script(SMALLEST_TEXT, output) >= 10


def test_a_solution_stays_hidden_in_jupyterlab_until_opened(browser: Any, lab: Lab) -> None:
    course = nbformat.read(Path(__file__).parent.parent / "notebooks" / "01_values_and_graphs.ipynb", as_version=4)
    exercise = next(index for index, cell in enumerate(course.cells) if "exercise" in cell.metadata.get("tags", []))
    course.cells = course.cells[exercise - 1 : exercise + 2]  # the question, the exercise and its solution
    nbformat.write(course, lab.folder / "exercise.ipynb")
    open_notebook(browser, lab, "exercise.ipynb")

    solution = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-RenderedMarkdown details")
    )
    answer = solution[0].find_element(By.TAG_NAME, "pre")
    assert not answer.is_displayed()
    solution[0].find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(browser, 10).until(lambda _: answer.is_displayed())
    assert "prediction = 2 * (3 * 3 - 10) * 3" in answer.text


def test_a_slider_redraws_its_picture_in_jupyterlab(browser: Any, lab: Lab) -> None:
    cell = (
        "from autograd.course import explore\n\n\ndef show(w=2.0):\n    return f'w is {w:.1f}'\n\n\n"
        "explore(show, w=(0.0, 5.0, 0.5))"
    )
    notebook(lab.folder / "slider.ipynb", [cell])
    open_notebook(browser, lab, "slider.ipynb")
    run_every_cell(browser, 1)

    handle = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".widget-slider .ui-slider-handle, .widget-slider .noUi-handle")
    )[0]
    WebDriverWait(browser, 10).until(lambda d: "w is 2.0" in d.find_element(By.CSS_SELECTOR, ".jp-OutputArea").text)
    handle.click()
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    WebDriverWait(browser, 10).until(lambda d: "w is 2.5" in d.find_element(By.CSS_SELECTOR, ".jp-OutputArea").text)
