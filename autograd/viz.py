"""Drawing a computation graph, and playing its backward pass one step at a time.

`draw_dot(root)` draws everything `root` depends on as a `graphviz.Digraph`,
which Jupyter displays inline:

- each `Value` is a small box: its label, then ``data`` and ``grad`` (as
  ``.grad`` is at drawing time), numbers written as the explanations write them;
- each operation is a node of its own (× + − ÷ tanh …), with one edge per input
  occurrence (``a + a`` has two edges from ``a``); numbers mixed into the
  expression are small grey boxes next to their operation;
- dotted labels group nodes: ``layer0.neuron1.w0`` is drawn as ``w0`` inside
  cluster ``neuron1`` inside cluster ``layer0``. An unlabelled node joins the
  cluster of the nodes that use it when they all share one;
- groups that repeat one structure (the time steps of an unrolled recurrent
  net, the neurons of a layer) line up: their matching nodes share a rank, and
  parameters shared by several of them sit apart, in a group of their own;
- past `max_nodes` value boxes, each innermost group is drawn as one box per
  value it passes on (a neuron: its output), and the drawing says so.

`draw_dot(root, highlight=step)` draws one step of the backward pass: the edge
the gradient travels, from the node back to its input, labelled with its local
derivative; the node the gradient comes from in blue, the input whose gradient
just changed in orange.

`backward_player(root)` runs the backward pass through `Value.backward_steps()`
and puts a drawing of every step into one self-contained HTML player. Without
Graphviz's ``dot``, Jupyter and the player lay out and draw the graphs in the
browser, with a WebAssembly build of Graphviz (``autograd/vendor/viz-js``);
only saving a drawing as a file needs ``dot``.

Every option is a field of `DrawingOptions`, shared by `draw_dot`, the player
and the demo. Drawing only reads the graph; the player changes gradients only,
as ``backward()`` would. Every word a learner reads is in the "words" section
below, in the language of the moment a drawing or player is made
(`autograd.set_language`); a right-to-left player keeps every formula, name and
number a left-to-right isolate, and its arrow keys follow the reading direction.
"""

from __future__ import annotations

import base64
import html
import json
import os
import textwrap
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

try:
    import graphviz  # type: ignore[import-untyped]
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("autograd.viz draws with the graphviz package: pip install 'scalar-autograd[viz]'") from error

from autograd.display import isolate, isolate_html, write_atomically
from autograd.engine import OPERATIONS, BackwardStep, Value, topological_order
from autograd.explain import explain, format_number, node_name
from autograd.i18n import _, current_language, direction, ngettext

__all__ = [
    "BackwardPlayer",
    "Drawing",
    "DrawingOptions",
    "GraphvizNotFound",
    "backward_player",
    "draw_dot",
    "write_atomically",
]

# ---- words ---------------------------------------------------------------------------
# Every word a learner reads in a drawing or the player is here, marked for translation
# (autograd.i18n) and looked up when a drawing or player is made; formulas (``x1.grad += …``)
# stay apart from the words, so a right-to-left page can show them as left-to-right isolates.


def _words() -> dict[str, str]:
    """The words of the player page, in the current language, and the language and its direction."""
    rtl = direction() == "rtl"
    return {
        "language": current_language(),
        "direction": direction(),
        "title": _("Backward pass, step by step"),
        "first": _("first"),
        "previous": _("previous"),
        "play": _("play"),
        "pause": _("pause"),
        "next": _("next"),
        "last": _("last"),
        "legend_changed": _("the gradient that just changed"),
        "legend_upstream": _("the node it came from"),
        "legend_edge": _("the gradient's way back, with its local derivative"),
        # translators: {previous} and {next} are the arrow keys, mirrored for a right-to-left language
        "keys": _("Keys: {previous} {next} one step, Home / End first and last, Space play or pause.").format(
            previous="→" if rtl else "←", next="←" if rtl else "→"
        ),
        "all_steps": _("All steps"),
        "no_script": _(
            "The player's buttons need its script, which Jupyter runs once the notebook is trusted "
            "(or the cell is run again). Here are the graph after the backward pass and every step."
        ),
        "no_picture": _("Graphviz's dot is not installed, so the graph is drawn by the page's script, in the browser."),
        "drawn_by_script": _(
            "Graphviz's dot is not installed, so this drawing is laid out and drawn by its own script, "
            "which Jupyter runs once the notebook is trusted (or the cell is run again)."
        ),
    }


def _box_words() -> tuple[str, str]:
    """The words beside a value's two numbers in its box: its data, and its gradient."""
    # translators: beside a value's number in a drawing (v.data)
    data = _("data")
    # translators: beside a value's gradient in a drawing (v.grad)
    return data, _("grad")


def _before_caption() -> str:
    return _("Before the backward pass: every gradient is 0.")


def _seed_caption(last: int) -> str:
    return ngettext(
        "Step {index} of {last}, the seed: the backward pass starts at {root}, whose gradient is 1.",
        "Step {index} of {last}, the seed: the backward pass starts at {root}, whose gradient is 1.",
        last,
    )


def _step_caption(last: int) -> str:
    return ngettext(
        "Step {index} of {last}: {node} sends its gradient back through {op} to {input}.",
        "Step {index} of {last}: {node} sends its gradient back through {op} to {input}.",
        last,
    )


def _shared_cluster_label(users: str) -> str:
    # translators: the title of a group of parameters used by several time steps, like "shared by t1, t2, t3"
    return _("shared by {users}").format(users=users)


