"""Helpers every way of showing the engine's work shares: numbers for reading, formulas kept left to right
inside right-to-left text, files written whole, and whether the code runs in a notebook.

The engine computes and shows nothing; the explanations, the drawings, the lecture's tables, the checkers and
the demo all show numbers and formulas, and they do it through these few functions so they do it alike.
"""

from __future__ import annotations

import html
import os
import uuid
from pathlib import Path

LEFT_TO_RIGHT_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2066", "\u2069"


def format_number(x: float) -> str:
    """A number for reading: four significant digits and a true minus sign (and no −0)."""
    return f"{x + 0.0:.4g}".replace("-", "−")  # −0.0 + 0.0 is 0.0


def isolate(text: object) -> str:
    """`text` as a left-to-right isolate in plain text (U+2066 … U+2069), so that inside a right-to-left
    sentence a formula, a shape or a negative number keeps its order: ``(3, 2)`` stays ``(3, 2)``."""
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def isolate_html(text: object) -> str:
    """`text`, escaped, as a left-to-right isolate in HTML: ``<bdi dir="ltr">…</bdi>``."""
    return f'<bdi dir="ltr">{html.escape(str(text))}</bdi>'


def write_atomically(path: str | os.PathLike[str], content: bytes | str) -> Path:
    """Write `content` to `path` whole or not at all: into a temporary file beside it, then renamed over it.

    A full disk, an error or Ctrl-C leaves `path` as it was and no temporary file behind.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for open()
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink()
        raise
    return path


def in_jupyter_kernel() -> bool:
    """Whether this code runs in a Jupyter kernel (a notebook), not in a terminal or a script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in shell.config
