"""autograd.viz: drawings checked in the SVG the real `dot` renders, the player in a real headless browser."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import graphviz
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from autograd import Value, linear
from autograd.explain import explain
from autograd.nn import MLP, mse_loss
from autograd.viz import GraphvizNotFound, backward_player, draw_dot

SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
Box = tuple[float, float, float, float]


# ---- reading the SVG ------------------------------------------------------------------


def rendered(drawing: graphviz.Digraph) -> ET.Element:
    return ET.fromstring(drawing.pipe(format="svg"))


def groups(svg: ET.Element, kind: str) -> list[ET.Element]:
    """The <g> elements of one kind ('node', 'edge', 'cluster', 'constant', 'highlight', …)."""
    return [g for g in svg.iter(f"{SVG}g") if kind in g.get("class", "").split()]


def title(g: ET.Element) -> str:
    element = g.find(f"{SVG}title")
    assert element is not None and element.text is not None
    return element.text


def texts(g: ET.Element) -> list[str]:
    return [t.text or "" for t in g.iter(f"{SVG}text")]


def node_showing(svg: ET.Element, text: str) -> ET.Element:
    """The one node with `text` among its texts."""
    found = [g for g in groups(svg, "node") if text in texts(g)]
    assert len(found) == 1, f"{len(found)} nodes show {text!r}"
    return found[0]


def edges_from(svg: ET.Element, tail: ET.Element) -> list[ET.Element]:
    return [g for g in groups(svg, "edge") if title(g).startswith(f"{title(tail)}->")]


def edges_into(svg: ET.Element, head: ET.Element) -> list[ET.Element]:
    return [g for g in groups(svg, "edge") if title(g).endswith(f"->{title(head)}")]


def with_tooltip(svg: ET.Element, kind: str, tooltip: str) -> ET.Element:
    """The node or cluster whose tooltip (the full dotted label) is `tooltip`."""
    found = [g for g in groups(svg, kind) if any(a.get(XLINK_TITLE) == tooltip for a in g.iter(f"{SVG}a"))]
    assert len(found) == 1, f"{len(found)} {kind}s have tooltip {tooltip!r}"
    return found[0]


def bounds(g: ET.Element) -> Box:
    """(left, top, right, bottom) of the shapes in `g`."""
    numbers: list[float] = []
    for shape in g.iter():
        for attribute in ("points", "d"):
            numbers += [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get(attribute, ""))]
        if shape.tag == f"{SVG}ellipse":
            cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
            numbers += [cx - rx, cy - ry, cx + rx, cy + ry]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def inside(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def centre(g: ET.Element) -> tuple[float, float]:
    left, top, right, bottom = bounds(g)
    return (left + right) / 2, (top + bottom) / 2


# ---- graphs to draw ---------------------------------------------------------------------


def lecture() -> tuple[Value, Value, Value]:
    """loss = (w·x − 10)², the README's example: dloss/dw = −24."""
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    loss = (w * x - 10) ** 2
    loss.label = "loss"
    return w, x, loss


def tiny_net() -> Value:
    """A 2-2-1 network of `linear` + relu, labelled as autograd.nn labels its parameters."""
    x = [Value(0.5, label="x0"), Value(-1.5, label="x1")]

    def neuron(name: str, inputs: list[Value], weights: list[float], relu: bool) -> Value:
        w = [Value(wk, label=f"{name}.w{k}") for k, wk in enumerate(weights)]
        out = linear(w, inputs, Value(0.1, label=f"{name}.b"))
        out = out.relu() if relu else out
        out.label = f"{name}.out"
        return out

    hidden = [neuron("layer0.neuron0", x, [0.3, -0.2], True), neuron("layer0.neuron1", x, [-0.4, 0.6], True)]
    prediction = neuron("layer1.neuron0", hidden, [0.7, -0.5], False)
    return (prediction - 1.0) ** 2


# ---- value nodes, operations, edges and constants -------------------------------------------


