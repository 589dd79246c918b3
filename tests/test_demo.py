"""autograd.demo: what `make demo` prints and writes, and that it never leaves a file cut off."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from autograd.__main__ import main
from autograd.demo import lecture_neuron, run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"
WRITTEN = [
    "neuron.svg", "neuron.png", "neuron_step.svg", "neuron_step.png",
    "backward_player.html", "loss_curve.png", "decision_boundary.png",
]  # fmt: skip


def whole(path: Path) -> bool:
    """Whether a file the demo writes is complete: a PNG to its last chunk, an SVG or a page to its end."""
    content = path.read_bytes()
    if path.suffix == ".png":
        return content.startswith(PNG_MAGIC) and content.endswith(PNG_END)
    if path.suffix == ".svg":
        return content.rstrip().endswith(b"</svg>")
    if path.suffix == ".html":
        return content.rstrip().endswith(b"</html>")
    return path.suffix == ".dot" and content.rstrip().endswith(b"}")


def test_lecture_neuron_has_the_lectures_gradients() -> None:
    o = lecture_neuron()
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    n = o.parents[0]
    assert n.label == "n" and n.grad == pytest.approx(0.5)
    leaves = {v.label: v.grad for v in (n.parents[0].parents[0].parents + n.parents[0].parents[1].parents)}
    assert leaves == pytest.approx({"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0})


def test_demo_prints_the_lecture_and_writes_every_picture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    written = run(tmp_path, epochs=3)
    printed = capsys.readouterr().out
    assert "dloss/dw   −24      −24" in printed
    for quantity in ("da", "dz", "dw", "db", "dW1", "db1", "dW2", "db2"):
        assert f"\n  {quantity} " in printed
    assert printed.count("the engine reproduces the lecture") == 3
    assert "step 4 of 9: ∂(x1w1 + x2w2)/∂x1w1 = 1" in printed and "step 9 of 9" in printed
    assert "epochs; best epoch" in printed

    assert [path.name for path in written] == WRITTEN
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(WRITTEN)  # nothing else: no .gv, no temporary file
    for path in written:
        assert path.parent == tmp_path and whole(path)
    step = ET.parse(tmp_path / "neuron_step.svg").getroot()
    classes = {g.get("class") for g in step.iter("{http://www.w3.org/2000/svg}g")}
    assert {"node highlight changed", "node highlight upstream"} <= classes
    page = (tmp_path / "backward_player.html").read_text(encoding="utf-8")
    assert '<span class="autograd-player-what">Step <bdi dir="ltr">0</bdi> of <bdi dir="ltr">9</bdi>, the seed' in page


def test_demo_output_is_short_forward_first_four_digits_and_says_what_each_file_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = run(tmp_path, epochs=3)
    printed = capsys.readouterr().out
    assert len(printed.splitlines()) < 70
    assert not re.search(r"\d\.\d{5,}", printed), "numbers are written to four significant digits"
    sections = {section.lstrip()[:2]: section for section in printed.split("\n\n")}
    for number, gradients in (("1.", "backward"), ("2.", "backward"), ("4.", "step 0")):  # values to check by hand
        assert sections[number].index("forward:") < sections[number].index(gradients)
    assert "z = wᵀx + b = 0.2, a = σ(z) = 0.5498, L = −log(a) = 0.5981" in printed
    listing = printed.rstrip().split("\n\n")[-1].splitlines()[2:]
    assert [line.split()[0] for line in listing] == [path.name for path in written]
    assert all("open it in" in line or "viewer" in line for line in listing)
    assert re.search(r"backward_player.html +the whole backward pass, step by step: open it in a web browser", printed)


def test_demo_pngs_are_drawn_at_twice_the_screen_resolution_for_slides(tmp_path: Path) -> None:
    run(tmp_path, epochs=1)
    svg_width = float(ET.parse(tmp_path / "neuron.svg").getroot().get("width", "").removesuffix("pt"))
    png_width = int.from_bytes((tmp_path / "neuron.png").read_bytes()[16:20], "big")
    assert png_width == pytest.approx(svg_width * 192 / 72, abs=3)  # 192 dpi: 2× the 96 of a screen


def test_demo_without_dot_saves_dot_text_a_player_that_draws_in_the_browser_and_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    written = run(tmp_path, epochs=1)
    printed = capsys.readouterr().out
    names = ["neuron.dot", "neuron_step.dot", "backward_player.html", "loss_curve.png", "decision_boundary.png"]
    assert [p.name for p in written] == names
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names, "empty"][:-1])  # no stray .gv files
    assert (tmp_path / "neuron.dot").read_text(encoding="utf-8").startswith("digraph")
    assert "sudo apt-get install graphviz" in printed and "brew install graphviz" in printed
    assert "Viz.instance()" in (tmp_path / "backward_player.html").read_text(encoding="utf-8")


def test_ctrl_c_while_drawing_leaves_only_whole_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted_png(start: Any) -> Any:
        def run_or_interrupt(command: Any, *args: Any, **kwargs: Any) -> Any:
            if "-Tpng" in command:
                raise KeyboardInterrupt  # Ctrl-C while dot draws the first PNG
            return start(command, *args, **kwargs)

        return run_or_interrupt

    for name in ("run", "Popen"):  # however graphviz starts dot
        monkeypatch.setattr(subprocess, name, interrupted_png(getattr(subprocess, name)))
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, epochs=1)
    assert [p.name for p in tmp_path.iterdir()] == ["neuron.svg"]
    assert whole(tmp_path / "neuron.svg")


@pytest.mark.skipif(shutil.which("dot") is None, reason="the demo's pictures need Graphviz's dot")
def test_on_a_full_disk_the_demo_stops_and_leaves_only_whole_files(tmp_path: Path) -> None:
    script = f"""
