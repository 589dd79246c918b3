"""autograd.viz: drawings checked in the SVG the real `dot` renders, the player in a real headless browser."""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import graphviz
import pytest
from browsing import SMALLEST_TEXT
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from autograd import Value, linear
from autograd.demo import lecture_neuron
from autograd.explain import explain, format_number
from autograd.nn import MLP, mse_loss
from autograd.viz import DrawingOptions, GraphvizNotFound, backward_player, draw_dot, write_atomically

SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
Box = tuple[float, float, float, float]


# ---- reading the SVG ------------------------------------------------------------------


def rendered(drawing: graphviz.Digraph) -> ET.Element:
    return ET.fromstring(drawing.pipe(format="svg"))


def groups(svg: ET.Element, kind: str) -> list[ET.Element]:
    """The <g> elements of one kind ('node', 'edge', 'cluster', 'constant', 'changed', 'upstream', …)."""
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


def value_box(svg: ET.Element, data: float) -> ET.Element:
    """The one value box whose data is `data`, labelled or not."""
    number = format_number(data)
    found = [g for g in groups(svg, "node") if "data" in texts(g) and texts(g)[texts(g).index("data") + 1] == number]
    assert len(found) == 1, f"{len(found)} boxes have data {number}"
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


def font_sizes(svg: ET.Element) -> list[float]:
    return [float(t.get("font-size", "0")) for t in svg.iter(f"{SVG}text")]


def points(value: str) -> float:
    """An SVG length in points ('869pt')."""
    assert value.endswith("pt")
    return float(value[:-2])


PX_PER_PT = 96 / 72  # an SVG in points, shown at 100%


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


def unrolled_rnn(steps: int = 4) -> tuple[Value, list[Value]]:
    """Notebook 8's recurrent cell, h_t = tanh(w_h·h_{t−1} + w_x·x_t + b), unrolled; returns (loss, [w_h, w_x, b])."""
    shared = [Value(0.6, label="w_h"), Value(1.2, label="w_x"), Value(0.1, label="b")]
    h = Value(0.0, label="h0")
    for t, x_t in enumerate([0.5, 0.8, 0.3, 0.9][:steps], start=1):
        z = linear(shared[:2], [h, x_t], shared[2])
        z.label = f"t{t}.z{t}"
        h = z.tanh()
        h.label = f"t{t}.h{t}"
    loss = (h - 0.5) ** 2
    loss.label = "loss"
    return loss, shared


def two_example_loss(sizes: list[int]) -> tuple[Value, MLP]:
    """One model, two examples: the model's weights are used by both."""
    model = MLP(2, sizes, seed=0)
    examples = [([Value(0.5, label="x0"), Value(-1.0, label="x1")], 1.0), ([Value(1.5), Value(0.3)], -1.0)]
    loss = sum((mse_loss(model(x), y) for x, y in examples), Value(0.0))
    return loss, model


# ---- value boxes, operations, edges and constants -------------------------------------------


def test_a_value_shows_its_label_data_and_grad_and_each_operation_is_a_node_with_its_symbol() -> None:
    _, _, loss = lecture()
    loss.backward()
    svg = rendered(draw_dot(loss))
    assert texts(node_showing(svg, "w")) == ["w", "data", "2", "grad", "−24"]
    assert texts(node_showing(svg, "loss")) == ["loss", "data", "16", "grad", "1"]
    assert texts(value_box(svg, 6.0)) == ["data", "6", "grad", "−8"]  # w·x: unlabelled
    for symbol in ("×", "−", "^"):
        assert len(edges_from(svg, node_showing(svg, symbol))) == 1  # into the value it makes
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


def test_constants_are_small_dashed_boxes_beside_their_operation() -> None:
    a = Value(2.0, label="a")
    svg = rendered(draw_dot((3 * a + 3).leaky_relu(0.1) ** 2))
    constants = groups(svg, "constant")
    assert sorted(text for g in constants for text in texts(g)) == ["0.1", "2", "3", "3"]  # one box per occurrence
    for constant in constants:
        (edge,) = edges_from(svg, constant)
        assert "stroke-dasharray" in ET.tostring(edge, encoding="unicode")
        operation = next(g for g in groups(svg, "node") if title(edge).endswith(f"->{title(g)}"))
        assert centre(constant)[0] == pytest.approx(centre(operation)[0], abs=1)  # the same rank: no column of its own
    assert not any("data" in texts(g) for g in constants)


def test_edge_labels_show_the_local_derivative() -> None:
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    svg = rendered(draw_dot(w * x, edge_labels=True))
    (from_w,) = edges_from(svg, node_showing(svg, "w"))
    (from_x,) = edges_from(svg, node_showing(svg, "x"))
    assert texts(from_w) == ["3"]  # d(w·x)/dw = x
    assert texts(from_x) == ["2"]
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


def test_rankdir_puts_inputs_left_or_on_top() -> None:
    _, _, loss = lecture()
    for rankdir, axis in (("LR", 0), ("TB", 1)):
        svg = rendered(draw_dot(loss, rankdir=rankdir))
        assert centre(node_showing(svg, "w"))[axis] < centre(node_showing(svg, "loss"))[axis] - 100


