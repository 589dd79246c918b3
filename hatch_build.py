"""Build hook: compile the translations (``autograd/locale/*/LC_MESSAGES/*.po``) into the ``.mo`` files gettext reads.

Hatchling runs it for wheels and editable installs alike, so ``pip install .``,
``pip install -e .`` and a wheel all carry compiled catalogs; the ``.po`` files
in the repository stay the only source. It compiles with Babel, a build
requirement only: at run time the standard library's gettext reads the ``.mo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(locale: Path) -> list[Path]:
    """Write each ``.po`` under `locale` as the ``.mo`` beside it, fuzzy entries left out; return the ``.mo`` paths."""
    written = []
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parts[-3])
        mo, part = po.with_suffix(".mo"), po.with_suffix(".mo.part")
        with part.open("wb") as target:
            write_mo(target, catalog)
        part.replace(mo)  # whole or not at all: the package may be in use while it is reinstalled
        written.append(mo)
    return written


class CatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles the catalogs before every build of the wheel (editable or not)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        for mo in compile_catalogs(Path(self.root) / "autograd" / "locale"):
            build_data["artifacts"].append(mo.relative_to(self.root).as_posix())  # .mo files are ignored by git