def test_a_value_shows_its_label_data_and_grad_and_each_operation_is_a_node() -> None:
    _, _, loss = lecture()
    loss.backward()
    svg = rendered(draw_dot(loss))
    assert texts(node_showing(svg, "w")) == ["w", "data 2.0000", "grad -24.0000"]
    assert texts(node_showing(svg, "loss")) == ["loss", "data 16.0000", "grad 1.0000"]
    assert texts(node_showing(svg, "data 6.0000")) == ["data 6.0000", "grad -8.0000"]  # w·x: unlabelled
    for op in ("*", "-", "**"):
        assert len(edges_from(svg, node_showing(svg, op))) == 1  # into the value it makes
    assert len(groups(svg, "node")) == 5 + 3 + 2  # values, operations, constants (10 and 2)
    assert len(groups(svg, "constant")) == 2


@pytest.mark.parametrize(
    ("expression", "occurrences"),
    [
        (lambda a, b: a + a, 2),
        (lambda a, b: a * a * a, 3),
        (lambda a, b: a**a, 2),
        (lambda a, b: (a + a).relu() * a, 3),
        (lambda a, b: linear([a, a], [a, b], a), 4),
    ],
    ids=["a+a", "a*a*a", "a**a", "relu(a+a)*a", "linear"],
)
def test_every_input_occurrence_is_its_own_edge(expression: Callable[[Value, Value], Value], occurrences: int) -> None:
    a, b = Value(1.5, label="a"), Value(0.5, label="b")
    svg = rendered(draw_dot(expression(a, b)))
    assert len(edges_from(svg, node_showing(svg, "a"))) == occurrences


def test_constants_are_small_boxes_of_their_own_not_values() -> None:
    a = Value(2.0, label="a")
    svg = rendered(draw_dot((3 * a + 3).leaky_relu(0.1) ** 2))
    constants = groups(svg, "constant")
    assert sorted(text for g in constants for text in texts(g)) == ["0.1", "2", "3", "3"]  # one box per occurrence
    for constant in constants:
        (edge,) = edges_from(svg, constant)
        assert "stroke-dasharray" in ET.tostring(edge, encoding="unicode")
    assert not any("data" in text for g in constants for text in texts(g))


def test_edge_labels_show_the_local_derivative() -> None:
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    svg = rendered(draw_dot(w * x, edge_labels=True))
    (from_w,) = edges_from(svg, node_showing(svg, "w"))
    (from_x,) = edges_from(svg, node_showing(svg, "x"))
    assert texts(from_w) == ["3.0000"]  # d(w·x)/dw = x
    assert texts(from_x) == ["2.0000"]
    assert texts(edges_from(rendered(draw_dot(w * x)), node_showing(svg, "w"))[0]) == []


HOSTILE_LABELS = [
    '<script>alert("hi")</script>',
    '<img src="http://example.invalid/x.png">',
    "{a|b} <b>bold?</b> & &amp; ]]>",
    "back\\slash \\N \\n 'single' \"double\"",
    "tab\there",
    "x.<y>",
]


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_labels_are_drawn_as_literal_text(label: str) -> None:
    a = Value(1.0, label=label)
    svg = rendered(draw_dot(a.tanh()))
    expected = label.replace("\t", "\\t")  # a control character is shown as its escape
    assert expected in [text for g in groups(svg, "node") for text in texts(g)]
    allowed = {"svg", "g", "title", "polygon", "path", "ellipse", "text", "a", "polyline"}
    assert {element.tag.removeprefix(SVG) for element in svg.iter()} <= allowed


def test_svg_png_and_render_to_a_file(tmp_path: Path) -> None:
    _, _, loss = lecture()
    assert draw_dot(loss).pipe().startswith(b"<?xml")
    assert "data 16.0000" in draw_dot(loss)._repr_mimebundle_()["image/svg+xml"]  # what Jupyter shows
    png = b"\x89PNG\r\n\x1a\n"
    assert draw_dot(loss, format="png").pipe().startswith(png)
    written = Path(draw_dot(loss, format="png").render(tmp_path / "graph"))
    assert written == tmp_path / "graph.png"
    assert written.read_bytes().startswith(png)