def test_options_are_one_object_and_keywords_change_it() -> None:
    _, _, loss = lecture()
    slides = DrawingOptions(rankdir="TB", font_size=20)
    assert draw_dot(loss, slides).source == draw_dot(loss, rankdir="TB", font_size=20).source
    assert "label=<<TABLE" in draw_dot(loss, slides, edge_labels=True).source  # a keyword on top of the object
    assert slides.rankdir == "TB" and not slides.edge_labels  # unchanged
    with pytest.raises(ValueError, match="rankdir must be one of LR, TB, got 'RL'"):
        draw_dot(loss, rankdir="RL")
    with pytest.raises(TypeError, match=r"unknown drawing option colour; the options are .*edge_labels.*max_nodes"):
        draw_dot(loss, colour="red")
    with pytest.raises(TypeError, match="unknown drawing option"):
        backward_player(loss, colour="red")


def test_font_size_scales_the_whole_drawing() -> None:
    o = lecture_neuron()
    normal, big = rendered(draw_dot(o)), rendered(draw_dot(o, font_size=20))
    assert min(font_sizes(big)) == pytest.approx(2 * min(font_sizes(normal)))
    assert points(big.get("width", "")) == pytest.approx(2 * points(normal.get("width", "")), rel=0.15)


# ---- fitting the page ---------------------------------------------------------------------


def test_the_lecture_neuron_fits_a_notebook_column_with_text_of_12_px_or_more() -> None:
    o = lecture_neuron()
    drawings = []
    for step in o.backward_steps():
        drawings.append(draw_dot(o, highlight=step))
    drawings.append(draw_dot(o))
    for drawing in drawings:
        svg = rendered(drawing)
        assert points(svg.get("width", "")) * PX_PER_PT <= 900
        assert min(font_sizes(svg)) * PX_PER_PT >= 12


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
    for outside in (node_showing(svg, "x0"), node_showing(svg, "x1"), value_box(svg, error.data)):
        assert not any(inside(bounds(outside), c) for c in clusters)


def test_a_node_used_by_two_clusters_and_labels_that_are_not_dotted_paths_stay_outside() -> None:
    shared = Value(2.0, label="a") * Value(3.0, label="3.5")  # unlabelled, used by both p and q
    p, q = shared + Value(1.0, label="p.w"), shared * Value(2.0, label="q.w")
    p.label, q.label = "p.out", "q.out"
    svg = rendered(draw_dot((p + q).exp()))
    assert len(groups(svg, "cluster")) == 2
    clusters = [bounds(g) for g in groups(svg, "cluster")]
    for outside in (value_box(svg, 6.0), node_showing(svg, "3.5"), node_showing(svg, "a")):
        assert not any(inside(bounds(outside), c) for c in clusters)


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
    assert texts(last) == ["neuron0", "data", format_number(prediction.data), "grad", format_number(prediction.grad)]
    assert "values are too many" not in " ".join(texts(svg))  # asked for: no note


def test_collapse_draws_one_box_per_neuron_and_example_when_the_model_sees_two_examples() -> None:
    loss, _ = two_example_loss([4, 4, 1])
    svg = rendered(draw_dot(loss, collapse=True))
    assert len(groups(svg, "collapsed")) == 2 * (4 + 4 + 1)
    for layer in range(3):  # the two examples' boxes of a layer line up, layer after layer
        xs = {round(centre(g)[0]) for g in groups(svg, "collapsed") if title_of_cluster(g).startswith(f"layer{layer}.")}
        assert len(xs) == 1, f"layer{layer}: boxes at x = {sorted(xs)}"


def title_of_cluster(g: ET.Element) -> str:
    """The tooltip of a node or box: the full dotted label ('' when it has none)."""
    return next((a.get(XLINK_TITLE) or "" for a in g.iter(f"{SVG}a")), "")


def test_a_graph_past_max_nodes_is_collapsed_and_says_so() -> None:
    model = MLP(2, [16, 16, 1], seed=0)  # the demo's network, on one input: 400-odd value boxes
    loss = mse_loss(model([Value(0.5, label="x0"), Value(-1.0, label="x1")]), 1.0)
    svg = rendered(draw_dot(loss))
    assert len(groups(svg, "collapsed")) == 16 + 16 + 1
    note = " ".join(t.text or "" for t in svg.find(f"{SVG}g").findall(f"{SVG}text"))  # type: ignore[union-attr]
    assert re.search(r"\d+ values are too many for one picture \(max_nodes=200\)", note)
    assert "so each group, like layer0.neuron0, is drawn as one box showing the value it passes on" in note
    assert "33 such boxes" in note


