"""autograd.demo: what `make demo` prints and writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd.demo import lecture_neuron, run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


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
    assert "dloss/dw" in printed and "-24" in printed
    for quantity in ("da", "dz", "dW1", "db1", "dW2", "db2"):
        assert f"\n{quantity}" in printed
    assert printed.count("the engine reproduces the lecture") == 3
    assert "step 4 of 9: ∂(x1w1 + x2w2)/∂x1w1 = 1" in printed
    assert "epochs; best epoch" in printed

    names = [path.name for path in written]
    assert names == [
        "neuron.svg", "neuron.png", "neuron_step.svg", "neuron_step.png",
        "backward_player.html", "loss_curve.png", "decision_boundary.png",
    ]  # fmt: skip
    assert printed.rstrip().endswith(str(written[-1]))
    for path in written:
        assert path.parent == tmp_path and path.stat().st_size > 0
        if path.suffix == ".png":
            assert path.read_bytes().startswith(PNG_MAGIC)
    step = ET.parse(tmp_path / "neuron_step.svg").getroot()
    assert any("highlight" in (g.get("class") or "") for g in step.iter("{http://www.w3.org/2000/svg}g"))
    assert "Step 0 of 9, the seed" in (tmp_path / "backward_player.html").read_text(encoding="utf-8")


def test_demo_without_dot_saves_dot_text_and_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    written = run(tmp_path, epochs=1)
    printed = capsys.readouterr().out
    assert [p.name for p in written][:2] == ["neuron.dot", "neuron_step.dot"]
    assert (tmp_path / "neuron.dot").read_text(encoding="utf-8").startswith("digraph")
    assert "sudo apt-get install graphviz" in printed and "brew install graphviz" in printed
    assert "Viz.instance()" in (tmp_path / "backward_player.html").read_text(encoding="utf-8")  # drawn in the browser
