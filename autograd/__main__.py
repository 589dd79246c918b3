"""Command line: ``python -m autograd demo`` (what ``make demo`` runs) and ``python -m autograd lecture``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m autograd", description="A scalar autograd engine for learning backpropagation."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    demo = commands.add_parser("demo", help="the lecture checked, graphs drawn, an MLP trained (under a minute)")
    demo.add_argument("--out", default="autograd-demo", help="folder for the pictures (default: %(default)s)")
    demo.add_argument("--epochs", type=int, default=60, help="most epochs of training (default: %(default)s)")
    lecture = commands.add_parser("lecture", help="print every lecture derivation, engine against formula")
    lecture.add_argument("--hidden", default="tanh", choices=["tanh", "relu", "sigmoid"], help="hidden activation")
    lecture.add_argument("--m", type=int, default=5, help="examples in the vectorised derivations")
    lecture.add_argument("--seed", type=int, default=0, help="seed for the random data and weights")
    args = parser.parse_args(argv)

    if args.command == "demo":
        from autograd.demo import run

        run(args.out, args.epochs)
    else:
        lecture_command(args.hidden, args.m, args.seed)


if __name__ == "__main__":
    main()