def _collapsed_note(count: int, max_nodes: int, boxes: int, example: str) -> str:
    too_many = ngettext(
        "{count} value is too many for one picture (max_nodes={max_nodes}), so each group, like {example}, "
        "is drawn as one box showing the value it passes on.",
        "{count} values are too many for one picture (max_nodes={max_nodes}), so each group, like {example}, "
        "is drawn as one box showing the value it passes on.",
        count,
    )
    drawn = ngettext("That makes {boxes} such box.", "That makes {boxes} such boxes.", boxes)
    return f"{too_many.format(count=count, max_nodes=max_nodes, example=example)} {drawn.format(boxes=boxes)}"


def _no_groups_advice(count: int, max_nodes: int) -> str:
    return ngettext(
        "draw_dot: this graph has {count} value node, more than max_nodes={max_nodes}, and no dotted labels "
        "(like layer0.neuron1.w0) that would let it draw a group of them as one box. Draw part of it: "
        "draw_dot(v) on an intermediate value v draws only what v depends on; or pass max_nodes={count}.",
        "draw_dot: this graph has {count} value nodes, more than max_nodes={max_nodes}, and no dotted labels "
        "(like layer0.neuron1.w0) that would let it draw a group of them as one box. Draw part of it: "
        "draw_dot(v) on an intermediate value v draws only what v depends on; or pass max_nodes={count}.",
        count,
    ).format(count=count, max_nodes=max_nodes)


def _still_too_big_advice(count: int, max_nodes: int, boxes: int) -> str:
    return ngettext(
        "draw_dot: this graph has {count} value node; even with each group (like layer0.neuron1) drawn as "
        "one box per value it passes on, that is {boxes} boxes, more than max_nodes={max_nodes}. Draw part "
        "of it: draw_dot(v) on an intermediate value v (the loss of one example, say) draws only what v "
        "depends on; or pass max_nodes={boxes}.",
        "draw_dot: this graph has {count} value nodes; even with each group (like layer0.neuron1) drawn as "
        "one box per value it passes on, that is {boxes} boxes, more than max_nodes={max_nodes}. Draw part "
        "of it: draw_dot(v) on an intermediate value v (the loss of one example, say) draws only what v "
        "depends on; or pass max_nodes={boxes}.",
        count,
    ).format(count=count, max_nodes=max_nodes, boxes=boxes)


def _too_many_steps_advice(steps: int, max_steps: int) -> str:
    return ngettext(
        "backward_player: this backward pass has {steps} step, more than max_steps={max_steps}, and the page "
        "holds a drawing of every one. Play part of it: backward_player(v) on an intermediate value v; "
        "or pass max_steps={steps}.",
        "backward_player: this backward pass has {steps} steps, more than max_steps={max_steps}, and the page "
        "holds a drawing of every one. Play part of it: backward_player(v) on an intermediate value v; "
        "or pass max_steps={steps}.",
        steps,
    ).format(steps=steps, max_steps=max_steps)


INSTALL_GRAPHVIZ = """\
Saving a drawing as a file needs Graphviz's `dot` program, which is not on PATH.
(Jupyter and the backward player draw without it, in the browser.) Install Graphviz:
  Debian/Ubuntu: sudo apt-get install graphviz
  macOS:         brew install graphviz
  conda:         conda install -c conda-forge graphviz
The DOT text of a drawing is available without it, as `.source`."""


# ---- options ---------------------------------------------------------------------------

RANKDIRS = ("LR", "TB")
"""Left to right (inputs on the left) or top to bottom (inputs at the top)."""


@dataclass(frozen=True)
class DrawingOptions:
    """How to draw a graph: one object for `draw_dot`, `backward_player` and the demo.

    - `rankdir`: 'LR' (inputs on the left, the default) or 'TB' (inputs on top).
    - `edge_labels`: write on every edge its local derivative d(output)/d(input).
    - `collapse`: draw each innermost group of dotted labels as one box per value
      it passes on (a neuron as its output). Drawings past `max_nodes` value
      boxes collapse anyway, and say so.
    - `max_nodes`: the most value boxes a drawing shows; past it, collapsing
      is tried, and when that is not enough `draw_dot` refuses with advice.
    - `font_size`: in points; every size in the drawing follows it. At the
      default 10 every text but the operations' symbols shows at 13.3 px.
    - `dpi`: pixels per inch of PNG files (96 matches the SVG on screen; 192 for slides).

    Fields can also be given as keywords: ``draw_dot(loss, edge_labels=True)``.
    """

    rankdir: str = "LR"
    edge_labels: bool = False
    collapse: bool = False
    max_nodes: int = 200
    font_size: float = 10.0
    dpi: int = 96

    def __post_init__(self) -> None:
        if self.rankdir not in RANKDIRS:
            raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {self.rankdir!r}")
        if self.max_nodes < 1 or self.font_size <= 0 or self.dpi <= 0:
            raise ValueError(
                f"max_nodes, font_size and dpi must be positive, got {self.max_nodes}, {self.font_size}, {self.dpi}"
            )

    def changed(self, **changes: Any) -> DrawingOptions:
        """A copy with some fields changed; a name that is not a field is a TypeError that lists them."""
        names = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise TypeError(f"unknown drawing option {', '.join(unknown)}; the options are {', '.join(sorted(names))}")
        return replace(self, **changes)


def _options(options: DrawingOptions | None, changes: dict[str, Any]) -> DrawingOptions:
    return (options or DrawingOptions()).changed(**changes)


# ---- colours and sizes ----------------------------------------------------------------

