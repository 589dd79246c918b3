"""autograd.__main__: the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograd.__main__ import main


def test_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    printed = capsys.readouterr().out
    assert "demo" in printed and "lecture" in printed


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main([])
    assert exit.value.code == 2
    assert "required" in capsys.readouterr().err


def test_lecture_prints_every_derivation_and_the_slips(capsys: pytest.CaptureFixture[str]) -> None:
    main(["lecture", "--hidden", "relu", "--m", "3"])
    printed = capsys.readouterr().out
    assert printed.count("the engine reproduces the lecture") == 5
    assert "g1 = relu" in printed and "m = 3" in printed
    assert "the engine and the formulas DISAGREE" in printed  # the seed texts' slips


def test_python_dash_m_runs_the_demo(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "demo", "--out", str(tmp_path / "out"), "--epochs", "2"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "Written" in result.stdout
    assert (tmp_path / "out" / "decision_boundary.png").exists()