def test_too_many_nodes_is_refused_with_advice_that_fits_the_case() -> None:
    v = Value(0.0, label="x")
    for _ in range(30):
        v = v.sin()
    with pytest.raises(ValueError, match=r"31 value nodes, more than max_nodes=20, and no dotted labels") as refused:
        draw_dot(v, max_nodes=20)
    assert "draw_dot(v)" in str(refused.value) and "max_nodes=31" in str(refused.value)
    assert "collapse=True" not in str(refused.value)  # collapsing cannot help here

    loss, _ = two_example_loss([4, 4, 1])
    with pytest.raises(ValueError, match=r"even with each group .* drawn as one box .* that is 29 boxes") as refused:
        draw_dot(loss, max_nodes=15)
    assert "the loss of one example" in str(refused.value) and "collapse=True" not in str(refused.value)
    draw_dot(loss, max_nodes=30)  # collapses on its own


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


# ---- repeated structure: time steps and layers line up -----------------------------------


def test_the_time_steps_of_an_unrolled_rnn_line_up_and_the_shared_weights_sit_apart() -> None:
    loss, shared = unrolled_rnn()
    svg = rendered(draw_dot(loss))  # left to right: each time step a row, time running down the page
    steps = [with_tooltip(svg, "cluster", f"t{t}") for t in range(1, 5)]
    tops = [bounds(step)[1] for step in steps]
    assert tops == sorted(tops) and len(set(tops)) == 4
    for name in ("z", "h"):  # the matching values of every step in one column
        xs = {round(centre(with_tooltip(svg, "node", f"t{t}.{name}{t}"))[0]) for t in range(1, 5)}
        assert len(xs) == 1, f"{name}: {xs}"
    for t in range(1, 5):  # a step's values in one row
        z, h = (centre(with_tooltip(svg, "node", f"t{t}.{n}{t}")) for n in ("z", "h"))
        assert z[1] == pytest.approx(h[1], abs=2) and z[0] < h[0]
    (apart,) = [g for g in groups(svg, "cluster") if "shared by" in " ".join(texts(g))]
    assert " ".join(texts(apart)).startswith("shared by t1, t2, t3, t4")
    for weight in shared:
        box = bounds(node_showing(svg, weight.label))
        assert inside(box, bounds(apart))
        assert all(box[2] < bounds(step)[0] for step in steps)  # left of every time step
    assert len(edges_from(svg, node_showing(svg, "w_h"))) == 4  # one arrow into every time step


def test_drawn_top_to_bottom_the_time_steps_stand_side_by_side_under_the_shared_weights() -> None:
    loss, shared = unrolled_rnn()
    svg = rendered(draw_dot(loss, rankdir="TB"))
    steps = [bounds(with_tooltip(svg, "cluster", f"t{t}")) for t in range(1, 5)]
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)
    assert all(left[2] < right[0] for left, right in itertools.pairwise(steps))  # side by side, not overlapping
    assert len({round(s[1]) for s in steps}) == 1  # one row
    for weight in shared:
        assert all(bounds(node_showing(svg, weight.label))[3] < step[1] for step in steps)  # above them


def test_a_layers_neurons_line_up_for_every_example_and_inputs_are_not_shared_weights() -> None:
    loss, _ = two_example_loss([3, 3, 1])
    svg = rendered(draw_dot(loss))
    columns = []
    for layer, size in enumerate((3, 3, 1)):
        names = {f"layer{layer}.neuron{j}.out" for j in range(size)}
        outs = [g for g in groups(svg, "node") if title_of_cluster(g) in names]
        assert len(outs) == 2 * size  # one per neuron and example
        xs = {round(centre(g)[0]) for g in outs}
        assert len(xs) == 1, f"layer{layer}: outputs at x = {sorted(xs)}"
        columns += xs
    assert columns == sorted(columns)
    assert not [g for g in groups(svg, "cluster") if "shared by" in " ".join(texts(g))]


# ---- highlighting a backward step ----------------------------------------------------------


def highlighted_edge(svg: ET.Element) -> ET.Element:
    (edge,) = [g for g in groups(svg, "edge") if "highlight" in g.get("class", "") and "_edge" in g.get("id", "")]
    return edge


def marked(svg: ET.Element, kind: str) -> set[str]:
    """The titles of the nodes marked 'changed' or 'upstream'."""
    return {title(g) for g in groups(svg, kind)}


def arrowhead(edge: ET.Element) -> tuple[float, float]:
    (polygon,) = edge.findall(f"{SVG}polygon")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", polygon.get("points", ""))]
    return sum(numbers[0::2]) / len(numbers[0::2]), sum(numbers[1::2]) / len(numbers[1::2])


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)


def test_a_step_is_drawn_as_the_gradient_travels_back_labelled_with_its_local_derivative() -> None:
    o = lecture_neuron()
    for step in o.backward_steps():
        if step.index != 6:  # x1w1 sends its gradient back through × to x1
            continue
        svg = rendered(draw_dot(o, highlight=step))
        edge = highlighted_edge(svg)
        x1, x1w1 = node_showing(svg, "x1"), node_showing(svg, "x1w1")
        assert edge in edges_from(svg, x1)
        assert distance(arrowhead(edge), centre(x1)) < distance(arrowhead(edge), centre(x1w1))  # points back at x1
        assert texts(edge) == ["−3"]  # ∂x1w1/∂x1 = w1
        assert marked(svg, "changed") == {title(x1)}  # only the gradient that just changed
        assert marked(svg, "upstream") == {title(x1w1)}
        assert texts(x1)[-1] == "−1.5"