import resource, sys
sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, resource.RLIM_INFINITY))  # no file can grow past 60 kB
from autograd.demo import run
run({str(tmp_path)!r}, epochs=1)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "File too large" in result.stderr
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["neuron.svg"]  # the PNG after it is bigger than 60 kB: not written at all
    assert all(whole(tmp_path / name) for name in left)


@pytest.mark.parametrize("epochs", [0, -3, 2.5])
def test_run_refuses_a_number_of_epochs_before_anything_runs(
    epochs: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="epochs must be a whole number >= 1"):
        run(tmp_path / "out", epochs=epochs)  # type: ignore[arg-type]
    assert capsys.readouterr().out == "" and not (tmp_path / "out").exists()


# ---- in Arabic and in Russian ------------------------------------------------------------------

SCRIPTS = {"ar": "[\u0600-\u06ff]", "ru": "[а-яё]"}
"""A letter of each language's script."""

NOT_ENGLISH = {
    "formulas": {"A1", "A2", "L", "W2", "X", "Y", "Z1", "a", "axis", "b", "da", "db", "db1", "db2", "dloss", "dw",
                 "dW1", "dW2", "dz", "dZ1", "dZ2", "e", "g1", "keepdims", "log", "loss", "m", "n", "o", "sum", "True",
                 "w", "x", "y", "z"},
    "labels and operations": {"b", "tanh", "w1", "w2", "x1", "x1w1", "x2", "x2w2"},
    "file names": {"backward_player", "decision_boundary", "html", "loss_curve", "neuron", "neuron_step", "png", "svg"},
    "code and names": {"MLP", "PyTorch", "backward", "data", "grad"},
}  # fmt: skip
"""The words in Latin letters that the demo prints in every language: none of them is English prose."""


@pytest.mark.parametrize("language", ["ar", "ru"])
def test_the_demo_speaks_the_language_with_no_english_sentence(
    language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["demo", "--lang", language, "--out", str(tmp_path), "--epochs", "3"])  # python -m autograd demo --lang …
    printed = capsys.readouterr().out.replace(str(tmp_path), "/…")  # the folder's name is the test's
    allowed = set().union(*NOT_ENGLISH.values())
    for line in printed.splitlines():
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line))
        assert words <= allowed, f"{sorted(words - allowed)} in {line!r}"
    prose = [line for line in printed.splitlines() if re.search(SCRIPTS[language], line, re.IGNORECASE)]
    assert len(prose) >= 20, "too few lines in the language's own letters"
    if language == "ar":  # a terminal without bidi keeps a formula readable only on a line of its own
        for line in prose:
            assert not (re.match(rf"\s*{SCRIPTS['ar']}", line) and re.search(r" = |\+=", line)), line
        assert "  الأعمدة من اليسار إلى اليمين: التدرج، المحرك، المعادلة، سطر المحاضرة." in printed
        assert "  الخطوة 6 من 9:\n    ∂x1w1/∂x1 = w1 = −3\n    x1.grad += " in printed
    else:
        assert "  шаг 6 из 9: ∂x1w1/∂x1 = w1 = −3; x1.grad += " in printed
        assert re.search(r"\n  \d эпох[аи]?; лучшая эпоха \d: потеря на проверке", printed)
