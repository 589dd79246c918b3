"""Pictures for the matrix lessons: gradient matrices as heat maps, comparisons in a few lines.

A `lecture.Comparison` lists every element of every gradient, engine against
formula, in rows of 12 digits. `summary(comparison)` keeps what a reader
checks, one line per quantity: its shape and the largest difference, to four
significant digits; the full table stays one call away (``comparison`` as the
last line of a cell, or ``print(comparison)``). `matrices(comparison)` gives
the gradients back as arrays, and `heatmaps` draws them, every number written
in its cell and exact zeros left white, so that a ReLU's inactive units show.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograd.course.exercises import _format
from autograd.i18n import _
from autograd.lecture import Comparison

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# ---- words ---------------------------------------------------------------------------


def _summary_header() -> tuple[str, str, str, str]:
    return _("gradient"), _("shape"), _("largest |engine − formula|"), _("the lecture's line")


def _full_table() -> str:
    return _("The full table, element by element: put the comparison as the last line of a cell, or print it.")


def _zero_note() -> str:
    return _("white: exactly 0")


# ---- summaries ----------------------------------------------------------------------------


def matrices(comparison: Comparison, side: str = "engine") -> dict[str, Any]:
    """Each quantity of `comparison` as a numpy array: the `side` "engine" or "formula" values."""
    import numpy as np

    if side not in ("engine", "formula"):
        raise ValueError(f"side must be 'engine' or 'formula', got {side!r}")
    by_quantity: dict[str, dict[tuple[int, ...], float]] = {}
    for row in comparison.rows:
        by_quantity.setdefault(row.quantity, {})[row.index] = getattr(row, side)
    arrays = {}
    for quantity, entries in by_quantity.items():
        shape = tuple(max(index[k] for index in entries) + 1 for k in range(len(next(iter(entries)))))
        array = np.zeros(shape)
        for index, value in entries.items():
            array[index] = value
        arrays[quantity] = array
    return arrays


def _largest(difference: float) -> str:
    return "0" if difference == 0 else f"{difference:.4g}"


@dataclass(frozen=True, repr=False)
class Summary:
    """One line per quantity of a comparison, then its verdict. Shows as HTML in Jupyter."""

    comparison: Comparison

    def __repr__(self) -> str:
        return str(self)

    def lines(self) -> list[tuple[str, str, str, str]]:
        shapes = {quantity: array.shape for quantity, array in matrices(self.comparison).items()}
        return [
            (quantity, str(shapes[quantity]), _largest(largest), str(self.comparison.lines[quantity]))
            for quantity, largest in self.comparison.max_differences().items()
        ]

    def __str__(self) -> str:
        table = [_summary_header(), *self.lines()]
        widths = [max(len(cells[i]) for cells in table) for i in range(4)]
        rows = ["   ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in table]
        return "\n".join([str(self.comparison.title), "", *rows, "", self.comparison.verdict()])

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in _summary_header())
        body = "".join(
            "<tr>" + "".join(f"<td><code>{html.escape(cell)}</code></td>" for cell in cells) + "</tr>"
            for cells in self.lines()
        )
        return (
            f"<div><p><strong>{html.escape(str(self.comparison.title))}</strong></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p><strong>{html.escape(self.comparison.verdict())}</strong></p>"
            f"<p><em>{html.escape(_full_table())}</em></p></div>"
        )


def summary(comparison: Comparison) -> Summary:
    """`comparison` in one line per quantity: shape and largest difference (four significant digits)."""
    return Summary(comparison)


# ---- heat maps ----------------------------------------------------------------------------


def heatmaps(
    panels: Mapping[str, Any], *, title: str = "", shared_scale: bool = True, absolute: bool = False
) -> Figure:
    """Draw each matrix of `panels` ({title: 2-D array}) as a heat map, side by side; returns the figure.

    Every entry is written in its cell (four significant digits) and exact
    zeros are left white. `shared_scale` gives every panel one colour scale,
    so sizes compare across panels; `absolute` draws |entries| (from 0, in one
    colour) instead of signed entries (blue below 0, red above).
    """
    import matplotlib.pyplot as plt
    import numpy as np

    arrays = {name: np.abs(a) if absolute else np.asarray(a, dtype=float) for name, a in panels.items()}
    largest = max(float(np.abs(a).max()) for a in arrays.values()) or 1.0
    columns = sum(a.shape[1] for a in arrays.values())
    rows = max(a.shape[0] for a in arrays.values())
    size = (0.8 * columns + 0.6 * len(arrays) + 1.2, 0.55 * rows + 1.3)  # about 0.8 inch a cell, room for a colour bar
    figure, axes = plt.subplots(1, len(arrays), figsize=size, layout="constrained", squeeze=False)
    colormap = plt.get_cmap("Reds" if absolute else "RdBu_r").with_extremes(bad="white")
    for ax, (name, array) in zip(axes[0], arrays.items()):
        scale = largest if shared_scale else float(np.abs(array).max()) or 1.0
        low = 0.0 if absolute else -scale
        image = ax.imshow(np.ma.masked_equal(array, 0.0), cmap=colormap, vmin=low, vmax=scale)
        for (i, j), value in np.ndenumerate(array):
            strong = abs(value) > 0.6 * scale
            ax.text(j, i, _format(value), ha="center", va="center", fontsize=8, color="white" if strong else "black")
        ax.set(title=name, xticks=range(array.shape[1]), yticks=range(array.shape[0]))
        ax.set_xlabel(_zero_note() if (array == 0).any() else "", fontsize=8)
        if not shared_scale:
            figure.colorbar(image, ax=ax, shrink=0.8)
    if shared_scale:
        figure.colorbar(image, ax=axes[0].tolist(), shrink=0.8)
    if title:
        figure.suptitle(title)
    plt.close(figure)
    return figure