def test_highlight_marks_the_exact_occurrence_of_a_repeated_input() -> None:
    a = Value(2.0, label="a")
    total = a + a
    ids = []
    for step in total.backward_steps():
        svg = rendered(draw_dot(total, highlight=step))
        if step.is_seed:  # the root alone, set to 1
            assert [texts(g) for g in groups(svg, "changed")] == [["data", "4", "grad", "1"]]
            assert groups(svg, "upstream") == []
            assert not any("_edge" in g.get("id", "") for g in groups(svg, "highlight"))
            continue
        edge = highlighted_edge(svg)
        assert edge in edges_from(svg, node_showing(svg, "a"))
        assert marked(svg, "changed") == {title(node_showing(svg, "a"))}
        assert marked(svg, "upstream") == {title(value_box(svg, 4.0))}
        ids.append(edge.get("id"))
    assert len(set(ids)) == 2


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
        for labelled in (False, True):
            svg = rendered(draw_dot(root, highlight=step, edge_labels=labelled))
            assert texts(highlighted_edge(svg)) == [format_number(step.local_grad)]


def test_highlight_in_a_collapsed_drawing_marks_the_boxes() -> None:
    loss = tiny_net()
    checked = []
    for step in loss.backward_steps():
        if step.input.label in ("layer0.neuron1.out", "layer0.neuron1.w0"):
            checked.append(step.input.label)
            svg = rendered(draw_dot(loss, highlight=step, collapse=True))
            source = with_tooltip(svg, "collapsed", "layer0.neuron1")
            if step.input.label.endswith("out"):  # from one neuron into the next: an edge between two boxes
                assert highlighted_edge(svg) in edges_from(svg, source)
                assert marked(svg, "changed") == {title(source)}
                assert marked(svg, "upstream") == {title(with_tooltip(svg, "collapsed", "layer1.neuron0"))}
            else:  # inside a neuron: its box
                assert not any("_edge" in g.get("id", "") for g in groups(svg, "highlight"))
                assert marked(svg, "changed") == {title(source)} and marked(svg, "upstream") == set()
    assert sorted(checked) == ["layer0.neuron1.out", "layer0.neuron1.w0"]


def test_a_lone_value_is_one_node() -> None:
    svg = rendered(draw_dot(Value(1.5, label="x")))
    assert [texts(g) for g in groups(svg, "node")] == [["x", "data", "1.5", "grad", "0"]]
    assert groups(svg, "edge") == []
    assert len(frames(backward_player(Value(1.5)))) == 2  # before, and the seed


def test_a_drawing_midway_shows_the_gradients_known_so_far() -> None:
    _, _, loss = lecture()
    steps = loss.backward_steps()
    next(steps)
    first = next(steps)
    svg = rendered(draw_dot(loss, highlight=first))
    assert texts(node_showing(svg, "loss"))[-1] == "1"
    assert texts(node_showing(svg, "w"))[-1] == "0"
    for _ in steps:
        pass
    assert texts(node_showing(rendered(draw_dot(loss)), "w"))[-1] == "−24"


def test_a_step_of_another_graph_is_refused() -> None:
    other = Value(1.0) * 2
    step = next(other.backward_steps())
    with pytest.raises(ValueError, match="not in this graph"):
        draw_dot(lecture()[2], highlight=step)


# ---- files ----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header.startswith(PNG)
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_svg_png_at_a_chosen_resolution_and_dot_text(tmp_path: Path) -> None:
    _, _, loss = lecture()
    drawing = draw_dot(loss)
    assert drawing.pipe().startswith(b"<?xml")
    assert "grad" in drawing._repr_mimebundle_()["image/svg+xml"]  # what Jupyter shows
    svg_width = points(rendered(drawing).get("width", "")) * PX_PER_PT
    screen = png_size(drawing.write(tmp_path / "screen.png"))
    slides = png_size(draw_dot(loss, dpi=192).write(tmp_path / "slides.png"))
    assert screen[0] == pytest.approx(svg_width, abs=2)  # 96 dpi: the size it has on screen
    assert slides[0] == pytest.approx(2 * screen[0], abs=2) and slides[1] == pytest.approx(2 * screen[1], abs=2)
    assert ET.parse(drawing.write(tmp_path / "graph.svg")).getroot().tag == f"{SVG}svg"
    assert drawing.write(tmp_path / "graph.dot").read_text(encoding="utf-8") == drawing.source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.dot", "graph.svg", "screen.png", "slides.png"]


FILL_THE_DISK = """\
import resource, sys
from pathlib import Path
sys.path.insert(0, {root!r})
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))  # a disk that is full past `limit`
{code}
"""


