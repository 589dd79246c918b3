"""The README's promises: two commands set everything up (a third opens the course), and CI runs exactly the test
command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ") and line.strip()]


def test_quick_start_is_the_two_commands_then_the_course() -> None:
    assert quick_start_commands() == ["make demo", "make test", "make notebooks"]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert commands[-1] == "make test"


def test_makefile_sets_up_everything_each_command_needs() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo", "test"):
        rule = re.search(rf"^{target}:(.*)$", makefile, re.MULTILINE)
        assert rule, f"no `{target}` target"
        prerequisites = rule.group(1)
        assert "$(VENV)/.installed-" in prerequisites, f"`make {target}` must install its packages"
        assert "graphviz" in prerequisites, f"`make {target}` must see to Graphviz's dot"
    assert re.search(r"^\$\(PY\):\n\t\$\(PYTHON\) -m venv \$\(VENV\)", makefile, re.MULTILINE), "no rule creates .venv"


def test_readme_links_every_notebook() -> None:
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{notebook.name}" in README, f"the README does not link {notebook.name}"
