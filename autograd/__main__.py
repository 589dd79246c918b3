"""Command line: ``python -m autograd demo``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from autograd import Value


def seed_example() -> None:
    """The lecture's smallest example: loss = (w·x − 10)², dloss/dw = −24."""
    w = Value(2.0, label="w")
    x = Value(3.0, label="x")
    loss = (w * x - 10) ** 2
    loss.backward()
    print(f"loss = (w·x − 10)² = {loss.data}")
    print(f"dloss/dw = 2·(w·x − 10)·x = {w.grad}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograd", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the demo")
    parser.parse_args(argv)
    seed_example()


if __name__ == "__main__":
    main()
