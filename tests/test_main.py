"""autograd.__main__: the command line."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--epochs", "0"], "argument --epochs: must be a whole number >= 1, got 0"),
        (["demo", "--epochs", "-5"], "argument --epochs: must be a whole number >= 1, got -5"),
        (["demo", "--epochs", "ten"], "argument --epochs: must be a whole number >= 1, got ten"),
        (["lecture", "--m", "0"], "argument --m: must be a whole number >= 1, got 0"),
        (["lecture", "--m", "-3"], "argument --m: must be a whole number >= 1, got -3"),
        (["lecture", "--seed", "-1"], "argument --seed: must be a whole number >= 0, got -1"),
    ],
)
def test_bad_numbers_are_usage_errors_before_anything_runs(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("autograd.demo.run", _must_not_run)
    monkeypatch.setattr("autograd.__main__.lecture_command", _must_not_run)
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: python -m autograd " + argv[0])
    assert error.rstrip().endswith(message)


def _must_not_run(*args: object) -> None:
    raise AssertionError("the command ran despite a bad argument")


def _out_error(out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("autograd.demo.run", _must_not_run)
    with pytest.raises(SystemExit) as exit:
        main(["demo", "--out", str(out)])
    assert exit.value.code == 2
    return capsys.readouterr().err.rstrip().splitlines()[-1]


def test_out_naming_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    error = _out_error(tmp_path / "notes.txt", capsys, monkeypatch)
    assert error.endswith(f"error: argument --out: {str(tmp_path / 'notes.txt')!r} is a file, not a folder")
    error = _out_error(tmp_path / "notes.txt" / "pictures", capsys, monkeypatch)
    assert error.endswith(
        f"error: argument --out: cannot write into {str(tmp_path / 'notes.txt' / 'pictures')!r}: Not a directory"
    )


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where nobody can write, root included"
)
def test_out_where_nothing_can_be_written_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    error = _out_error(Path("/proc/autograd-demo"), capsys, monkeypatch)
    assert error.startswith("python -m autograd demo: error: argument --out: cannot write into '/proc/autograd-demo': ")


def test_ctrl_c_prints_one_line_and_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("autograd.__main__.lecture_command", interrupted)
    with pytest.raises(SystemExit) as exit:
        main(["lecture"])
    assert exit.value.code == 130
    assert capsys.readouterr().err == "python -m autograd: interrupted\n"


def test_ctrl_c_during_training_leaves_no_traceback(tmp_path: Path) -> None:
    command = [sys.executable, "-u", "-m", "autograd", "demo", "--out", str(tmp_path), "--epochs", "100000"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as demo:
        assert demo.stdout is not None
        for line in demo.stdout:
            if line.startswith("5. Training"):
                break
        time.sleep(1.0)  # well into the first epochs
        demo.send_signal(signal.SIGINT)
        _, error = demo.communicate(timeout=60)
    assert demo.returncode == 130
    assert error == "python -m autograd: interrupted\n"  # into a pipe: no progress bar, no traceback