def on_a_full_disk(code: str, limit: int) -> subprocess.CompletedProcess[str]:
    """Run `code` in a Python whose files cannot grow past `limit` bytes (writes fail as on a full disk)."""
    root = str(Path(__file__).parent.parent)
    script = FILL_THE_DISK.format(root=root, limit=limit, code=code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def test_saving_on_a_full_disk_leaves_the_old_page_whole_and_no_temporary_file(tmp_path: Path) -> None:
    page = tmp_path / "player.html"
    page.write_text("the page saved before", encoding="utf-8")
    code = f"""
from autograd.demo import lecture_neuron
from autograd.viz import backward_player
player = backward_player(lecture_neuron())
assert len(player.html) > 20_000
try:
    player.save({str(page)!r})
except OSError as error:
    print("refused:", error.strerror)
"""
    result = on_a_full_disk(code, limit=20_000)
    assert "refused: File too large" in result.stdout, result.stderr
    assert page.read_text(encoding="utf-8") == "the page saved before"
    assert [p.name for p in tmp_path.iterdir()] == ["player.html"]


def test_write_atomically_leaves_nothing_behind_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kept.txt"
    write_atomically(target, "first")
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() makes a file, not private like mkstemp

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "second")
    assert target.read_text() == "first" and [p.name for p in tmp_path.iterdir()] == ["kept.txt"]


# ---- without Graphviz's dot ---------------------------------------------------------------


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Graphviz's `dot` hidden from PATH, as after `pip install` alone."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert shutil.which("dot") is None


@pytest.mark.usefixtures("no_dot")
def test_without_dot_only_files_need_it_and_say_how_to_install_it(tmp_path: Path) -> None:
    _, _, loss = lecture()
    drawing = draw_dot(loss)
    assert "grad" in drawing.source
    for render in (drawing.pipe, lambda: drawing.render(tmp_path / "g"), lambda: drawing.write(tmp_path / "g.png")):
        with pytest.raises(GraphvizNotFound) as missing:
            render()
        assert isinstance(missing.value, graphviz.ExecutableNotFound)
        message = str(missing.value)
        assert "Saving a drawing as a file needs Graphviz's `dot`" in message
        for command in (
            "sudo apt-get install graphviz",
            "brew install graphviz",
            "conda install -c conda-forge graphviz",
        ):
            assert command in message
    assert drawing.write(tmp_path / "g.dot").read_text(encoding="utf-8") == drawing.source  # DOT text needs no dot
    assert not (tmp_path / "g.png").exists()
    bundle = drawing._repr_mimebundle_()
    assert list(bundle) == ["text/html"] and "Viz.instance()" in bundle["text/html"]


# ---- the backward player ----------------------------------------------------------------


def frames(player: Any) -> list[str]:
    """The captions of the player's frames, from the list of steps it carries."""
    steps = re.search(r'<ul class="autograd-player-steps">(.*?)</ul>', player.html, re.DOTALL)
    assert steps is not None
    return re.findall(r"<li>(.*?)</li>", steps.group(1), re.DOTALL)


def player_data(player: Any) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" class="autograd-player-data">(.*?)</script>', player.html)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_player_has_a_before_frame_a_seed_frame_and_one_per_edge_and_leaves_the_gradients_of_backward() -> None:
    w, x, loss = lecture()
    explanations = [explain(step) for step in lecture()[2].backward_steps()]
    loss.backward()  # gradients left from before do not show in (or add to) the player's pass
    player = backward_player(loss)
    assert (w.grad, x.grad, loss.grad) == (-24.0, -16.0, 1.0)
    captions = frames(player)
    assert len(captions) == len(explanations) + 1 == len(player_data(player)["frames"])
    texts = [html.unescape(re.sub(r"<[^>]+>", "", caption)) for caption in captions]  # as read, tags aside
    assert "every gradient is 0" in texts[0]
    assert "the seed" in texts[1] and "loss.grad = 1 (was 0)" in texts[1]
    for text, explanation in zip(texts[1:], explanations):
        assert explanation.derivative in text and explanation.update in text
    assert "x.grad += ∂[*]/∂x × [*].grad = 2 × (−8) = −16 (was 0)" in " ".join(texts)


def test_repr_html_is_the_saved_self_contained_player(tmp_path: Path) -> None:
    player = backward_player(lecture()[2])
    page = player.save(tmp_path / "player.html").read_text(encoding="utf-8")
    assert player._repr_html_() in page
    assert "<title>Backward pass, step by step: \u2066loss = (w × x − 10) ^ 2\u2069</title>" in page  # an isolate
    assert not re.search(r"\b(src|href)\s*=\s*\"(?!data:)", page)  # nothing to fetch
    ids = [re.search(r'id="(autograd-player-\w+)"', backward_player(lecture()[2]).html) for _ in range(2)]
    assert ids[0] and ids[1] and ids[0][1] != ids[1][1]  # two players in one notebook do not clash


def test_a_backward_pass_too_long_for_one_page_is_refused_with_advice() -> None:
    v = Value(1.0, label="x")
    for _ in range(40):
        v = v * 1.01
    with pytest.raises(ValueError, match=r"41 steps, more than max_steps=30.*backward_player\(v\).*max_steps=41"):
        backward_player(v, max_steps=30)
    assert v.parents[0].grad == 0  # refused before the backward pass
    backward_player(v, DrawingOptions(edge_labels=True), max_steps=41)


