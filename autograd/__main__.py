"""Command line: ``python -m autograd demo`` (what ``make demo`` runs) and ``python -m autograd lecture``.

Bad options are usage errors (exit status 2) naming the option, found before
anything runs; Ctrl-C stops either command with one line and exit status 130.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path


def lecture_command(hidden: str, m: int, seed: int) -> None:
    """Print every lecture derivation, engine against formula, and the L-layer slips."""
    from autograd import lecture

    comparisons = [
        lecture.seed_example(),
        lecture.logistic_regression(seed=seed),
        lecture.two_layer_one_example(hidden, seed=seed),
        lecture.two_layer(hidden, m=m, seed=seed),
        lecture.l_layer(m=m, seed=seed),
        lecture.l_layer(m=m, seed=seed, slips=lecture.SLIPS),
    ]
    print("\n\n".join(str(comparison) for comparison in comparisons))


def whole_number(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `least`, else a usage error saying so."""

    def parse(text: str) -> int:
        refusal = argparse.ArgumentTypeError(f"must be a whole number >= {least}, got {text}")
        try:
            number = int(text)
        except ValueError:
            raise refusal from None
        if number < least:
            raise refusal
        return number

    return parse


def cannot_write(folder: Path) -> str | None:
    """Why the demo could not write its files into `folder`, or None when it can (it makes the folder)."""
    if folder.exists() and not folder.is_dir():
        return f"{str(folder)!r} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f"cannot write into {str(folder)!r}: {error.strerror}"
    return None


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m autograd", description="A scalar autograd engine for learning backpropagation."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    demo = commands.add_parser("demo", help="the lecture checked, graphs drawn, an MLP trained (under a minute)")
    demo.add_argument(
        "--out", default="autograd-demo", type=Path, help="folder for the pictures (default: %(default)s)"
    )
    demo.add_argument(
        "--epochs", type=whole_number(1), default=60, help="most epochs of training (default: %(default)s)"
    )
    lecture = commands.add_parser("lecture", help="print every lecture derivation, engine against formula")
    lecture.add_argument("--hidden", default="tanh", choices=["tanh", "relu", "sigmoid"], help="hidden activation")
    lecture.add_argument("--m", type=whole_number(1), default=5, help="examples in the vectorised derivations")
    lecture.add_argument("--seed", type=whole_number(0), default=0, help="seed for the random data and weights")
    args = parser.parse_args(argv)
    if args.command == "demo" and (problem := cannot_write(args.out)):
        demo.error(f"argument --out: {problem}")

    try:
        if args.command == "demo":
            from autograd.demo import run

            run(args.out, args.epochs)
        else:
            lecture_command(args.hidden, args.m, args.seed)
    except KeyboardInterrupt:
        print("python -m autograd: interrupted", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