def test_rankdir_puts_inputs_left_or_on_top() -> None:
    _, _, loss = lecture()
    for rankdir, axis in (("LR", 0), ("TB", 1)):
        svg = rendered(draw_dot(loss, rankdir=rankdir))
        assert centre(node_showing(svg, "w"))[axis] < centre(node_showing(svg, "loss"))[axis] - 100
    with pytest.raises(ValueError, match="rankdir must be one of LR, TB, got 'RL'"):
        draw_dot(loss, rankdir="RL")


# ---- clusters and collapsing ------------------------------------------------------------


def test_dotted_labels_make_nested_clusters_and_unlabelled_nodes_join_their_users() -> None:
    loss = tiny_net()
    svg = rendered(draw_dot(loss))
    neurons = {"layer0.neuron0": 7, "layer0.neuron1": 7, "layer1.neuron0": 5}  # w0 w1 b linear (sum) [relu out] out
    for path, members in neurons.items():
        neuron = bounds(with_tooltip(svg, "cluster", path))
        assert inside(neuron, bounds(with_tooltip(svg, "cluster", path.split(".")[0])))
        for name in ("w0", "w1", "b", "out"):
            node = with_tooltip(svg, "node", f"{path}.{name}")
            assert texts(node)[0] == name  # the last part of the label is shown
            assert inside(bounds(node), neuron)
        assert sum(inside(bounds(g), neuron) for g in groups(svg, "node")) == members
    clusters = [bounds(g) for g in groups(svg, "cluster")]
    error = loss.parents[0]  # prediction − 1: unlabelled, used by no neuron
    for outside in ("x0", "x1", f"data {error.data:.4f}", f"data {loss.data:.4f}"):
        assert not any(inside(bounds(node_showing(svg, outside)), c) for c in clusters)


def test_a_node_used_by_two_clusters_and_labels_that_are_not_dotted_paths_stay_outside() -> None:
    shared = Value(2.0, label="a") * Value(3.0, label="3.5")  # unlabelled, used by both p and q
    p, q = shared + Value(1.0, label="p.w"), shared * Value(2.0, label="q.w")
    p.label, q.label = "p.out", "q.out"
    svg = rendered(draw_dot((p + q).exp()))
    assert {title(g) for g in groups(svg, "cluster")} == {"cluster_1", "cluster_2"}
    clusters = [bounds(g) for g in groups(svg, "cluster")]
    for outside in ("data 6.0000", "3.5", "a"):
        assert not any(inside(bounds(node_showing(svg, outside)), c) for c in clusters)


def test_collapse_draws_each_neuron_as_one_box_with_edges_from_its_inputs() -> None:
    loss = tiny_net()
    loss.backward()
    svg = rendered(draw_dot(loss, collapse=True))
    boxes = {texts(g)[0]: g for g in groups(svg, "collapsed")}
    assert len(groups(svg, "collapsed")) == 3 and set(boxes) == {"neuron0", "neuron1"}
    assert not any(text in ("w0", "b", "linear") for g in groups(svg, "node") for text in texts(g))
    layer0 = [with_tooltip(svg, "collapsed", f"layer0.neuron{j}") for j in (0, 1)]
    last = with_tooltip(svg, "collapsed", "layer1.neuron0")
    for box in layer0:
        assert sorted(title(e).split("->")[0] for e in edges_into(svg, box)) == sorted(
            title(node_showing(svg, x)) for x in ("x0", "x1")
        )
    assert sorted(title(e).split("->")[0] for e in edges_into(svg, last)) == sorted(title(box) for box in layer0)
    prediction = loss.parents[0].parents[0]  # layer1.neuron0.out
    assert texts(last) == ["neuron0", f"data {prediction.data:.4f}", f"grad {prediction.grad:.4f}"]


def test_too_many_nodes_is_refused_with_advice() -> None:
    v = Value(0.0, label="x")
    for _ in range(30):
        v = v.sin()
    with pytest.raises(ValueError, match=r"31 value nodes, more than max_nodes=20") as refused:
        draw_dot(v, max_nodes=20)
    assert "collapse=True" in str(refused.value) and "draw_dot(v)" in str(refused.value)
    loss = tiny_net()
    with pytest.raises(ValueError, match="max_nodes=8"):
        draw_dot(loss, max_nodes=8)
    draw_dot(loss, max_nodes=8, collapse=True)  # 3 neurons, 2 inputs and 2 values of the loss


