"""Drawing a computation graph, and playing its backward pass one step at a time.

`draw_dot(root)` draws everything `root` depends on as a `graphviz.Digraph`,
which Jupyter displays inline:

- each `Value` is a box ``label | data 2.0000 | grad -24.0000`` showing its
  ``.grad`` as it is at drawing time;
- each operation is a small oval of its own, with one edge per input
  occurrence (``a + a`` has two edges from ``a``), and numbers mixed into the
  expression are small grey boxes;
- dotted labels group nodes: ``layer0.neuron1.w0`` is drawn as ``w0`` inside
  cluster ``neuron1`` inside cluster ``layer0``. An unlabelled node joins the
  cluster of the nodes that use it when they all share one, so a neuron's sums
  and products sit with its weights. ``collapse=True`` draws each innermost
  cluster with a single output (a neuron) as one box.

`backward_player(root)` runs the backward pass through `Value.backward_steps()`
and draws the graph after every step into one self-contained HTML page with
previous / next / play buttons.

Drawing only reads the graph; the player changes gradients only, as ``backward()`` would.
"""

from __future__ import annotations

import html
import os
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

try:
    import graphviz  # type: ignore[import-untyped]
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("autograd.viz draws with the graphviz package: pip install 'scalar-autograd[viz]'") from error

from autograd.engine import OPERATIONS, BackwardStep, Value, topological_order
from autograd.explain import explain, node_name

__all__ = ["BackwardPlayer", "Drawing", "GraphvizNotFound", "backward_player", "draw_dot"]

RANKDIRS = ("LR", "TB")
"""Left to right (inputs on the left) or top to bottom (inputs at the top)."""

INSTALL_GRAPHVIZ = """\
Graphviz's `dot` program is not on PATH, and drawing needs it. Install Graphviz:
  Debian/Ubuntu: sudo apt-get install graphviz
  macOS:         brew install graphviz
  conda:         conda install -c conda-forge graphviz
The DOT text of a drawing is available without it, as `.source`."""

