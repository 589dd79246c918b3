"""What a learner who reads Arabic or Russian meets: explanations, comparison tables, drawings and the player.

The player is checked in headless Chromium: the Arabic page reads right to left
while every formula keeps its mathematical order, and the arrow keys follow the
reading direction.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from autograd import OPERATIONS, Value, linear
from autograd.demo import lecture_neuron
from autograd.engine import topological_order
from autograd.explain import explain
from autograd.i18n import using_language
from autograd.lecture import SLIPS, l_layer, logistic_regression, seed_example, two_layer, two_layer_one_example
from autograd.viz import backward_player, draw_dot

SCRIPTS = {"ar": "[\u0600-\u06ff]", "ru": "[а-яё]"}
"""A letter of each language's script."""

FONT_MISSING = (
    "no font with {script} letters: drawings and pages in that language would show empty boxes. "
    "`make` installs Debian's fonts-noto-core where it can; see the README's section on languages"
)


def latin_words(text: str) -> set[str]:
    """The words of `text` written in Latin letters (names like x1w1 included)."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))


def every_kind_of_step() -> Value:
    """A graph whose backward pass meets every kind of explanation: labels, an unlabelled leaf, a choice
    (relu's 1 if … else 0), the output named in its own derivative, a sum of two paths, and a product."""
    x, w = Value(1.5, label="x"), Value(0.5, label="w")
    hidden = linear([w], [x], Value(0.5)).relu()  # the bias: an unlabelled leaf
    out = (hidden * x).tanh() + x.elu(1.0)
    out.label = "out"
    return out


@pytest.mark.parametrize("language", ["ar", "ru"])
def test_an_explanation_has_no_english_words_besides_labels_operation_names_and_code(language: str) -> None:
    root = every_kind_of_step()
    labels = {part for node in topological_order(root) if node.label for part in latin_words(node.label)}
    operations = {part for name in OPERATIONS for part in latin_words(name)}
    code = {"grad", "e"}  # the attribute `.grad` a learner types, and e in e^x
    with using_language(language):
        explanations = [str(explain(step)) for step in root.backward_steps()]
    assert len(explanations) == 11
    for text in explanations:
        assert latin_words(text) <= labels | operations | code, text
        assert re.search(SCRIPTS[language], text, re.IGNORECASE), f"no {language} word in {text!r}"
    joined = " ".join(explanations)
    words = {"ar": ("ورقة", "إذا", "وإلا", "كان", "وصار"), "ru": ("лист", "если", "иначе", "было", "стало")}
    for word in words[language]:  # [leaf], the choice's if and else, was and now
        assert word in joined


FORMULA_NAMES = {
    "A0", "A1", "A2", "D", "J", "L", "True", "W2", "X", "Y", "Z1", "a", "a1", "a2", "axis", "d", "dW", "dW1", "dW2",
    "dZ1", "dZ2", "da", "db", "db1", "db2", "dloss", "dw", "dz", "dz1", "dz2", "e", "g", "g1", "i", "j", "keepdims",
    "l", "l2_penalty", "loss", "m", "model", "n0", "n1", "n2", "sum", "t", "w", "x", "y", "z", "z1",
}  # fmt: skip
"""The names in the lecture's formulas (``sum(dZ2, axis=1, keepdims=True)`` among them)."""


@pytest.mark.parametrize("language", ["ar", "ru"])
def test_a_comparison_table_has_no_english_words_besides_formulas_and_code(language: str) -> None:
    allowed = FORMULA_NAMES | {"backward", "relu", "tanh"} | set(SLIPS)  # code: backward(), g1's and slips' names
    with using_language(language):
        comparisons = [seed_example(), logistic_regression(), two_layer_one_example(hidden="relu")]
        comparisons += [two_layer(hidden="tanh"), l_layer(), l_layer(slips=SLIPS)]
        for comparison in comparisons:
            for line in str(comparison).splitlines():
                assert latin_words(line) <= allowed, f"{sorted(latin_words(line) - allowed)} in {line!r}"
            assert re.search(SCRIPTS[language], comparison.verdict(), re.IGNORECASE)


def test_an_arabic_comparison_in_a_notebook_reads_right_to_left_with_formulas_left_to_right() -> None:
    with using_language("ar"):
        page = two_layer()._repr_html_()
    assert page.startswith('<div lang="ar" dir="rtl">')
    assert all('dir="ltr"' in cell for cell in re.findall(r"<td[^>]*>", page))  # names and numbers
    assert '<code dir="ltr">dW2 = (1/m)·dZ2·A1ᵀ   حيث dZ2 = A2 − Y</code>' in page
    assert "المحرك يعيد نتائج المحاضرة كما هي" in page


# ---- drawings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "script"), [("ar", "Arabic"), ("ru", "Cyrillic")])
def test_a_font_on_this_machine_has_the_languages_letters(language: str, script: str) -> None:
    if not shutil.which("fc-list"):
        pytest.skip("fontconfig's fc-list is not here to ask which fonts there are")
    families = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True).stdout
    assert families.strip(), FONT_MISSING.format(script=script)