def test_an_mlp_from_autograd_nn_is_clustered_by_layer_and_neuron() -> None:
    model = MLP(2, [4, 4, 1], seed=0)
    loss = mse_loss(model([Value(0.5, label="x0"), Value(-1.0, label="x1")]), 1.0)
    svg = rendered(draw_dot(loss))
    assert len(groups(svg, "cluster")) == 3 + 9
    for p in model.parameters():
        layer, neuron, _ = p.label.split(".")
        assert inside(
            bounds(with_tooltip(svg, "node", p.label)), bounds(with_tooltip(svg, "cluster", f"{layer}.{neuron}"))
        )
    assert len(groups(rendered(draw_dot(loss, collapse=True)), "collapsed")) == 9


# ---- highlighting a backward step ----------------------------------------------------------


def highlighted_edge(svg: ET.Element) -> ET.Element:
    (edge,) = [g for g in groups(svg, "edge") if "highlight" in g.get("class", "") and "_edge" in g.get("id", "")]
    return edge


def test_highlight_marks_the_exact_occurrence_of_a_repeated_input() -> None:
    a = Value(2.0, label="a")
    total = a + a
    marked = []
    for step in total.backward_steps():
        svg = rendered(draw_dot(total, highlight=step))
        if step.is_seed:  # the root alone
            assert [texts(g) for g in groups(svg, "highlight")] == [["data 4.0000", "grad 1.0000"]]
            continue
        edge = highlighted_edge(svg)
        assert edge in edges_from(svg, node_showing(svg, "a"))
        marked_nodes = {title(g) for g in groups(svg, "node") if "highlight" in g.get("class", "")}
        assert marked_nodes == {title(node_showing(svg, shown)) for shown in ("a", "+", "data 4.0000")}
        marked.append(edge.get("id"))
    assert len(set(marked)) == 2


@pytest.mark.parametrize(
    "expression",
    [lambda a: a**a, lambda a: linear([a], [2.5], a)],  # linear's inputs: (a, 2.5, a), a constant between
    ids=["a**a", "linear"],
)
def test_highlight_follows_the_step_edge_to_the_input_position(expression: Callable[[Value], Value]) -> None:
    a = Value(2.0, label="a")
    root = expression(a)
    steps = [step for step in root.backward_steps() if not step.is_seed]
    assert len({step.local_grad for step in steps}) == 2  # so the edge labels tell the occurrences apart
    for step in steps:
        svg = rendered(draw_dot(root, highlight=step, edge_labels=True))
        assert texts(highlighted_edge(svg)) == [f"{step.local_grad:.4f}"]


def test_highlight_in_a_collapsed_drawing_marks_the_boxes() -> None:
    loss = tiny_net()
    checked = []
    for step in loss.backward_steps():
        if step.input.label in ("layer0.neuron1.out", "layer0.neuron1.w0"):
            checked.append(step.input.label)
            svg = rendered(draw_dot(loss, highlight=step, collapse=True))
            source = with_tooltip(svg, "collapsed", "layer0.neuron1")
            marked = {title(g) for g in groups(svg, "collapsed") if "highlight" in g.get("class", "")}
            if step.input.label.endswith("out"):  # from one neuron into the next: an edge between two boxes
                assert highlighted_edge(svg) in edges_from(svg, source)
                assert marked == {title(source), title(with_tooltip(svg, "collapsed", "layer1.neuron0"))}
            else:  # inside a neuron: its box
                assert not any("_edge" in g.get("id", "") for g in groups(svg, "highlight"))
                assert marked == {title(source)}
    assert sorted(checked) == ["layer0.neuron1.out", "layer0.neuron1.w0"]


def test_a_lone_value_is_one_node() -> None:
    svg = rendered(draw_dot(Value(1.5, label="x")))
    assert [texts(g) for g in groups(svg, "node")] == [["x", "data 1.5000", "grad 0.0000"]]
    assert groups(svg, "edge") == []
    assert "step 0 of 1" in backward_player(Value(1.5)).html  # the seed alone


