"""Change a number and watch: a slider per argument where widgets run, a plain cell where they do not.

    def show(w=2.0):
        ...                       # draw or print something for this w
        return figure             # or a string, a drawing, anything Jupyter displays

    explore(show, w=(0.0, 5.0, 0.1))

`explore` first shows `show()` with its default arguments, as an ordinary
output: it is what an executed notebook, the static site and a terminal
see. Under it, in a Jupyter kernel with ipywidgets, come sliders that
redraw that output in place. A page that cannot run widgets shows a line
saying how to change the number by hand instead: edit the default in the
``def`` line and run the cell again.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable
from typing import Any

from autograd.display import in_jupyter_kernel
from autograd.i18n import _

# ---- words ---------------------------------------------------------------------------


def _by_hand() -> str:
    return _(
        "Sliders for {names} appear here when the notebook runs in JupyterLab with ipywidgets. "
        "Without them, change the default in the def line and run the cell again."
    )


# ---- exploring ----------------------------------------------------------------------------

Range = tuple[float, float, float]
"""A slider's (smallest, largest, step)."""


def _displayable(result: object) -> object:
    """`result` as Jupyter should show it: text as text (no quotes), a matplotlib figure (or Axes) closed,
    so that it shows once, here."""
    from IPython.display import Pretty

    if isinstance(result, str):
        return Pretty(result)
    figure: Any = result if hasattr(result, "savefig") else getattr(result, "figure", None)
    if hasattr(figure, "savefig"):
        import matplotlib.pyplot as plt

        plt.close(figure)
        return figure
    return result


def defaults(show: Callable[..., object]) -> dict[str, Any]:
    """The default value of each of `show`'s arguments; every one needs a default, the starting point."""
    values = {}
    for name, parameter in inspect.signature(show).parameters.items():
        if parameter.default is inspect.Parameter.empty:
            raise TypeError(f"explore: give {name} a default value in the def line of {show.__name__}")
        values[name] = parameter.default
    return values


def explore(show: Callable[..., object], **ranges: Range) -> object:
    """Show `show()`; in a Jupyter kernel with ipywidgets, add a slider for each of `ranges`.

    Each slider starts at the argument's default and redraws the output when
    let go. Outside Jupyter, returns what `show()` returns (printed by the caller).
    """
    values = defaults(show)
    unknown = sorted(set(ranges) - set(values))
    if unknown:
        raise TypeError(f"explore: {show.__name__} has no argument {', '.join(unknown)}")
    if not in_jupyter_kernel():
        return show()
    from IPython.display import display

    try:
        import ipywidgets as widgets  # type: ignore[import-untyped]
    except ImportError:
        display(_displayable(show()))
        print(_by_hand().format(names=", ".join(ranges)))
        return None

    sliders = {
        name: widgets.FloatSlider(
            value=values[name], min=low, max=high, step=step, description=name, continuous_update=False
        )
        for name, (low, high, step) in ranges.items()
    }
    controls = widgets.VBox(list(sliders.values()))
    view = {"model_id": controls.model_id, "version_major": 2, "version_minor": 0}
    words = _by_hand().format(names=", ".join(ranges))
    page = f'<p dir="auto" class="autograd-explore">{html.escape(words)}</p>'  # right to left in Arabic, on a page
    display({"application/vnd.jupyter.widget-view+json": view, "text/plain": words, "text/html": page}, raw=True)
    output = display(_displayable(show()), display_id=True)

    def redraw(_change: object) -> None:
        output.update(_displayable(show(**{name: slider.value for name, slider in sliders.items()})))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    return None