@pytest.mark.parametrize(("language", "words"), [("ar", ["القيمة", "التدرج"]), ("ru", ["знач.", "град."])])
def test_a_drawing_writes_its_words_in_the_language(language: str, words: list[str], tmp_path: Path) -> None:
    o = lecture_neuron()
    o.backward()
    with using_language(language):
        drawing = draw_dot(o)
    svg = ET.fromstring(drawing.pipe(format="svg"))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count(words[0]) == texts.count(words[1]) == 10  # in every value's box
    assert "data" not in texts and "grad" not in texts
    assert drawing.write(tmp_path / "neuron.png").stat().st_size > 10_000


def test_an_arabic_note_in_a_drawing_starts_on_the_right() -> None:
    x = Value(0.0, label="x")
    for k in range(30):
        x = (x * 1.1).tanh()
        x.label = f"layer{k}.neuron0.out"
    with using_language("ar"):
        source = draw_dot(x, max_nodes=40).source
    assert "labeljust=r" in source and '<BR ALIGN="RIGHT"/>' in source and "عدد القيم 61" in source


# ---- the player in Chromium ---------------------------------------------------------------------



@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The lecture neuron's player saved in Arabic and in Russian: their URLs."""
    folder = tmp_path_factory.mktemp("players")
    urls = {}
    for language in ("ar", "ru"):
        with using_language(language):
            urls[language] = backward_player(lecture_neuron()).save(folder / f"{language}.html").as_uri()
    return urls


def frame(driver: Any) -> int:
    """The frame on show, once its drawing is in place."""

    def shown(driver: Any) -> list[int] | None:  # a list: frame 0 is falsy, and the wait would go on
        found: list[int] | None = driver.execute_script(
            """const items = [...document.querySelectorAll(".autograd-player-steps li")];
               const frame = items.findIndex(li => li.hasAttribute("aria-current"));
               const svg = document.querySelector(".autograd-player-graph svg");
               return svg && +svg.dataset.frame === frame ? [frame] : null;"""
        )
        return found

    (result,) = WebDriverWait(driver, 10).until(shown)
    return int(result)


def press(driver: Any, *keys: str) -> None:
    for key in keys:
        ActionChains(driver).send_keys(key).perform()


SPANS = """
// Where each of `terms` lies on the screen, in the order the terms come in the element's text:
// [left, right] of each, found one after the other.
const [element, terms] = arguments;
const text = element.textContent;
const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
const nodes = [];
while (walker.nextNode()) nodes.push(walker.currentNode);
let from = 0;
return terms.map(term => {
  const at = text.indexOf(term, from);
  from = at + term.length;
  let offset = 0, range = document.createRange(), started = false;
  for (const node of nodes) {
    const end = offset + node.data.length;
    if (!started && at < end) { range.setStart(node, at - offset); started = true; }
    if (started && at + term.length <= end) { range.setEnd(node, at + term.length - offset); break; }
    offset = end;
  }
  const box = range.getBoundingClientRect();
  return [box.left, box.right];
});
"""


def left_to_right(spans: list[list[float]]) -> bool:
    return all(a[1] <= b[0] + 0.5 for a, b in itertools.pairwise(spans))