INK = "#2b3340"
MUTED = "#6b7280"
CHANGED = "#d9480f"  # the input whose gradient just changed, and the gradient's way back
CHANGED_FILL = "#ffe3c2"
UPSTREAM = "#1d5fbf"  # the node the gradient came from
UPSTREAM_FILL = "#dce9fb"
EDGE_LABEL = "#1f6fb2"
CONSTANT_INK = "#8a8f98"
CLUSTER_FILLS = ("#eef2f9", "#ffffff")  # alternating, so nested clusters stand apart
SHARED_FILL = "#fff8e6"

OP_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "neg": "−", "**": "^", "pow": "^"}
"""How an operation is written in a drawing; the others by their name (tanh, exp, linear …)."""


# ---- Graphviz, and drawing in the browser without it ------------------------------------


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


@cache
def _viz_js() -> str:
    """Viz.js, Graphviz compiled to WebAssembly (vendored: see autograd/vendor/viz-js/README.md)."""
    return resources.files("autograd").joinpath("vendor/viz-js/viz-global.js").read_text(encoding="utf-8")


def _script_json(value: object) -> str:
    """`value` as JSON that can sit inside a <script> element: no ``</script>`` can end it early."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


_IN_BROWSER = Template("""\
<div class="autograd-drawing" id="$id">
<p lang="$language" dir="$direction">$note</p>
<script type="application/json">$source</script>
<script>$viz</script>
<script>
Viz.instance().then(function (viz) {
  const box = document.getElementById("$id");
  const svg = viz.renderSVGElement(JSON.parse(box.querySelector("script").textContent));
  svg.style.fontStretch = "condensed";  // Viz.js sizes text by Helvetica's widths: a condensed face fits wider fonts
  box.replaceChildren(svg);
});
</script>
</div>""")
"""A drawing laid out and drawn by the browser; the note shows where scripts do not run."""


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` that shows in Jupyter with or without Graphviz installed, and saves safely.

    With ``dot`` on PATH, Jupyter gets the SVG ``dot`` makes; without it, HTML
    whose script draws the graph in the browser. `write` writes a file through a
    temporary one, and needs ``dot``; so do `pipe` and `render`, which say how
    to install it.
    """

    options = DrawingOptions()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, str]:
        try:
            return {"image/svg+xml": self.pipe(format="svg", encoding="utf-8")}
        except GraphvizNotFound:
            return {"text/html": self.in_browser()}

    def in_browser(self) -> str:
        """HTML that lays out and draws this graph in the browser (Graphviz in WebAssembly), without ``dot``."""
        note = html.escape(_words()["drawn_by_script"])
        return _IN_BROWSER.substitute(
            id=f"autograd-drawing-{uuid.uuid4().hex}",
            language=current_language(),
            direction=direction(),  # the note's; the drawing itself stays left to right
            note=note,
            source=_script_json(self.source),
            viz=_viz_js(),
        )

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _explaining_missing_dot():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _explaining_missing_dot():
            return super().render(*args, **kwargs)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the drawing as the file `path` names: .svg, .png (at the options' dpi), .pdf, …, or .dot
        (its DOT text, which needs no Graphviz); return its path.

        The file appears whole or not at all: it is written to a temporary file
        first, which replaces `path` only when complete.
        """
        path = Path(path)
        format = path.suffix.removeprefix(".").lower()
        if format in ("dot", "gv"):  # the DOT text itself: no need for Graphviz
            return write_atomically(path, self.source)
        drawing = self.copy()
        if format == "png":
            drawing.attr(dpi=str(self.options.dpi))  # only here: in an SVG, dpi would scale the picture
        return write_atomically(path, drawing.pipe(format=format))


# ---- text inside HTML-like labels ----------------------------------------------------------


def _text(text: str) -> str:
    """`text` as literal characters in a label: markup escaped, control characters shown as escapes."""
    visible = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    # Graphviz expands escapes like \\N (the node's name) even here; a doubled backslash is a literal one
    return html.escape(visible).replace("\\", "\\\\")


@dataclass(frozen=True)
class _Look:
    """How one box is coloured: plain, the input whose gradient just changed, or the node it came from."""

    border: str
    fill: str
    css: str  # the SVG class, for tests and the player's scrolling


PLAIN = _Look(INK, "white", "")
LOOK_CHANGED = _Look(CHANGED, CHANGED_FILL, "highlight changed")
LOOK_UPSTREAM = _Look(UPSTREAM, UPSTREAM_FILL, "highlight upstream")


def _text_width(text: str, font_size: float) -> float:
    """About how wide `text` is, in points: an estimate that errs on the wide side."""
    return font_size * sum(0.84 if c == "−" else 0.34 if c in ".," else 0.64 for c in text)


def _value_label(
    title: str, data: float, grad: float, look: _Look, font_size: float, number_width: float = 0, bold: bool = False
) -> str:
    """A value's box as an HTML-like label: the title on top, then ``data`` and ``grad`` with their numbers.

    A `number_width` (points) keeps the box one size while its gradient changes.
    """
    widest = max(number_width, _text_width(format_number(data), font_size), _text_width(format_number(grad), font_size))
    width = f' WIDTH="{round(widest + 0.8 * font_size)}"'  # with a gap after the word
    name = f"<B>{_text(title)}</B>" if bold else _text(title)  # the same in every look, so nothing moves
    grad_text = _text(format_number(grad))
    if look is LOOK_CHANGED:
        grad_text = f'<FONT COLOR="{CHANGED}">{grad_text}</FONT>'
    rows = [f'<TR><TD COLSPAN="2" CELLPADDING="3">{name}</TD></TR>'] if title else []  # room for wider fonts
    for word, number in zip(_box_words(), (_text(format_number(data)), grad_text)):
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT COLOR="{MUTED}">{word}</FONT></TD><TD ALIGN="RIGHT"{width}>{number}</TD></TR>'
        )
    table = (
        f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" STYLE="rounded" '
        f'COLOR="{look.border}" BGCOLOR="{look.fill}">'
    )
    return f"<{table}{''.join(rows)}</TABLE>>"


# ---- where each node goes: clusters, collapsed boxes, repeated blocks -----------------------

ClusterPath = tuple[str, ...]
"""A cluster: the dotted-label prefix shared by its nodes, ``('layer0', 'neuron1')``; () is the top level."""

SHARED = "#shared"
"""The last part of the path of a cluster made for shared parameters (no dotted label can contain '#')."""


def _dotted(label: str) -> ClusterPath:
    """``'layer0.neuron1.w0'`` -> ``('layer0', 'neuron1', 'w0')``; any other label is a single part."""
    parts = tuple(label.split("."))
    return parts if all(part.isidentifier() for part in parts) else (label,)


@dataclass
class _Layout:
    """What the drawing needs to know about the graph below a root, found from labels and structure alone."""

    root: Value
    order: list[Value]  # every node, parents before the nodes using them
    users: dict[Value, list[Value]]  # the nodes that take each node as an input
    cluster: dict[Value, ClusterPath]
    boxes: dict[Value, ClusterPath] = field(default_factory=dict)  # collapsed: each box's output, and its group
    inside: dict[Value, list[Value]] = field(default_factory=dict)  # collapsed: the box outputs each node is drawn in
    note: str = ""  # what the drawing did on its own, said at its top

    @classmethod
    def of(cls, root: Value, options: DrawingOptions) -> _Layout:
        """The layout of `root`'s graph, collapsed when asked or when it has more than `max_nodes` values."""
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
        layout = cls(root, order, users, cluster)
        count = layout.value_count()
        if options.collapse or count > options.max_nodes:
            layout._collapse()
        collapsed = layout.value_count()
        if collapsed > options.max_nodes:
            if not layout.boxes:
                raise ValueError(_no_groups_advice(count, options.max_nodes))
            raise ValueError(_still_too_big_advice(count, options.max_nodes, collapsed))
        if count > options.max_nodes:
            example = ".".join(min(layout.boxes.values()))
            layout.note = _collapsed_note(count, options.max_nodes, len(layout.boxes), example)
        return layout

    @cached_property
    def members(self) -> dict[ClusterPath, list[Value]]:
        """The nodes of each cluster, in topological order."""
        members: dict[ClusterPath, list[Value]] = defaultdict(list)
        for node in self.order:
            members[self.cluster[node]].append(node)
        return members

    @cached_property
    def innermost(self) -> set[ClusterPath]:
        """The clusters that hold no other cluster (the top level is not one)."""
        paths = set(self.members)
        return {p for p in paths if p and not any(len(o) > len(p) and o[: len(p)] == p for o in paths)}

    def outputs(self, path: ClusterPath, nodes: list[Value]) -> list[Value]:
        """The nodes of cluster `path` that are used outside it, or are the root."""
        return [n for n in nodes if n is self.root or any(self.cluster[u] != path for u in self.users[n])]

    def _collapse(self) -> None:
        """Draw each innermost cluster as one box per computed output, holding what that output is made of there.

        Leaves used outside their cluster (a weight in a penalty) stay visible,
        and so does every cluster without a computed output.
        """
        for path in self.innermost:
            outputs = self.outputs(path, self.members[path])
            for output in outputs:
                if not output.op:
                    continue
                self.boxes[output] = path
                stack = [output]
                while stack:  # what `output` is made of inside its cluster, up to other outputs
                    node = stack.pop()
                    if output in self.inside.setdefault(node, []):
                        continue
                    self.inside[node].append(output)
                    stack += [p for p in node.parents if self.cluster[p] == path and p not in outputs]

    def visible(self, node: Value) -> bool:
        """Whether `node` has a node of its own: not collapsed, or the output a box shows."""
        return node not in self.inside or node in self.boxes

    def value_count(self) -> int:
        """How many value boxes the drawing shows (a collapsed box counts once)."""
        return sum(1 for node in self.order if self.visible(node))

    def repeated_blocks(self) -> list[list[list[Value]]]:
        """Groups of sibling clusters that repeat one structure, each cluster's nodes in matching order.

        The time steps ``t1``, ``t2``, … of an unrolled recurrent net are one
        group; the neurons of a layer another. Collapsed clusters are left out.
        """
        shapes: dict[tuple[ClusterPath, tuple[tuple[str, int], ...]], list[list[Value]]] = defaultdict(list)
        for path, nodes in self.members.items():
            if path in self.innermost and all(self.visible(n) for n in nodes):
                shape = tuple((n.op, len(n.inputs)) for n in nodes)
                shapes[path[:-1], shape].append(nodes)
        return [blocks for blocks in shapes.values() if len(blocks) > 1]

    def shared_parameters(self) -> dict[Value, list[ClusterPath]]:
        """Top-level leaves used in two or more blocks of one chained group (``w_h`` in every time step).

        A group is chained when its blocks feed one another, like time steps;
        the inputs every neuron of a layer reads are not shared parameters.
        """
        shared: dict[Value, list[ClusterPath]] = {}
        for blocks in self.repeated_blocks():
            paths = [self.cluster[nodes[0]] for nodes in blocks]
            chained = any(
                self.cluster[p] in paths and p not in nodes for nodes in blocks for n in nodes for p in n.parents
            )
            if not chained:
                continue
            for nodes in blocks:
                for node in nodes:
                    for leaf in node.parents:
                        if not leaf.op and self.cluster[leaf] == () and leaf not in shared:
                            using = [p for p in paths if any(self.cluster[u] == p for u in self.users[leaf])]
                            if len(using) > 1:
                                shared[leaf] = using
        return shared


@dataclass(frozen=True)
class _Steady:
    """What keeps a drawing's layout the same in every frame of a player.

    Each box is as wide as the widest number it will show, and every edge into
    an operation has room for its local derivative, shown when it is the step's.
    """

    number_widths: dict[Value, float]

    @classmethod
    def of(cls, root: Value, font_size: float) -> _Steady:
        """Run a backward pass (through `backward_steps`, so the gradients end as they began) to find those widths."""
        shown = {node: [format_number(node.data), format_number(0.0)] for node in topological_order(root)}
        steps = root.backward_steps()
        for step in steps:
            shown[step.input].append(format_number(step.input_grad))
            if step.index == step.total - 1:
                break  # closed before it finishes, the pass puts every gradient back as it was
        steps.close()
        return cls({node: max(_text_width(text, font_size) for text in texts) for node, texts in shown.items()})


# ---- the drawing ---------------------------------------------------------------------------


def draw_dot(
    root: Value,
    options: DrawingOptions | None = None,
    *,
    highlight: BackwardStep | None = None,
    format: str = "svg",
    **changes: Any,
) -> Drawing:
    """Draw the graph `root` depends on, as a `graphviz.Digraph` (shown inline in Jupyter).

    - `options`: a `DrawingOptions`; its fields can also be given as keywords,
      ``draw_dot(loss, edge_labels=True, rankdir="TB")``.
    - `highlight`: a step from ``root.backward_steps()``: the gradient's way
      back along its edge, the node it comes from, the input it changes.
    - `format`: what ``.pipe()`` and ``.render()`` produce ('svg', 'png', 'pdf', …).

    Gradients are drawn as ``.grad`` holds them now. Past ``max_nodes`` value
    boxes the drawing collapses groups, and says so at its top; a ValueError
    with advice when even that is too big.
    """
    options = _options(options, changes)
    layout = _Layout.of(root, options)
    if highlight is not None and highlight.node not in layout.cluster:
        raise ValueError("draw_dot: the highlighted step's node is not in this graph")
    return _Drawer(layout, options, highlight).draw(format)


class _Drawer:
    """Writes one drawing: nodes into their clusters, the rank rules, then every edge."""

    def __init__(
        self, layout: _Layout, options: DrawingOptions, highlight: BackwardStep | None, steady: _Steady | None = None
    ) -> None:
        self.layout = layout
        self.steady = steady
        self.options = options
        self.size = options.font_size
        self.index = {node: i for i, node in enumerate(layout.order)}
        self.shared = layout.shared_parameters()
        self.subgraphs: dict[ClusterPath, Drawing] = {}
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.same_rank: list[list[str]] = []
        self.looks: dict[str, _Look] = {}
        self.marked_edge: tuple[Value, int] | None = None  # (node, position in node.inputs)
        if highlight is not None:
            self._mark(highlight)

    def _mark(self, step: BackwardStep) -> None:
        """Colour the step's two ends; a step inside a collapsed box colours that box as changed."""
        changed = self.names(step.input)
        if not step.is_seed:
            assert step.position is not None
            self.marked_edge = (step.node, step.position)
            upstream = self.names(step.node)
            if not self.layout.visible(step.input):
                changed &= upstream or changed  # the box the step happens in
            for name in upstream - changed:
                self.looks[name] = LOOK_UPSTREAM
        for name in changed:
            self.looks[name] = LOOK_CHANGED

    def names(self, node: Value) -> set[str]:
        """The DOT names of the nodes that show `node`: its own, or the collapsed boxes it is drawn in."""
        if self.layout.visible(node):
            return {self.name(node)}
        return {self.name(output) for output in self.layout.inside[node]}

    def name(self, node: Value) -> str:
        """The DOT name of a visible node: ``v<i>``, or ``box<i>`` for a collapsed box showing `node`."""
        return f"box{self.index[node]}" if node in self.layout.boxes else f"v{self.index[node]}"

    def draw(self, format: str) -> Drawing:
        size, options = self.size, self.options
        drawing = Drawing(
            format=format,
            graph_attr={
                "rankdir": options.rankdir,
                "newrank": "true",  # lets matching nodes of different clusters share a rank
                "nodesep": f"{0.025 * size:.3f}",
                "ranksep": f"{0.016 * size:.3f}",
                "bgcolor": "white",
                "pad": f"{0.008 * size:.3f}",
                "fontname": "Helvetica",
                "fontsize": f"{size:g}",
                "fontcolor": INK,
            },
            node_attr={"fontname": "Helvetica", "fontsize": f"{size:g}", "fontcolor": INK, "color": INK},
            edge_attr={
                "fontname": "Helvetica",
                "fontsize": f"{size:g}",
                "arrowsize": "0.6",
                "color": "#5a6270",
            },
        )
        drawing.options = options
        if self.layout.note:
            side = "RIGHT" if direction() == "rtl" else "LEFT"  # where a line of the language starts
            lines = textwrap.wrap(self.layout.note, 70)
            note = "".join(f'{_text(line)}<BR ALIGN="{side}"/>' for line in lines)
            drawing.attr(label=f"<{note}>", labelloc="t", labeljust=side[0].lower())
        self.subgraphs[()] = drawing
        for node in self.layout.order:
            if node in self.layout.boxes:
                self.add_box(node)
            elif self.layout.visible(node):
                self.add_value(node)
        for path in sorted(self.subgraphs, key=len, reverse=True):  # copied into its parent: innermost first
            if path:
                self.cluster(path[:-1]).subgraph(self.subgraphs[path])
        self.add_rank_rules(drawing)
        for tail, head, attributes in self.edges:
            drawing.edge(tail, head, **attributes)
        return drawing

    def cluster(self, path: ClusterPath) -> Drawing:
        """The subgraph drawn for `path` (and, on first use, for the clusters around it)."""
        if path not in self.subgraphs:
            self.cluster(path[:-1])
            if path[-1] == SHARED:
                users = sorted({".".join(p) for paths in self.shared.values() for p in paths})
                label, tooltip, fill, style = _shared_cluster_label(", ".join(users)), "", SHARED_FILL, "dashed"
            else:
                label, tooltip = path[-1], ".".join(path)
                fill, style = CLUSTER_FILLS[(len(path) - 1) % len(CLUSTER_FILLS)], "solid"
            self.subgraphs[path] = Drawing(
                name=f"cluster_{len(self.subgraphs)}",
                graph_attr={
                    "label": f"<{_text(label)}>",
                    "tooltip": tooltip or label,
                    "labeljust": "l",
                    "style": f"rounded,filled,{style}",
                    "color": "#b8c0d0",
                    "fillcolor": fill,
                    "fontcolor": MUTED,
                },
            )
        return self.subgraphs[path]

    def home(self, node: Value) -> ClusterPath:
        """The cluster `node` is drawn in: its own, or the cluster of shared parameters."""
        return (SHARED,) if node in self.shared else self.layout.cluster[node]

    def add_value(self, node: Value) -> None:
        """`node`'s box, and for a computed value its operation with the operation's input edges."""
        name, path = self.name(node), self.home(node)
        shown = _dotted(node.label)[-1] if node.label else ""
        look = self.looks.get(name, PLAIN)
        attributes = {"tooltip": node.label} if shown != node.label else {}
        if look.css:
            attributes["class"] = look.css
        label = _value_label(shown, node.data, node.grad, look, self.size, self.number_width(node))
        self.cluster(path).node(name, label, shape="plain", **attributes)
        if not node.op:
            return
        op = f"{name}_op"
        flow = self.marked_edge is not None and node is self.marked_edge[0]
        self.add_operation(op, node.op, path, flow)
        self.edges.append((op, name, {"id": f"{name}_out", **(self.flow() if flow else {})}))
        self.add_inputs(node, op, path, range(len(node.inputs)), self.options.edge_labels)

    def number_width(self, node: Value) -> float:
        return self.steady.number_widths[node] if self.steady else 0

    def add_operation(self, name: str, op: str, path: ClusterPath, flow: bool) -> None:
        """An operation's node: a small circle for a symbol, an oval for a name."""
        symbol = OP_SYMBOLS.get(op, op)
        diameter = f"{0.03 * self.size:.2f}"  # inches: a symbol at 1.4 times the font size fits
        attributes = {"fontsize": f"{1.4 * self.size:g}", "shape": "circle", "width": diameter, "fixedsize": "true"}
        if len(symbol) > 1 or symbol.isalpha():
            attributes = {"shape": "ellipse", "height": f"{0.028 * self.size:.2f}", "margin": "0.03,0.01"}
        if flow:
            attributes.update(color=CHANGED, fontcolor=CHANGED, penwidth="2", **{"class": "highlight"})
        self.cluster(path).node(name, f"<{_text(symbol)}>", **attributes)

    def flow(self) -> dict[str, str]:
        """The look of the step's edges: drawn the way the gradient travels, back from the node to its input."""
        return {"color": CHANGED, "penwidth": "2.5", "dir": "back", "arrowsize": "0.8", "class": "highlight"}

    def add_box(self, output: Value) -> None:
        """A collapsed box: titled with its group, showing `output`, with an edge per input read from outside it."""
        name, path = self.name(output), self.layout.boxes[output]
        look = self.looks.get(name, PLAIN)
        label = _value_label(path[-1], output.data, output.grad, look, self.size, self.number_width(output), bold=True)
        css = f"collapsed {look.css}".strip()
        self.cluster(path[:-1]).node(name, label, shape="plain", tooltip=".".join(path), **{"class": css})
        for node in self.layout.order:
            if node.op and output in self.layout.inside.get(node, ()):
                arity = OPERATIONS[node.op].arity
                operands = node.inputs if arity is None else node.inputs[:arity]  # not parameters like a slope
                outside = [
                    i
                    for i, x in enumerate(operands)
                    if not isinstance(x, Value) or output not in self.layout.inside.get(x, ())
                ]
                self.add_inputs(node, name, path[:-1], outside, labelled=False)

    def add_inputs(self, node: Value, head: str, path: ClusterPath, positions: Iterable[int], labelled: bool) -> None:
        """An edge into `head` for each input occurrence of `node` at `positions`: from a value or a constant."""
        local_grads = dict(zip(_value_positions(node), node.local_grads or ()))
        for position in positions:
            x = node.inputs[position]
            attributes = {"id": f"v{self.index[node]}_edge{position}"}  # each occurrence can be found in the SVG
            if isinstance(x, Value):
                (tail,) = self.names(x)
                marked = self.marked_edge == (node, position)
                if marked:
                    attributes.update(self.flow())
                if labelled or marked or self.steady:
                    attributes["label"] = self.derivative_label(local_grads[position], marked, shown=labelled or marked)
            else:
                tail = f"v{self.index[node]}_const{position}"
                self.cluster(path).node(
                    tail,
                    f"<{_text(format(x, 'g'))}>",
                    shape="box",
                    style="rounded",
                    height=f"{0.02 * self.size:.2f}",
                    width="0",
                    margin="0.04,0.01",
                    color=CONSTANT_INK,
                    fontcolor=CONSTANT_INK,
                    **{"class": "constant"},
                )
                attributes.update(color=CONSTANT_INK, style="dashed", arrowsize="0.5")
                self.same_rank.append([tail, head])  # next to its operation, not a rank of its own
            self.edges.append((tail, head, attributes))

    def derivative_label(self, local_grad: float, marked: bool, shown: bool) -> str:
        """An edge's local derivative: blue, or in an orange tag on the step's edge; in a steady
        drawing, every edge into an operation keeps room for it, shown or not."""
        text = format_number(local_grad)
        colour = CHANGED if marked else EDGE_LABEL
        number = f'<FONT COLOR="{colour}">{_text(text)}</FONT>' if shown else ""
        fixed = ""
        if self.steady:
            width, height = _text_width(text, self.size) + 6, self.size * 1.5 + 4
            fixed = f' FIXEDSIZE="TRUE" WIDTH="{round(width)}" HEIGHT="{round(height)}"'
        border, fill = (CHANGED, "white") if marked else ("transparent", "transparent")
        table = (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" STYLE="rounded" '
            f'COLOR="{border}" BGCOLOR="{fill}"'
        )
        return f"<{table}{fixed}><TR><TD>{number}</TD></TR></TABLE>>"

    def add_rank_rules(self, drawing: Drawing) -> None:
        """Matching nodes of repeated blocks share a rank, and so do the collapsed boxes of one group
        (a layer's neurons, for every example); a constant shares its operation's rank."""
        for blocks in self.layout.repeated_blocks():
            for matching in zip(*blocks):
                self.same_rank.append([self.name(node) for node in matching])
                if matching[0].op:
                    self.same_rank.append([f"{self.name(node)}_op" for node in matching])
        boxes: dict[tuple[ClusterPath, str], list[str]] = defaultdict(list)
        for output, path in self.layout.boxes.items():
            boxes[path[:-1], output.op].append(self.name(output))
        self.same_rank += [names for names in boxes.values() if len(names) > 1]
        for names in self.same_rank:
            with drawing.subgraph() as rank:
                rank.attr(rank="same")
                for name in names:
                    rank.node(name)


def _value_positions(node: Value) -> list[int]:
    """Where `node.parents` sit among `node.inputs`: edge k of a backward step is input ``positions[k]``."""
    return [i for i, x in enumerate(node.inputs) if isinstance(x, Value)]


# ---- the root's expression, for the player's heading ----------------------------------------

_INFIX = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 3, "pow": 3}
"""Binary operations written between their operands, with their precedence."""