HIGHLIGHT = "#e4572e"
HIGHLIGHT_FILL = "#ffe7a0"
CLUSTER_FILLS = ("#eef2f9", "#ffffff")  # alternating, so nested clusters stand apart
# the highlighted step's operation and edges
MARKED = {"color": HIGHLIGHT, "fontcolor": HIGHLIGHT, "penwidth": "2", "class": "highlight"}
# a number mixed into the expression: not a Value, so a small grey box
CONSTANT = {
    "shape": "box",
    "fontsize": "9",
    "height": "0.2",
    "width": "0.3",
    "margin": "0.03,0.01",
    "color": "#9a9a9a",
    "fontcolor": "#555555",
    "class": "constant",
}


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """`dot` is missing: a `graphviz.ExecutableNotFound` whose message says how to install it."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL_GRAPHVIZ)  # the parent's __init__ would write its own message


@contextmanager
def _explaining_missing_dot() -> Iterator[None]:
    """Turn graphviz's "failed to execute 'dot'" into `GraphvizNotFound`."""
    try:
        yield
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFound() from error


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` that says how to install Graphviz when rendering finds no `dot`.

    Jupyter displays a drawing through `pipe`, so notebooks show the same advice.
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _explaining_missing_dot():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _explaining_missing_dot():
            return super().render(*args, **kwargs)


# ---- text inside HTML-like labels ------------------------------------------------


def _text(text: str) -> str:
    """`text` as literal characters in a label: markup escaped, control characters shown as escapes."""
    visible = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    # Graphviz expands escapes like \\N (the node's name) even here; a doubled backslash is a literal one
    return html.escape(visible).replace("\\", "\\\\")


def _number(x: float) -> str:
    """Four decimals as in the lecture's drawings, or scientific notation where they would hide the number."""
    if x != 0 and not 1e-4 <= abs(x) < 1e6:
        return f"{x:.3e}"
    return f"{x:.4f}"


def _record(title: str, data: float, grad: float, *, marked: bool, bold: bool = False) -> str:
    """An HTML-like label: one row ``title | data … | grad …`` (no title cell when `title` is empty)."""
    name = f"<B>{_text(title)}</B>" if bold else _text(title)
    cells = [f"<TD>{name}</TD>"] if title else []
    # minimum widths keep the layout steady while the numbers change during backward
    cells += [f'<TD WIDTH="78">data {_number(data)}</TD>', f'<TD WIDTH="78">grad {_number(grad)}</TD>']
    colours = f' BGCOLOR="{HIGHLIGHT_FILL}" COLOR="{HIGHLIGHT}"' if marked else ' BGCOLOR="white"'
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"'
    return f"<{table}{colours}><TR>{''.join(cells)}</TR></TABLE>>"


# ---- where each node goes: clusters from dotted labels ----------------------------

ClusterPath = tuple[str, ...]
"""A cluster: the dotted-label prefix shared by its nodes, ``('layer0', 'neuron1')``; () is the top level."""


def _dotted(label: str) -> ClusterPath:
    """``'layer0.neuron1.w0'`` -> ``('layer0', 'neuron1', 'w0')``; any other label is a single part."""
    parts = tuple(label.split("."))
    return parts if all(part.isidentifier() for part in parts) else (label,)


@dataclass
class _Layout:
    """What the drawing needs to know about the graph below a root, found from labels alone."""

    order: list[Value]  # every node, parents before the nodes using them
    users: dict[Value, list[Value]]  # the nodes that take each node as an input
    cluster: dict[Value, ClusterPath]
    boxes: dict[ClusterPath, Value]  # collapsed clusters, each shown as its output value

    @classmethod
    def of(cls, root: Value, collapse: bool) -> _Layout:
        order = topological_order(root)
        users: dict[Value, list[Value]] = defaultdict(list)
        for node in order:
            for parent in node.parents:
                users[parent].append(node)
        cluster: dict[Value, ClusterPath] = {}
        for node in reversed(order):  # the nodes using a node come before it
            if node.label:
                cluster[node] = _dotted(node.label)[:-1]
            else:
                homes = {cluster[user] for user in users[node]}
                cluster[node] = homes.pop() if len(homes) == 1 else ()
        layout = cls(order, users, cluster, {})
        if collapse:
            layout.boxes = layout._collapsible(root)
        return layout

    def _collapsible(self, root: Value) -> dict[ClusterPath, Value]:
        """Innermost clusters with exactly one output (a value used outside it, or the root)."""
        members: dict[ClusterPath, list[Value]] = defaultdict(list)
        for node in self.order:
            members[self.cluster[node]].append(node)
        boxes = {}
        for path, nodes in members.items():
            innermost = not any(len(other) > len(path) and other[: len(path)] == path for other in members)
            if not path or not innermost:
                continue
            outputs = [n for n in nodes if n is root or any(self.cluster[user] != path for user in self.users[n])]
            if len(outputs) == 1:
                boxes[path] = outputs[0]
        return boxes

    def box_of(self, node: Value) -> ClusterPath | None:
        """The collapsed cluster `node` disappears into, if any."""
        path = self.cluster[node]
        return path if path in self.boxes else None

    def value_count(self) -> int:
        """How many value boxes the drawing shows (a collapsed cluster counts once)."""
        return len(self.boxes) + sum(1 for node in self.order if self.box_of(node) is None)


def _too_big(count: int, max_nodes: int) -> str:
    return (
        f"draw_dot: this graph has {count} value nodes, more than max_nodes={max_nodes}, "
        "too many to read in one picture. Draw less of it: collapse=True draws each neuron "
        "(each innermost cluster of dotted labels, like layer0.neuron1) as one box; draw_dot(v) "
        "on an intermediate value v draws only the subgraph v depends on; or pass a larger max_nodes."
    )


# ---- the drawing --------------------------------------------------------------------


def draw_dot(
    root: Value,
    format: str = "svg",
    rankdir: str = "LR",
    highlight: BackwardStep | None = None,
    *,
    edge_labels: bool = False,
    collapse: bool = False,
    max_nodes: int = 200,
) -> Drawing:
    """Draw the graph `root` depends on, as a `graphviz.Digraph` (shown inline in Jupyter).

    - `format`: what ``.render()`` and ``.pipe()`` produce ('svg', 'png', 'pdf', …).
    - `rankdir`: 'LR' (left to right) or 'TB' (top to bottom).
    - `highlight`: a step from ``root.backward_steps()``; its edge (the exact
      input occurrence), its operation and its two values are marked.
    - `edge_labels`: write on each edge the local derivative d(output)/d(input).
    - `collapse`: draw each innermost cluster of dotted labels that has one
      output (a neuron, ``layer0.neuron1``) as one box showing that output.
    - `max_nodes`: refuse (ValueError) to draw more value boxes than this.

    Gradients are drawn as ``.grad`` holds them now.
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    layout = _Layout.of(root, collapse)
    count = layout.value_count()
    if count > max_nodes:
        raise ValueError(_too_big(count, max_nodes))
    if highlight is not None and highlight.node not in layout.cluster:
        raise ValueError("draw_dot: the highlighted step's node is not in this graph")
    return _Drawer(layout, highlight, edge_labels).draw(format, rankdir)


class _Drawer:
    """Writes one drawing: nodes into their clusters, then every edge."""

    def __init__(self, layout: _Layout, highlight: BackwardStep | None, edge_labels: bool) -> None:
        self.layout = layout
        self.edge_labels = edge_labels
        self.index = {node: i for i, node in enumerate(layout.order)}
        self.box_names = {path: f"box{k}" for k, path in enumerate(layout.boxes)}
        self.subgraphs: dict[ClusterPath, Drawing] = {}
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.marked_nodes: set[Value] = set()
        self.marked_edge: tuple[Value, int] | None = None  # (node, position in node.inputs)
        if highlight is not None:
            self.marked_nodes = {highlight.node, highlight.input}
            if highlight.edge is not None:  # the seed step marks the root alone
                self.marked_edge = (highlight.node, _value_positions(highlight.node)[highlight.edge])

    def draw(self, format: str, rankdir: str) -> Drawing:
        drawing = Drawing(
            format=format,
            graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "fontsize": "10", "nodesep": "0.2"},
            node_attr={"fontname": "Helvetica", "fontsize": "10"},
            edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.6"},
        )
        self.subgraphs[()] = drawing
        for node in self.layout.order:
            if self.layout.box_of(node) is None:
                self.add_value(node)
        for path, output in self.layout.boxes.items():
            self.add_box(path, output)
        for path in sorted(self.subgraphs, key=len, reverse=True):  # copied into its parent: innermost first
            if path:
                self.cluster(path[:-1]).subgraph(self.subgraphs[path])
        for tail, head, attributes in self.edges:
            drawing.edge(tail, head, **attributes)
        return drawing

    def cluster(self, path: ClusterPath) -> Drawing:
        """The subgraph drawn for `path` (and, on first use, for the clusters around it)."""
        if path not in self.subgraphs:
            self.cluster(path[:-1])
            fill = CLUSTER_FILLS[(len(path) - 1) % len(CLUSTER_FILLS)]
            self.subgraphs[path] = Drawing(
                name=f"cluster_{len(self.subgraphs)}",
                graph_attr={
                    "label": f"<{_text(path[-1])}>",
                    "tooltip": ".".join(path),
                    "labeljust": "l",
                    "style": "rounded,filled",
                    "color": "#b8c0d0",
                    "fillcolor": fill,
                },
            )
        return self.subgraphs[path]

    def name(self, node: Value) -> str:
        """The DOT name of the node that shows `node`: its own box, or its collapsed cluster's."""
        path = self.layout.box_of(node)
        return f"v{self.index[node]}" if path is None else self.box_names[path]

    def add_value(self, node: Value) -> None:
        """`node`'s box, and for a computed value its operation with the operation's input edges."""
        name, path = self.name(node), self.layout.cluster[node]
        shown = _dotted(node.label)[-1] if node.label else ""
        attributes = {"tooltip": node.label} if shown != node.label else {}
        marked = node in self.marked_nodes
        if marked:
            attributes["class"] = "highlight"
        self.cluster(path).node(name, _record(shown, node.data, node.grad, marked=marked), shape="plain", **attributes)
        if not node.op:
            return
        op = f"{name}_op"
        colours = MARKED if self.marked_edge is not None and node is self.marked_edge[0] else {}
        self.cluster(path).node(op, f"<{_text(node.op)}>", shape="ellipse", height="0.3", margin="0.04,0.02", **colours)
        self.edges.append((op, name, {"id": f"{name}_out", **colours}))
        self.add_inputs(node, op, path, range(len(node.inputs)), labelled=self.edge_labels)

    def add_box(self, path: ClusterPath, output: Value) -> None:
        """A collapsed cluster: one box showing its output, with an edge per input read from outside it."""
        name = self.box_names[path]
        members = [node for node in self.layout.order if self.layout.cluster[node] == path]
        marked = bool(self.marked_nodes & set(members))
        record = _record(path[-1], output.data, output.grad, marked=marked, bold=True)
        kind = "collapsed highlight" if marked else "collapsed"
        self.cluster(path[:-1]).node(name, record, shape="plain", tooltip=".".join(path), **{"class": kind})
        for node in members:
            if not node.op:
                continue
            arity = OPERATIONS[node.op].arity
            operands = node.inputs if arity is None else node.inputs[:arity]  # not parameters like a slope
            outside = [i for i, x in enumerate(operands) if not isinstance(x, Value) or self.layout.cluster[x] != path]
            self.add_inputs(node, name, path[:-1], outside, labelled=False)

    def add_inputs(self, node: Value, head: str, path: ClusterPath, positions: Iterable[int], labelled: bool) -> None:
        """An edge into `head` for each input occurrence of `node` at `positions`: from a value or a constant."""
        local_grads = dict(zip(_value_positions(node), node.local_grads or ()))
        for position in positions:
            x = node.inputs[position]
            attributes = {"id": f"v{self.index[node]}_edge{position}"}  # each occurrence can be found in the SVG
            if isinstance(x, Value):
                tail = self.name(x)
                if labelled:
                    attributes.update(label=f"<{_number(local_grads[position])}>", fontcolor="#1f6fb2")
                if self.marked_edge == (node, position):
                    attributes.update(MARKED, penwidth="2.5")
            else:
                tail = f"v{self.index[node]}_const{position}"
                self.cluster(path).node(tail, f"<{_text(format(x, 'g'))}>", **CONSTANT)
                attributes.update(color="#9a9a9a", style="dashed")
            self.edges.append((tail, head, attributes))


def _value_positions(node: Value) -> list[int]:
    """Where `node.parents` sit among `node.inputs`: edge k of a backward step is input ``positions[k]``."""
    return [i for i, x in enumerate(node.inputs) if isinstance(x, Value)]


# ---- the backward player ----------------------------------------------------------

_PLAYER = Template(resources.files("autograd").joinpath("player.html").read_text(encoding="utf-8"))

_PAGE = Template("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'">
<title>Backward pass, step by step</title>
</head>
<body>
$player
<script>document.querySelector(".autograd-player").focus();</script>
</body>
</html>
""")
"""A standalone page around a player; its security policy forbids loading anything from anywhere."""


@dataclass(frozen=True)
class BackwardPlayer:
    """A backward pass as a slideshow: shown inline by Jupyter, or saved as one HTML file.

    Every frame is in the HTML (one SVG per step) and the page's own JavaScript
    switches between them, so it plays with no kernel and no network.
    """

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the player as a self-contained HTML page; return its path."""
        path = Path(path)
        path.write_text(_PAGE.substitute(player=self.html), encoding="utf-8")
        return path


def backward_player(
    root: Value,
    rankdir: str = "LR",
    *,
    edge_labels: bool = False,
    collapse: bool = False,
    max_nodes: int = 100,
) -> BackwardPlayer:
    """Run `root`'s backward pass one step at a time and draw the graph after each step.

    Frame 0 is the graph before any step; frame k highlights step k and shows
    its chain rule (``explain(step)``). Controls: previous / next / play, and
    the arrow keys once the player has focus (click it).

    Creating the player zeroes the graph's gradients and runs one backward pass
    through ``root.backward_steps()``, so every frame shows this pass alone and
    afterwards every gradient is what a single ``root.backward()`` gives. The
    drawing options are those of `draw_dot`; `max_nodes` is lower here because
    the page holds one drawing per step.
    """

    def draw(step: BackwardStep | None = None) -> Drawing:
        return draw_dot(root, "svg", rankdir, step, edge_labels=edge_labels, collapse=collapse, max_nodes=max_nodes)

    draw()  # checks the options before any gradient changes
    root.zero_grad()
    before = _svg(draw())  # a missing `dot` stops us here, before the backward pass
    drawings, captions = [], [_BEFORE.format(root=node_name(root))]
    for step in root.backward_steps():
        drawings.append(draw(step))  # the DOT text keeps the gradients of this moment
        captions.append(str(explain(step)))
    with ThreadPoolExecutor() as pool:
        svgs = [before, *pool.map(_svg, drawings)]
    frames = "\n".join(
        f'<figure class="autograd-player-frame" data-step="{i}"{" hidden" if i else ""}>'
        f"<figcaption>{html.escape(caption)}</figcaption>\n{svg}</figure>"
        for i, (caption, svg) in enumerate(zip(captions, svgs))
    )
    player_id = f"autograd-player-{uuid.uuid4().hex}"  # several players in one notebook must not clash
    return BackwardPlayer(_PLAYER.substitute(player_id=player_id, steps=len(drawings), frames=frames))


_BEFORE = (
    "Before the backward pass. Each step sends one node's gradient back along one edge, "
    "input.grad += local derivative × node.grad, starting from ∂{root}/∂{root} = 1."
)


def _svg(drawing: Drawing) -> str:
    """The drawing as an <svg> element to put inside HTML (without the XML prolog and doctype)."""
    svg: str = drawing.pipe(format="svg", encoding="utf-8")
    return svg[svg.index("<svg") :]