# ---- the player in a real browser ---------------------------------------------------------



VISIBLE = """
// Whether the element is drawn and lies wholly inside the window.
const r = arguments[0].getBoundingClientRect();
return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
"""

STEP_IN_VIEW = """
// Whether the step is in view: the changed input wholly, its edge at least in part, and the node the
// gradient came from too when the three fit in the player's graph area (else they cannot all show).
const svg = document.querySelector(".autograd-player-graph svg");
const area = svg.parentElement;
const parts = [".changed", "g.edge.highlight[id*='_edge']", ".upstream"].map(s => svg.querySelector(s));
const rects = parts.map(p => p && p.getBoundingClientRect());
const inside = r => r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
const touches = r => r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
if (!rects[0] || !inside(rects[0])) return "the changed input is out of view";
if (rects[1] && !touches(rects[1])) return "the edge is out of view";
const present = rects.filter(Boolean);
const fits = Math.max(...present.map(r => r.right)) - Math.min(...present.map(r => r.left)) <= area.clientWidth
  && Math.max(...present.map(r => r.bottom)) - Math.min(...present.map(r => r.top)) <= area.clientHeight;
if (rects[2] && fits && !inside(rects[2])) return "the node the gradient came from is out of view";
return "";
"""


class Shown(NamedTuple):
    frame: int  # which frame is on show
    caption: str
    changed: str | None  # the title of the node whose gradient just changed
    edge: str | None  # the id of the step's edge


def shown(driver: Any) -> Shown:
    """What the player shows now (waiting until its drawing is in place)."""

    def state(driver: Any) -> Shown | None:
        return driver.execute_script(
            """
            const player = document.querySelector(".autograd-player");
            const items = [...player.querySelectorAll(".autograd-player-steps li")];
            const frame = items.findIndex(li => li.hasAttribute("aria-current"));
            const svg = player.querySelector(".autograd-player-graph svg");
            if (!svg || svg.dataset.frame !== undefined && +svg.dataset.frame !== frame) return null;
            const changed = svg.querySelector("g.changed title");
            const edge = svg.querySelector("g.edge.highlight[id*='_edge']");
            return [frame, player.querySelector(".autograd-player-caption").innerText,
                    changed && changed.textContent, edge && edge.id];
            """
        )

    found = WebDriverWait(driver, 10).until(state)
    return Shown(*found)


def press(driver: Any, button: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'[data-action="{button}"]').click()