def test_the_arabic_player_reads_right_to_left_and_its_formulas_left_to_right(
    browser: Any, pages: dict[str, str], tmp_path: Path
) -> None:
    browser.get(pages["ar"])
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    player = browser.find_element(By.CSS_SELECTOR, ".autograd-player")
    assert (player.get_attribute("lang"), player.get_attribute("dir")) == ("ar", "rtl")
    press(browser, *[Keys.ARROW_LEFT] * 7)  # step 6: x1w1 sends its gradient back through × to x1
    assert frame(browser) == 7
    caption = browser.find_element(By.CSS_SELECTOR, ".autograd-player-caption")
    what, derivative, chain_rule = caption.text.splitlines()
    assert what == "الخطوة 6 من 9: ترسل العقدة x1w1 تدرجها إلى الخلف عبر × إلى x1."
    assert derivative == "∂x1w1/∂x1 = w1 = −3"
    assert chain_rule == "x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5 (كان 0)"

    first, chain = caption.find_elements(By.CSS_SELECTOR, ".autograd-player-formula")
    terms = ["∂x1w1/∂x1", "=", "w1", "=", "−", "3"]
    assert left_to_right(browser.execute_script(SPANS, first, terms)), "the derivative is not in its order"
    terms = ["x1.grad", "+=", "∂x1w1/∂x1", "×", "x1w1.grad", "=", "(−3)", "×", "0.5", "=", "−", "1.5"]
    assert left_to_right(browser.execute_script(SPANS, chain, terms)), "the chain rule is not in its order"
    note = caption.find_element(By.CSS_SELECTOR, ".autograd-player-note")
    assert note.rect["x"] + note.rect["width"] <= chain.rect["x"], "the note does not follow the formula leftwards"
    words = caption.find_element(By.CSS_SELECTOR, ".autograd-player-what")
    step, of = browser.execute_script(SPANS, words, ["الخطوة", "من"])
    assert of[1] <= step[0], "the caption's words do not read right to left"

    changed = browser.find_element(By.CSS_SELECTOR, ".autograd-player-graph g.changed")
    assert changed.text.split() == ["x1", "القيمة", "2", "التدرج", "−1.5"]
    minus, number = browser.execute_script(SPANS, changed, ["−", "1.5"])
    assert minus[1] <= number[0] + 0.5, "a number in the drawing lost its minus to the right"
    buttons = browser.find_elements(By.CSS_SELECTOR, ".autograd-player-controls button")
    assert [b.get_attribute("data-action") for b in sorted(buttons, key=lambda b: -b.rect["x"])] == [
        "first", "previous", "play", "next", "last",
    ]  # fmt: skip
    browser.save_screenshot(str(tmp_path / "player_ar.png"))


def test_the_arabic_players_arrow_keys_follow_the_reading_direction_and_say_so(
    browser: Any, pages: dict[str, str]
) -> None:
    browser.get(pages["ar"])
    assert frame(browser) == 0
    press(browser, Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    assert frame(browser) == 2
    press(browser, Keys.ARROW_RIGHT)
    assert frame(browser) == 1
    press(browser, Keys.END, Keys.ARROW_LEFT)
    assert frame(browser) == 10
    foot = browser.find_element(By.CSS_SELECTOR, ".autograd-player-foot").text
    assert "← للخطوة التالية و→ للسابقة" in foot


def test_the_russian_player_speaks_russian_and_fits_the_window(browser: Any, pages: dict[str, str]) -> None:
    browser.get(pages["ru"])
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    press(browser, Keys.ARROW_RIGHT)
    assert frame(browser) == 1
    caption = browser.find_element(By.CSS_SELECTOR, ".autograd-player-caption").text
    assert caption.splitlines()[0] == (
        "Шаг 0 из 9, начальный градиент: обратный проход начинается с o, его градиент равен 1."
    )
    page = browser.find_element(By.TAG_NAME, "body").text
    for words in ("Обратный проход, шаг за шагом", "вперёд", "Клавиши: ← → — шаг назад и вперёд", "Все шаги"):
        assert words in page
    assert not latin_words(page) & {"the", "step", "Step", "gradient", "Keys", "first", "next", "All", "steps"}
    svg = browser.find_element(By.CSS_SELECTOR, ".autograd-player-graph svg")
    assert svg.rect["width"] <= 1000