def test_a_drawing_midway_shows_the_gradients_known_so_far() -> None:
    _, _, loss = lecture()
    steps = loss.backward_steps()
    first = next(steps)
    svg = rendered(draw_dot(loss, highlight=first))
    assert texts(node_showing(svg, "loss"))[2] == "grad 1.0000"
    assert texts(node_showing(svg, "w"))[2] == "grad 0.0000"
    for _ in steps:
        pass
    assert texts(node_showing(rendered(draw_dot(loss)), "w"))[2] == "grad -24.0000"


def test_a_step_of_another_graph_is_refused() -> None:
    other = Value(1.0) * 2
    step = next(other.backward_steps())
    with pytest.raises(ValueError, match="not in this graph"):
        draw_dot(lecture()[2], highlight=step)


# ---- without Graphviz's dot ---------------------------------------------------------------


def test_without_dot_rendering_says_how_to_install_it_and_the_source_still_works(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    w, _, loss = lecture()
    drawing = draw_dot(loss)
    assert "data 2.0000" in drawing.source
    for render in (drawing.pipe, lambda: drawing.render(tmp_path / "g"), drawing._repr_mimebundle_):
        with pytest.raises(GraphvizNotFound) as missing:
            render()
        assert isinstance(missing.value, graphviz.ExecutableNotFound)
        for command in (
            "sudo apt-get install graphviz",
            "brew install graphviz",
            "conda install -c conda-forge graphviz",
        ):
            assert command in str(missing.value)
    with pytest.raises(GraphvizNotFound):
        backward_player(loss)
    assert w.grad == 0  # refused before the backward pass


# ---- the backward player ----------------------------------------------------------------


def frames(page: str) -> list[str]:
    return re.findall(r'<figure class="autograd-player-frame" data-step="(\d+)"', page)


def test_the_player_has_a_frame_per_step_and_leaves_the_gradients_of_backward() -> None:
    w, x, loss = lecture()
    expected = [str(explain(step)) for step in lecture()[2].backward_steps()]
    loss.backward()  # gradients left from before do not show in (or add to) the player's pass
    player = backward_player(loss)
    assert (w.grad, x.grad, loss.grad) == (-24.0, -16.0, 1.0)
    page = player._repr_html_()
    assert frames(page) == [str(i) for i in range(len(expected) + 1)]
    assert f"step 0 of {len(expected)}" in page
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions[1:] == [html.escape(text) for text in expected]


def test_repr_html_is_the_saved_self_contained_player(tmp_path: Path) -> None:
    player = backward_player(lecture()[2])
    page = player.save(tmp_path / "player.html").read_text(encoding="utf-8")
    assert player._repr_html_() in page
    assert not re.search(r"\b(src|href)\s*=", page)  # nothing to fetch
    ids = [re.search(r'id="(autograd-player-\w+)"', backward_player(lecture()[2]).html) for _ in range(2)]
    assert ids[0] and ids[1] and ids[0][1] != ids[1][1]  # two players in one notebook do not clash


# ---- the player in a real browser ---------------------------------------------------------

CHROMIUM_MISSING = (
    "Chromium and chromedriver are needed for the browser tests of the player: "
    "`sudo apt-get install chromium chromium-driver` on Debian/Ubuntu (`make test` does it when it can)"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, logging every network request."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.skip(CHROMIUM_MISSING)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


def hostile_graph() -> Value:
    """A graph whose labels try to inject markup and a network request."""
    a, b = Value(2.0, label=HOSTILE_LABELS[1]), Value(-3.0, label=HOSTILE_LABELS[0])
    return a * b + a


class PlayerPages(NamedTuple):
    saved: str  # URL of the page `save` writes
    embedded: str  # URL of a bare page holding `_repr_html_()`, as a notebook would (no security policy)
    explanations: list[str]  # each step's


@pytest.fixture(scope="module")
def player_pages(tmp_path_factory: pytest.TempPathFactory) -> PlayerPages:
    """A player of `hostile_graph`, saved and embedded."""
    folder = tmp_path_factory.mktemp("player")
    player = backward_player(hostile_graph())
    embedded = folder / "embedded.html"
    embedded.write_text(f"<!DOCTYPE html><html><body>{player._repr_html_()}</body></html>", encoding="utf-8")
    explanations = [str(explain(step)) for step in hostile_graph().backward_steps()]
    return PlayerPages(player.save(folder / "saved.html").as_uri(), embedded.as_uri(), explanations)


def shown(driver: Any) -> tuple[str, str, str | None]:
    """The counter, the step of the frame on show, and the id of the edge it highlights."""
    frame = driver.find_element(By.CSS_SELECTOR, ".autograd-player-frame:not([hidden])")
    edges = frame.find_elements(By.CSS_SELECTOR, "g.edge.highlight[id*='_edge']")
    assert len(edges) <= 1
    counter = driver.find_element(By.CLASS_NAME, "autograd-player-counter").text
    return counter, frame.get_attribute("data-step"), edges[0].get_attribute("id") if edges else None


def press(driver: Any, button: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'[data-action="{button}"]').click()


def test_the_player_steps_with_buttons_and_arrow_keys(browser: Any, player_pages: PlayerPages) -> None:
    explanations = player_pages.explanations
    total = len(explanations)
    browser.get(player_pages.saved)
    assert shown(browser) == (f"step 0 of {total}", "0", None)
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()  # the saved page focuses its player
    assert shown(browser) == (f"step 1 of {total}", "1", None)  # the seed: the root alone, no edge yet
    caption = browser.find_element(By.CSS_SELECTOR, ".autograd-player-frame:not([hidden]) figcaption")
    assert caption.text == explanations[0]
    press(browser, "next")
    counter, step, first_edge = shown(browser)
    assert (counter, step) == (f"step 2 of {total}", "2") and first_edge is not None
    press(browser, "next")
    counter, step, second_edge = shown(browser)
    assert (counter, step) == (f"step 3 of {total}", "3") and second_edge not in (None, first_edge)
    press(browser, "previous")
    assert shown(browser) == (f"step 2 of {total}", "2", first_edge)
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    assert shown(browser) == (f"step 3 of {total}", "3", second_edge)
    ActionChains(browser).send_keys(*[Keys.ARROW_LEFT] * 4).perform()
    assert shown(browser) == (f"step 0 of {total}", "0", None)  # and no further than the start


def test_the_player_plays_and_pauses(browser: Any, tmp_path: Path) -> None:
    y = Value(1.0, label="x")
    for _ in range(30):  # 30 steps of 0.9 s: it cannot reach the end, and stop by itself, while the test runs
        y = y * 1.01
    browser.get(backward_player(y).save(tmp_path / "long.html").as_uri())
    play = browser.find_element(By.CSS_SELECTOR, '[data-action="play"]')
    play.click()
    assert "pause" in play.text
    WebDriverWait(browser, 10).until(lambda driver: shown(driver)[1] != "0")
    play.click()
    assert "play" in play.text
    paused_at = shown(browser)
    time.sleep(2)  # more than two frames' time: a paused player stays where it is
    assert shown(browser) == paused_at


@pytest.mark.parametrize("page", ["saved", "embedded"])
def test_the_player_loads_nothing_and_shows_hostile_labels_as_text(
    browser: Any, player_pages: PlayerPages, page: str
) -> None:
    url = getattr(player_pages, page)
    browser.get_log("performance")  # forget what earlier tests loaded
    browser.get(url)
    for _ in player_pages.explanations:  # show every frame
        press(browser, "next")
    messages = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    requested = {m["params"]["request"]["url"] for m in messages if m["method"] == "Network.requestWillBeSent"}
    requested = {address for address in requested if not address.startswith(("chrome:", "data:"))}  # not network
    assert requested == {url}
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert len(browser.find_elements(By.TAG_NAME, "script")) == (2 if page == "saved" else 1)  # + focus()
    frame = browser.find_element(By.CSS_SELECTOR, ".autograd-player-frame:not([hidden])")
    drawn = [text.text for text in frame.find_elements(By.TAG_NAME, "text")]
    assert HOSTILE_LABELS[0] in drawn and HOSTILE_LABELS[1] in drawn