def keys(driver: Any, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


@pytest.fixture(scope="module")
def neuron_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The lecture neuron's player, saved."""
    return backward_player(lecture_neuron()).save(tmp_path_factory.mktemp("neuron") / "neuron.html").as_uri()


def test_the_saved_player_has_a_title_the_expression_a_legend_and_its_keys(browser: Any, neuron_page: str) -> None:
    browser.get(neuron_page)
    assert browser.title == "Backward pass, step by step: \u2066o = tanh(x1 × w1 + x2 × w2 + b)\u2069"
    page = browser.find_element(By.TAG_NAME, "body").text
    for words in (
        "Backward pass, step by step",
        "o = tanh(x1 × w1 + x2 × w2 + b)",
        "the gradient that just changed",
        "the node it came from",
        "the gradient's way back, with its local derivative",
        "Keys: ← → one step, Home / End first and last, Space play or pause.",
    ):
        assert words in page
    assert not browser.find_elements(By.CSS_SELECTOR, ".autograd-player-static")  # the script took over


def test_at_1024_by_768_the_neuron_fits_text_stays_readable_and_every_step_is_in_view(
    browser: Any, neuron_page: str
) -> None:
    browser.get(neuron_page)
    total = len(list(lecture_neuron().backward_steps()))
    widths = set()
    for frame in range(total + 1):
        now = shown(browser)
        assert now.frame == frame
        svg = browser.find_element(By.CSS_SELECTOR, ".autograd-player-graph svg")
        widths.add(svg.rect["width"])
        assert browser.execute_script(SMALLEST_TEXT, svg) >= 12
        assert browser.execute_script(SMALLEST_TEXT) >= 10
        if frame > 0:
            assert browser.execute_script(STEP_IN_VIEW) == "", f"frame {frame}"
            for selector in ("g.changed", "g.upstream", "g.edge.highlight"):  # the neuron fits: all of it
                for element in svg.find_elements(By.CSS_SELECTOR, selector):
                    assert browser.execute_script(VISIBLE, element), f"frame {frame}: {selector} is out of view"
        keys(browser, Keys.ARROW_RIGHT)
    assert len(widths) == 1 and widths.pop() <= 900  # one size in every frame: nothing jumps


def test_every_frame_keeps_every_node_in_its_place(browser: Any, neuron_page: str) -> None:
    browser.get(neuron_page)
    places = set()
    for _ in range(len(list(lecture_neuron().backward_steps())) + 1):
        shown(browser)
        places.add(
            browser.execute_script(
                """return JSON.stringify([...document.querySelectorAll(".autograd-player-graph g.node")]
                   .map(g => { const r = g.getBBox(); return [g.id, Math.round(r.x), Math.round(r.y)]; }))"""
            )
        )
        keys(browser, Keys.ARROW_RIGHT)
    assert len(places) == 1


def test_captions_name_every_term_and_the_seed_has_a_frame_of_its_own(browser: Any, neuron_page: str) -> None:
    browser.get(neuron_page)
    assert shown(browser).caption == "Before the backward pass: every gradient is 0."
    keys(browser, Keys.ARROW_RIGHT)
    seed = shown(browser)
    assert seed.caption.splitlines() == [
        "Step 0 of 9, the seed: the backward pass starts at o, whose gradient is 1.",
        "∂o/∂o = 1",
        "o.grad = 1 (was 0)",
    ]
    assert seed.edge is None and seed.changed is not None
    assert browser.find_element(By.CSS_SELECTOR, ".autograd-player-graph g.changed").text.split()[-1] == "1"
    keys(browser, *[Keys.ARROW_RIGHT] * 6)
    assert shown(browser).caption.splitlines() == [
        "Step 6 of 9: x1w1 sends its gradient back through × to x1.",
        "∂x1w1/∂x1 = w1 = −3",
        "x1.grad += ∂x1w1/∂x1 × x1w1.grad = (−3) × 0.5 = −1.5 (was 0)",
    ]


def test_the_keys_work_wherever_the_saved_page_has_focus(browser: Any, neuron_page: str) -> None:
    browser.get(neuron_page)
    assert shown(browser).frame == 0
    browser.find_element(By.CSS_SELECTOR, ".autograd-player-caption").click()  # focus on the page, not the player
    keys(browser, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert shown(browser).frame == 2
    press(browser, "next")  # a button has the focus now
    keys(browser, Keys.ARROW_RIGHT)
    assert shown(browser).frame == 4
    keys(browser, Keys.END)
    assert shown(browser).frame == 10
    keys(browser, Keys.ARROW_RIGHT)
    assert shown(browser).frame == 10  # no further than the end
    keys(browser, Keys.HOME)
    assert shown(browser).frame == 0
    keys(browser, Keys.ARROW_LEFT)
    assert shown(browser).frame == 0
    press(browser, "last")
    press(browser, "previous")
    assert shown(browser).frame == 9
    press(browser, "first")
    assert shown(browser).frame == 0


def test_space_plays_and_pauses(browser: Any, tmp_path: Path) -> None:
    y = Value(1.0, label="x")
    for _ in range(30):  # 30 steps of 1 s: it cannot reach the end, and stop by itself, while the test runs
        y = y * 1.01
    browser.get(backward_player(y).save(tmp_path / "long.html").as_uri())
    play = browser.find_element(By.CSS_SELECTOR, '[data-action="play"]')
    assert play.text == "▶ play"
    keys(browser, " ")
    assert "pause" in play.text
    WebDriverWait(browser, 10).until(lambda driver: shown(driver).frame > 0)
    play.click()
    assert play.text == "▶ play"
    paused_at = shown(browser)
    time.sleep(2.2)  # more than two frames' time: a paused player stays where it is
    assert shown(browser) == paused_at


def test_a_big_graph_scrolls_each_step_into_view(browser: Any, tmp_path: Path) -> None:
    model = MLP(3, [3, 1], seed=0)
    loss = mse_loss(model([Value(0.5, label="x0"), Value(-1.0, label="x1"), Value(2.0, label="x2")]), 1.0)
    browser.get(backward_player(loss).save(tmp_path / "mlp.html").as_uri())
    graph = browser.find_element(By.CSS_SELECTOR, ".autograd-player-graph")
    assert browser.execute_script("const g = arguments[0]; return g.scrollHeight > g.clientHeight", graph)
    total = len(list(loss.backward_steps()))
    for frame in range(1, total + 1):
        keys(browser, Keys.ARROW_RIGHT)
        assert shown(browser).frame == frame
        assert browser.execute_script(STEP_IN_VIEW) == "", f"frame {frame}"


def hostile_graph() -> Value:
    """A graph whose labels try to inject markup and a network request."""
    a, b = Value(2.0, label=HOSTILE_LABELS[1]), Value(-3.0, label=HOSTILE_LABELS[0])
    return a * b + a


class PlayerPages(NamedTuple):
    saved: str  # URL of the page `save` writes
    embedded: str  # URL of a bare page holding `_repr_html_()`, as a notebook would (no security policy)
    steps: int


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> PlayerPages:
    folder = tmp_path_factory.mktemp("player")
    player = backward_player(hostile_graph())
    embedded = folder / "embedded.html"
    embedded.write_text(f"<!DOCTYPE html><html><body>{player._repr_html_()}</body></html>", encoding="utf-8")
    steps = len(list(hostile_graph().backward_steps()))
    return PlayerPages(player.save(folder / "saved.html").as_uri(), embedded.as_uri(), steps)


@pytest.mark.parametrize("page", ["saved", "embedded"])
def test_the_player_loads_nothing_and_shows_hostile_labels_as_text(
    browser: Any, hostile_pages: PlayerPages, page: str
) -> None:
    url = getattr(hostile_pages, page)
    browser.get_log("performance")  # forget what earlier tests loaded
    browser.get(url)
    for frame in range(1, hostile_pages.steps + 1):  # show every frame
        press(browser, "next")
        assert shown(browser).frame == frame
    messages = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    requested = {m["params"]["request"]["url"] for m in messages if m["method"] == "Network.requestWillBeSent"}
    requested = {address for address in requested if not address.startswith(("chrome:", "data:"))}  # not network
    assert requested == {url}
    assert browser.find_elements(By.TAG_NAME, "img") == []  # the static picture went with the static view
    drawn = [text.text for text in browser.find_elements(By.CSS_SELECTOR, ".autograd-player-graph text")]
    assert HOSTILE_LABELS[0] in drawn and HOSTILE_LABELS[1] in drawn


def test_embedded_in_a_notebook_the_keys_need_the_player_to_have_focus(
    browser: Any, hostile_pages: PlayerPages
) -> None:
    browser.get(hostile_pages.embedded)
    keys(browser, Keys.ARROW_RIGHT)
    assert shown(browser).frame == 0  # the notebook keeps its arrow keys
    browser.find_element(By.CSS_SELECTOR, ".autograd-player-caption").click()
    keys(browser, Keys.ARROW_RIGHT)
    assert shown(browser).frame == 1


# ---- drawn in the browser, without dot ---------------------------------------------------------


def test_without_dot_a_notebook_drawing_is_laid_out_and_drawn_by_the_browser(
    browser: Any, no_dot: None, tmp_path: Path
) -> None:
    o = lecture_neuron()
    o.backward()
    page = tmp_path / "drawing.html"
    page.write_text(f"<!DOCTYPE html><html><body>{draw_dot(o)._repr_mimebundle_()['text/html']}</body></html>")
    browser.get(page.as_uri())
    svg = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".autograd-drawing svg"))[0]
    drawn = [t.text for t in svg.find_elements(By.TAG_NAME, "text")]
    for word in ("x1w1 + x2w2", "tanh", "×", "−1.5", "0.7071"):
        assert word in drawn
    assert svg.rect["width"] <= 900
    assert browser.execute_script(SMALLEST_TEXT, svg) >= 12