def _expression(root: Value, limit: int = 90) -> str:
    """`root` as a formula, ``o = tanh(x1 × w1 + x2 × w2 + b)``: in full when that is short,
    else down to labelled values, else one operation deep."""
    attempts: list[Callable[[Value], bool]] = [lambda v: False, lambda v: bool(v.label), lambda v: True]
    for stop in attempts:
        formula = _formula(root, stop, top=True)
        text = f"{node_name(root)} = {formula}" if root.label and root.op else formula
        if len(text) <= limit:
            break
    return text


def _formula(x: Value | float, stop: Callable[[Value], bool], top: bool = False) -> str:
    """`x` written out, stopping at nodes where `stop(node)` holds (below the top)."""
    if not isinstance(x, Value):
        return format_number(x)
    if not x.op:
        return node_name(x) if x.label else format_number(x.data)
    if not top and stop(x):
        return node_name(x) if x.label else "…"
    op = OPERATIONS[x.op]
    operands = x.inputs if op.arity is None else x.inputs[: op.arity]
    params = x.inputs[len(operands) :]
    if x.op in _INFIX:
        left, right = (_operand(x.op, operand, side, stop) for side, operand in enumerate(x.inputs))
        return f"{left} {OP_SYMBOLS.get(x.op, x.op)} {right}"
    if x.op == "neg":
        return f"−{_operand('**', operands[0], 0, stop)}"
    return f"{x.op}({', '.join(_formula(a, stop) for a in (*operands, *params))})"


