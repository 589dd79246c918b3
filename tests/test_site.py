"""The course as a static site, read in headless Chromium: every picture there, the players playing,
the solutions hidden until opened, and nothing loaded from the network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from autograd.course.site import NOTEBOOKS, TRANSLATIONS, build, notebooks

pytest.importorskip("myst_nb", reason="the site is built with MyST-NB: pip install -e '.[site]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, run_id: str) -> Path:
    """The site, built from this test run's executed notebooks (shared with the notebook tests)."""
    return build(tmp_path_factory.mktemp("course") / "site", run=run_id).parent



@pytest.fixture
def browser(browser: Any) -> Any:
    """conftest's Chromium, in a window wide enough for the site's three columns."""
    browser.set_window_size(1300, 900)
    return browser


def requested(browser: Any) -> set[str]:
    """Every address the pages asked for since the last call, but data: and the browser's own."""
    messages = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    addresses = {m["params"]["request"]["url"] for m in messages if m["method"] == "Network.requestWillBeSent"}
    return {address for address in addresses if not address.startswith(("chrome:", "data:", "blob:"))}


def test_every_notebook_has_a_page_and_the_index_links_them_all(site: Path, browser: Any) -> None:
    browser.get((site / "index.html").as_uri())
    links = {link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, ".toctree-wrapper a")}
    pages = {(site / "notebooks" / f"{notebook.stem}.html").as_uri() for notebook in notebooks()}
    assert pages <= links


def test_a_page_loads_nothing_from_the_network_and_its_player_plays(site: Path, browser: Any) -> None:
    browser.get_log("performance")
    browser.get((site / "notebooks" / "02_backward_step_by_step.html").as_uri())
    player = browser.find_element(By.CSS_SELECTOR, ".autograd-player")
    browser.execute_script("arguments[0].scrollIntoView()", player)
    caption = player.find_element(By.CSS_SELECTOR, ".autograd-player-caption")
    assert caption.text == "Before the backward pass: every gradient is 0."
    player.find_element(By.CSS_SELECTOR, '[data-action="next"]').click()
    WebDriverWait(browser, 10).until(lambda _: "the seed" in caption.text)
    player.find_element(By.CSS_SELECTOR, '[data-action="next"]').click()
    WebDriverWait(browser, 10).until(lambda _: caption.text.startswith("Step 1 of 9: o sends its gradient"))
    assert all(address.startswith("file://") for address in requested(browser))


def test_the_matrix_lessons_show_their_pictures(site: Path, browser: Any) -> None:
    for page, pictures in (("04_two_layer_network", 4), ("05_l_layer_algorithm", 5)):
        browser.get((site / "notebooks" / f"{page}.html").as_uri())
        images = browser.find_elements(By.CSS_SELECTOR, ".cell_output img")
        assert len(images) >= pictures, page
        assert all(browser.execute_script("return arguments[0].naturalWidth", image) > 0 for image in images)


def test_solutions_are_hidden_until_opened(site: Path, browser: Any) -> None:
    browser.get((site / "notebooks" / "01_values_and_graphs.html").as_uri())
    solution = browser.find_element(By.CSS_SELECTOR, "details")
    answer = solution.find_element(By.CSS_SELECTOR, "pre")
    assert solution.find_element(By.TAG_NAME, "summary").text == "Solution"
    assert not answer.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView()", solution)
    solution.find_element(By.TAG_NAME, "summary").click()
    assert answer.is_displayed() and "prediction = 2 * (3 * 3 - 10) * 3" in answer.text


def test_an_exercise_shows_it_waits_and_a_slider_cell_says_what_to_do(site: Path, browser: Any) -> None:
    browser.get((site / "notebooks" / "01_values_and_graphs.html").as_uri())
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Not answered yet." in text
    assert "change the default in the def line" in text


# ---- the translated course -----------------------------------------------------------------------


def test_the_index_links_a_site_in_each_translation_with_its_notebooks_and_its_words(
    site: Path, browser: Any
) -> None:
    browser.get((site / "index.html").as_uri())
    links = {link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, "a[lang]")}
    assert {(site / language / "index.html").as_uri() for language in TRANSLATIONS} <= links
    search = {"ar": "بحث", "ru": "Поиск"}
    for language in TRANSLATIONS:
        browser.get((site / language / "index.html").as_uri())
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        links = {link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, ".toctree-wrapper a")}
        folder = site / language / "notebooks"
        assert links == {(folder / f"{notebook.stem}.html").as_uri() for notebook in notebooks(NOTEBOOKS / language)}
        assert search[language] in browser.find_element(By.TAG_NAME, "body").text
        assert "Copyright" not in browser.find_element(By.TAG_NAME, "body").text


NEGATIVE_NUMBERS = """
// For each code span that starts with a minus sign: whether the sign stands left of the first digit.
return [...document.querySelectorAll("article code")].filter(code => /^−\\d/.test(code.textContent)).map(code => {
  const range = document.createRange(), text = code.firstChild;
  range.setStart(text, 0); range.setEnd(text, 1);
  const minus = range.getBoundingClientRect();
  range.setStart(text, 1); range.setEnd(text, 2);
  return minus.right <= range.getBoundingClientRect().left + 0.5;
});
"""


def test_an_arabic_page_reads_right_to_left_with_its_formulas_left_to_right(site: Path, browser: Any) -> None:
    browser.get((site / "ar" / "notebooks" / "01_values_and_graphs.html").as_uri())
    paragraph = browser.find_element(By.CSS_SELECTOR, 'article div[dir="rtl"] p')
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", paragraph) == "rtl"
    assert browser.execute_script("return getComputedStyle(arguments[0]).textAlign", paragraph) == "right"
    signs = browser.execute_script(NEGATIVE_NUMBERS)
    assert len(signs) >= 5 and all(signs), "a negative number in an Arabic sentence lost its minus to the right"
    code = browser.find_element(By.CSS_SELECTOR, "article div.cell_input pre")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", code) == "ltr"
    feedback = browser.find_element(By.CSS_SELECTOR, ".autograd-feedback").text
    assert feedback.startswith("✎ لم تُجب بعد.")
