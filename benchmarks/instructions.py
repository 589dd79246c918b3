"""Instructions per operation, counted by callgrind: steady where times on a shared machine are not.

    python benchmarks/instructions.py            (needs valgrind: apt-get install valgrind)

For each chain of `run.py`'s (d), and each engine, it runs the chain at two
lengths under ``valgrind --tool=callgrind`` and divides the difference in
instructions by the difference in length, so start-up costs cancel out. The
count covers the forward pass, backward() and freeing the graph, as (d) does.
Use it to decide between two versions of the engine when their times differ by
less than the noise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

from chains import CHAINS, operation_chain

SHORT, LONG = 4_000, 8_000


def _run_chain(engine: str, chain: str, operations: int) -> None:
    """What callgrind counts: one chain, built and differentiated, in a fresh process."""
    import gc

    import micrograd.engine

    from autograd import Value

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 2 * operations + 100))
    value = micrograd.engine.Value if engine == "micrograd" else Value
    x, y = operation_chain(value, CHAINS[chain], operations)
    y.backward()
    del x, y
    gc.collect()


def instructions(engine: str, chain: str, operations: int) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--child", engine, chain, str(operations),
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", finished.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{finished.stderr[-2000:]}")
    return int(found.group(1))


def per_operation(engine: str, chain: str) -> float:
    return (instructions(engine, chain, LONG) - instructions(engine, chain, SHORT)) / (LONG - SHORT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "CHAIN", "OPERATIONS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, chain, operations = args.child
        _run_chain(engine, chain, int(operations))
        return
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py needs valgrind: apt-get install valgrind")
    print(f"  {'chain':<58} {'micrograd':>10} {'this engine':>12} {'ratio':>6}")
    for chain in CHAINS:
        theirs, ours = per_operation("micrograd", chain), per_operation("ours", chain)
        print(f"  {chain:<58} {theirs:10,.0f} {ours:12,.0f} {theirs / ours:5.2f}x")


if __name__ == "__main__":
    main()