def _operand(op: str, x: Value | float, side: int, stop: Callable[[Value], bool]) -> str:
    """An operand of an infix operation, in parentheses where precedence needs them."""
    text = _formula(x, stop)
    if not isinstance(x, Value) or not x.op or stop(x):  # a name or a number
        return f"({text})" if text.startswith("−") else text
    if x.op == "neg":
        return f"({text})"
    if x.op in _INFIX:
        inner, outer = _INFIX[x.op], _INFIX[op]
        if inner < outer or (inner == outer and ((side == 1 and op in ("-", "/")) or outer == 3)):
            return f"({text})"
    return text


# ---- the backward player ---------------------------------------------------------------------

_PLAYER = Template(resources.files("autograd").joinpath("player.html").read_text(encoding="utf-8"))

_PAGE = Template("""\
<!DOCTYPE html>
<html lang="$language" dir="$direction">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline' 'wasm-unsafe-eval'; img-src data:">
<title>$title</title>
</head>
<body class="autograd-page">
$player
</body>
</html>
""")
"""A standalone page around a player; its security policy lets it load nothing from anywhere."""


@dataclass(frozen=True)
class BackwardPlayer:
    """A backward pass as a slideshow: shown inline by Jupyter, or saved as one HTML file.

    Every frame is in the HTML and the page's own script switches between them,
    so it plays with no kernel and no network. Where scripts do not run (an
    untrusted notebook), it shows the graph after the pass and every step as text.
    """

    html: str
    title: str
    language: str = "en"  # the language it was made in, and that language's direction
    direction: str = "ltr"

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the player as a self-contained HTML page, whole or not at all; return its path."""
        page = _PAGE.substitute(
            language=self.language, direction=self.direction, title=html.escape(self.title), player=self.html
        )
        return write_atomically(path, page)


def backward_player(
    root: Value, options: DrawingOptions | None = None, *, max_steps: int = 200, **changes: Any
) -> BackwardPlayer:
    """Run `root`'s backward pass one step at a time and draw the graph after each step.

    Frame 0 is the graph before the pass (every gradient 0), frame 1 the seed
    (``root.grad = 1``), and each later frame one step, with its chain rule
    written out. Controls: first / previous / play / next / last, and the keys
    ← → Home End Space once the player has focus (click it); in a right-to-left
    language (Arabic) the arrows follow the reading direction, ← forward.
    Its words are in the language of the moment it is made (`autograd.set_language`).

    Making the player zeroes the graph's gradients and runs one backward pass
    through ``root.backward_steps()``, so every frame shows this pass alone and
    afterwards every gradient is what a single ``root.backward()`` gives. The
    drawing options are those of `draw_dot`. More than `max_steps` steps is
    refused: the page holds a drawing of every step.
    """
    options = _options(options, changes)
    layout = _Layout.of(root, options)  # checks that the graph can be drawn before any gradient changes
    steps = 1 + sum(len(node.parents) for node in layout.order)
    if steps > max_steps:
        raise ValueError(_too_many_steps_advice(steps, max_steps))
    root.zero_grad()
    steady = _Steady.of(root, options.font_size)

    def draw(step: BackwardStep | None = None) -> Drawing:
        return _Drawer(layout, options, step, steady).draw("svg")

    drawings, captions = [draw()], [_before_caption_html()]
    for step in root.backward_steps():
        drawings.append(draw(step))  # the DOT text keeps the gradients of this moment
        captions.append(_caption_html(step))
    after = _Drawer(layout, options, None).draw("svg")  # for where scripts do not run: no highlight
    try:
        with ThreadPoolExecutor() as pool:
            *frames, picture = pool.map(_svg, [*drawings, after])
        format = "svg"
    except GraphvizNotFound:
        frames, picture, format = [d.source for d in drawings], "", "dot"
    # the expression between Unicode's left-to-right isolate marks: a page title cannot hold a <bdi>
    title = f"{_words()['title']}: {isolate(_expression(root))}"
    player = _player_html(root, frames, format, captions, picture)
    return BackwardPlayer(player, title, current_language(), direction())


def _before_caption_html() -> str:
    return f'<span class="autograd-player-what">{html.escape(_before_caption())}</span>'


def _caption_html(step: BackwardStep) -> str:
    """A step in words, then its two formulas, each a left-to-right isolate, the second followed by its note
    (what the gradient was) in words; every name and number inside words is an isolate too."""
    last = step.total - 1
    numbers = {"index": isolate_html(step.index), "last": isolate_html(last)}
    if step.is_seed:
        what = html.escape(_seed_caption(last)).format(**numbers, root=isolate_html(node_name(step.node)))
    else:
        names = (node_name(step.node), OP_SYMBOLS.get(step.node.op, step.node.op), node_name(step.input))
        node, op, input = (isolate_html(name) for name in names)
        what = html.escape(_step_caption(last)).format(**numbers, node=node, op=op, input=input)
    explanation = explain(step)
    derivative, chain_rule = (
        f'<bdi dir="ltr" class="autograd-player-formula">{html.escape(formula)}</bdi>'
        for formula in (explanation.derivative, explanation.chain_rule)
    )
    words, values = explanation.note_parts()
    note = html.escape(words).format(**{key: isolate_html(value) for key, value in values.items()})
    return (
        f'<span class="autograd-player-what">{what}</span><br>{derivative}'
        f'<br>{chain_rule} <span class="autograd-player-note">{note}</span>'
    )


def _player_html(root: Value, frames: list[str], format: str, captions: list[str], picture: str) -> str:
    """The player: a static view (the graph after the pass, and every step) that its script turns into controls."""
    words = _words()
    escaped = {key: html.escape(text) for key, text in words.items()}
    if picture:
        source = "data:image/svg+xml;base64," + base64.b64encode(picture.encode("utf-8")).decode("ascii")
        picture_html = f'<p>{escaped["no_script"]}</p><img class="autograd-player-picture" alt="" src="{source}">'
    else:
        picture_html = f"<p>{escaped['no_script']}</p><p>{escaped['no_picture']}</p>"
    steps = "\n".join(f"<li>{caption}</li>" for caption in captions)
    return _PLAYER.substitute(
        escaped,
        player_id=f"autograd-player-{uuid.uuid4().hex}",  # several players in one notebook must not clash
        expression=html.escape(_expression(root)),
        static=picture_html,
        steps=steps,
        data=_script_json({"format": format, "frames": frames, "words": words}),
        viz=f"<script>{_viz_js()}</script>" if format == "dot" else "",
    )


def _svg(drawing: Drawing) -> str:
    """The drawing as an <svg> element to put inside HTML (without the XML prolog and doctype)."""
    svg: str = drawing.pipe(format="svg", encoding="utf-8")
    return svg[svg.index("<svg") :]