def test_without_dot_the_player_draws_every_frame_in_the_browser(browser: Any, no_dot: None, tmp_path: Path) -> None:
    player = backward_player(lecture_neuron())
    assert player_data(player)["format"] == "dot"
    browser.get(player.save(tmp_path / "player.html").as_uri())
    for frame in range(len(list(lecture_neuron().backward_steps())) + 1):
        now = shown(browser)
        assert now.frame == frame and (now.edge is not None) == (frame > 1)
        svg = browser.find_element(By.CSS_SELECTOR, ".autograd-player-graph svg")
        assert browser.execute_script(SMALLEST_TEXT, svg) >= 12
        if frame > 0:
            assert browser.execute_script(STEP_IN_VIEW) == "", f"frame {frame}"
        keys(browser, Keys.ARROW_RIGHT)


def test_the_vendored_viz_js_is_the_pinned_version_with_its_licences() -> None:
    root = Path(__file__).parent.parent
    pinned = re.search(r"^VIZ_JS_VERSION := (\S+)$", (root / "Makefile").read_text(), re.MULTILINE)
    assert pinned is not None
    vendored = root / "autograd" / "vendor" / "viz-js"
    assert (vendored / "viz-global.js").read_text(encoding="utf-8").startswith(f"/*!\nViz.js {pinned[1]}\n")
    assert f"**{pinned[1]}**" in (vendored / "README.md").read_text(encoding="utf-8")
    licences = (vendored / "LICENSE").read_text(encoding="utf-8")
    for name in ("Copyright (c) 2023 Michael Daines", "Eclipse Public License - v 2.0", "Thai Open Source Software"):
        assert name in licences


def test_the_readme_shows_a_highlighted_step() -> None:
    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    (picture,) = re.findall(r"!\[[^]]*\]\((docs/[^)]+)\)", readme.split("highlight=step")[1])[:1]
    svg = ET.parse(root / picture).getroot()
    assert groups(svg, "changed") and groups(svg, "upstream") and highlighted_edge(svg) is not None


def test_the_graph_of_a_derivative_draws() -> None:
    from autograd import grad

    x = Value(0.5, label="x")
    (dy,) = grad(x.tanh(), [x], create_graph=True)  # 1 − tanh(x)·tanh(x), a graph of its own
    dy.label = "dy/dx"
    svg = rendered(draw_dot(dy))
    shown = [text for g in groups(svg, "node") for text in texts(g)]
    assert "tanh" in shown and "×" in shown and "−" in shown
    assert "x" in shown and "dy/dx" in shown
