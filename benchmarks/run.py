"""Speed of this engine against micrograd 0.1.0 and PyTorch, measured in one process.

    python benchmarks/run.py            (or: make bench)

Three workloads, each run by every engine in turn, round after round
(interleaved, so a noisy neighbour slows all of them alike), reporting medians:

  (a) one step of micrograd's demo: MLP(2, [16, 16, 1]) on 100 points, hinge
      loss plus L2, backward, SGD; every engine starts from the same weights
      and the losses are checked to agree;
  (b) a 10,000-operation chain, nanoseconds per operation, forward and backward;
  (c) a 1,000,000-operation chain: time and memory, at the default recursion limit;
  (d) the replay (autograd.replay): (a)'s step traced on one example and
      replayed on the batch with numpy, against PyTorch batched, with the
      cost of tracing; and an MLP trained on the 8×8 digits through the replay;
  (e) 10,000-operation chains of one operation each (Value × Value, + number,
      × number, ** number, relu, tanh) and of the common ones mixed, against micrograd.

Each timed run ends with ``gc.collect()``: an engine whose graphs are reference
cycles (micrograd's closures) pays for freeing them, as it would in a program.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import micrograd.engine
import micrograd.nn
import numpy as np
import torch  # imported before gc.freeze(): its import leaves objects that slow every collection
from chains import CHAINS, operation_chain

from autograd import nn
from autograd.data import load_digits, make_moons, train_val_test_split
from autograd.engine import Value
from autograd.optim import Adam
from autograd.replay import trace
from autograd.train import fit

torch.set_default_dtype(torch.float64)

DEMO_SIZES = [16, 16, 1]
ALPHA = 1e-4  # micrograd's demo: L2 strength


@dataclass
class Timings:
    """Seconds per run for each engine, gathered round by round."""

    runs: dict[str, list[float]] = field(default_factory=dict)

    def add(self, engine: str, seconds: float) -> None:
        self.runs.setdefault(engine, []).append(seconds)

    def median(self, engine: str) -> float:
        return statistics.median(self.runs[engine])


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    gc.collect()
    return time.perf_counter() - start, result


# ---- (a) micrograd's demo step --------------------------------------------------------------


def demo_data() -> tuple[list[list[float]], list[int]]:
    X, y = make_moons(100, noise=0.1, seed=1)
    return X, [2 * label - 1 for label in y]  # hinge loss wants −1/+1


def scalar_demo_step(value: Callable[[float], Any], model: Any, X: list[list[float]], y: list[int], k: int) -> float:
    """micrograd's demo step, verbatim; runs on micrograd's classes and on ours."""
    inputs = [list(map(value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return float(total_loss.data)


class TorchScalarMLP:
    """micrograd's MLP on 0-d float64 tensors: one autograd node per scalar operation, like micrograd."""

    def __init__(self, weights: list[list[list[float]]], biases: list[list[float]]) -> None:
        self.layers = [
            [([torch.tensor(float(w), requires_grad=True) for w in row], torch.tensor(float(b), requires_grad=True))
             for row, b in zip(layer_w, layer_b)]
            for layer_w, layer_b in zip(weights, biases)
        ]  # fmt: skip

    def __call__(self, x: list[Any]) -> Any:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            out = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = out if i == last else [o.relu() for o in out]
        return x[0]

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None


def torch_scalar_demo_step(model: TorchScalarMLP, X: list[list[float]], y: list[int], k: int) -> float:
    inputs = [[torch.tensor(v) for v in xrow] for xrow in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores)]
    total_loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
    return torch_sgd_step(model, total_loss, k)


def torch_sgd_step(model: TorchScalarMLP | torch.nn.Sequential, total_loss: torch.Tensor, k: int) -> float:
    """micrograd's update on torch parameters: backward, then SGD with its decaying learning rate."""
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    with torch.no_grad():
        for p in model.parameters():
            p -= learning_rate * p.grad
    return total_loss.item()


def torch_batched_model(weights: list[list[list[float]]], biases: list[list[float]]) -> torch.nn.Sequential:
    layers: list[torch.nn.Module] = []
    for i, (w, b) in enumerate(zip(weights, biases)):
        linear = torch.nn.Linear(len(w[0]), len(w))
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w))
            linear.bias.copy_(torch.tensor(b))
        layers += [linear] if i == len(weights) - 1 else [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers)


def torch_batched_demo_step(model: torch.nn.Sequential, X: torch.Tensor, y: torch.Tensor, k: int) -> float:
    scores = model(X).squeeze(1)
    total_loss = torch.relu(1 - y * scores).mean() + ALPHA * sum((p * p).sum() for p in model.parameters())
    return torch_sgd_step(model, total_loss, k)


def demo_step(rounds: int) -> tuple[Timings, float]:
    """Time (a); returns the timings and the largest loss difference between engines."""
    X, y = demo_data()
    random.seed(1337)
    reference = micrograd.nn.MLP(2, DEMO_SIZES)
    weights = [[[w.data for w in n.w] for n in layer.neurons] for layer in reference.layers]
    biases = [[float(n.b.data) for n in layer.neurons] for layer in reference.layers]

    def ours(fused: bool) -> nn.MLP:
        model = nn.MLP(2, DEMO_SIZES, fused=fused)
        for p, q in zip(model.parameters(), reference.parameters()):
            p.data = q.data
        return model

    ours_fused, ours_unfused = ours(True), ours(False)
    scalar_torch = TorchScalarMLP(weights, biases)
    batched_torch = torch_batched_model(weights, biases)
    Xt, yt = torch.tensor(X), torch.tensor(y, dtype=torch.float64)
    engines: dict[str, Callable[[int], float]] = {
        "micrograd 0.1.0": lambda k: scalar_demo_step(micrograd.engine.Value, reference, X, y, k),
        "this engine": lambda k: scalar_demo_step(Value, ours_fused, X, y, k),
        "this engine, unfused neurons": lambda k: scalar_demo_step(Value, ours_unfused, X, y, k),
        REPLAYED: replayed_demo_step(ours(True), X, y),
        "PyTorch, 0-d tensors": lambda k: torch_scalar_demo_step(scalar_torch, X, y, k),
        "PyTorch, batched nn.Linear (floor)": lambda k: torch_batched_demo_step(batched_torch, Xt, yt, k),
    }
    timings, worst = Timings(), 0.0
    for k in range(rounds):
        losses = {}
        for name, step in engines.items():
            seconds, losses[name] = timed(lambda step=step, k=k: step(k))
            timings.add(name, seconds)
        worst = max(worst, max(abs(loss - losses["micrograd 0.1.0"]) for loss in losses.values()))
    return timings, worst


# ---- (b) and (c): chains of operations ----------------------------------------------------------


def chain(value: Callable[[float], Any], operations: int) -> tuple[Any, Any]:
    """``y = y·1.0001 + 0.0001`` repeated: two operations per turn, numbers mixed in as constants."""
    x = value(0.5)
    y = x
    for _ in range(operations // 2):
        y = y * 1.0001 + 0.0001
    return x, y


def value_chain(value: Callable[[float], Any], operations: int) -> tuple[Any, Any]:
    """``y = y·a + b`` repeated, with a and b leaves: no constants anywhere."""
    x, a, b = value(0.5), value(1.0001), value(0.0001)
    y = x
    for _ in range(operations // 2):
        y = y * a + b
    return x, y


def torch_scalar(x: float) -> torch.Tensor:
    return torch.tensor(x, requires_grad=True)


CHAIN_ENGINES: dict[str, Callable[[float], Any]] = {
    "micrograd 0.1.0": micrograd.engine.Value,
    "this engine": Value,
    "PyTorch, 0-d tensors": torch_scalar,
}


def chain_timings(build: Callable[..., tuple[Any, Any]], operations: int, rounds: int) -> tuple[Timings, Timings]:
    """Forward and backward seconds of (b) for every engine.

    micrograd's recursive backward needs a recursion limit above the chain's
    length; the limit is raised for (b) only.
    """
    default_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(default_limit, 2 * operations + 100))
    try:
        return _chain_timings(build, operations, rounds)
    finally:
        sys.setrecursionlimit(default_limit)


def _chain_timings(build: Callable[..., tuple[Any, Any]], operations: int, rounds: int) -> tuple[Timings, Timings]:
    forward, backward = Timings(), Timings()
    for _ in range(rounds):
        for name, value in CHAIN_ENGINES.items():
            start = time.perf_counter()
            x, y = build(value, operations)
            middle = time.perf_counter()
            y.backward()
            del x, y
            gc.collect()
            end = time.perf_counter()
            forward.add(name, middle - start)
            backward.add(name, end - middle)
    return forward, backward


# ---- (e) one operation at a time, and the common ones mixed ------------------------------------


def operation_timings(operations: int, rounds: int) -> dict[str, Timings]:
    """Forward and backward seconds of every chain in (e), for micrograd and this engine."""
    engines = {"micrograd 0.1.0": micrograd.engine.Value, "this engine": Value}
    results = {name: Timings() for name in CHAINS}
    default_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(default_limit, 2 * operations + 100))  # micrograd's backward recurses
    try:
        for _ in range(rounds):
            for name, steps in CHAINS.items():
                for engine, value in engines.items():
                    start = time.perf_counter()
                    x, y = operation_chain(value, steps, operations)
                    y.backward()
                    del x, y
                    gc.collect()
                    results[name].add(engine, time.perf_counter() - start)
    finally:
        sys.setrecursionlimit(default_limit)
    return results


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def long_chain(operations: int) -> dict[str, str]:
    """(c): seconds and memory held by the graph, or why the engine could not do it."""
    results = {}
    for name, value in CHAIN_ENGINES.items():
        gc.collect()
        before = resident_bytes()
        start = time.perf_counter()
        try:
            x, y = chain(value, operations)
            graph = resident_bytes() - before
            y.backward()
            seconds = time.perf_counter() - start
            results[name] = f"{seconds:6.2f} s, graph {graph / 2**20:5.0f} MiB, d/dx = {float(x.grad):.6g}"
        except RecursionError:
            results[name] = f"RecursionError at the default recursion limit ({sys.getrecursionlimit()})"
        finally:
            x = y = None
            gc.collect()
    return results


# ---- (d) the replay: one example traced, the batch replayed with numpy ------------------------------

REPLAYED = "this engine, replayed (autograd.replay)"
TORCH_BATCHED = "PyTorch, batched nn.Linear (floor)"


def demo_loss(model: nn.MLP) -> Callable[[list[Value], Value], Value]:
    """micrograd's demo loss for one example: the mean of it over the batch is (a)'s total loss."""
    parameters = model.parameters()

    def loss(x: list[Value], yi: Value) -> Value:
        return (1 + -yi * model(x)).relu() + ALPHA * sum(p * p for p in parameters)

    return loss


def replayed_demo_step(model: nn.MLP, X: list[list[float]], y: list[int]) -> Callable[[int], float]:
    """(a)'s step on the replay: traced once (untimed), then each step replays the 100 points.

    The parameters are listed once, as PyTorch's step reads its six tensors: the
    update is still micrograd's, one parameter at a time.
    """
    traced = trace(demo_loss(model), X[0], float(y[0]))
    X_batch, y_batch = np.array(X), np.array(y, dtype=np.float64)
    parameters = model.parameters()

    def step(k: int) -> float:
        for p in parameters:
            p.grad = 0.0
        total_loss = traced.backward(X_batch, y_batch)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in parameters:
            p.data -= learning_rate * p.grad
        return total_loss

    return step


def tracing_seconds(rounds: int) -> float:
    """The median time to trace (a)'s loss: one eager forward pass, and the graph turned into a program."""
    X, y = demo_data()
    model = nn.MLP(2, DEMO_SIZES, seed=0)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        traced = trace(demo_loss(model), X[0], float(y[0]))
        str(traced)  # builds the grouped program too, as the first replay would
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def digits_training(epochs: int = 20) -> dict[str, str]:
    """An MLP trained on the 8×8 digits through the replay, and one epoch of the same eagerly for scale."""
    X, y = load_digits()
    X = [[p / 16 for p in x] for x in X]
    X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y, 0.15, 0.15, seed=0)
    results = {}
    for replay, run_epochs in ((True, epochs), (False, 1)):
        model = nn.MLP(64, [32, 10], init="he", seed=0)
        start = time.perf_counter()
        fit(model, X_train, y_train, nn.cross_entropy, Adam(model.parameters(), lr=0.01), epochs=run_epochs,
            batch_size=64, validation=(X_val, y_val), seed=0, progress=False, replay=replay)  # fmt: skip
        seconds = time.perf_counter() - start
        predictions = trace(model, X_test[0])(np.array(X_test)).argmax(axis=1)
        correct = float(np.mean(predictions == np.array(y_test)))
        how = f"replayed, {run_epochs} epochs" if replay else "eager, 1 epoch"
        results[how] = f"{seconds:6.2f} s, {seconds / run_epochs:6.2f} s per epoch, test accuracy {correct:.1%}"
    return results


def replay_report(timings: Timings, rounds: int) -> str:
    replayed, floor = timings.median(REPLAYED), timings.median(TORCH_BATCHED)
    lines = [
        "(d) the replay: (a)'s loss traced on one example, each step replayed on the 100 points with numpy",
        f"  replayed step / PyTorch batched step     {replayed / floor:6.2f}x PyTorch's time   (target: within 2x)",
        f"  micrograd's step / replayed step         {timings.median('micrograd 0.1.0') / replayed:6.0f}x"
        "                 (target: at least 300x)",
        f"  tracing, once (median of {rounds})             {tracing_seconds(rounds) * 1e3:6.1f} ms",
        "  MLP(64, [32, 10]) on the 8×8 digits (1,257 training images), Adam, batches of 64, tracing included:",
    ]
    lines += [f"    {how:<24} {result}" for how, result in digits_training().items()]
    return "\n".join(lines)


# ---- the report ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; torch {torch.__version__}"


def ratio_table(title: str, timings: Timings, unit: Callable[[float], str], baseline: str) -> str:
    lines = [title, f"  {'engine':<36} {'median':>14} {'vs micrograd':>13}"]
    for name in timings.runs:
        ratio = timings.median(baseline) / timings.median(name)
        lines.append(f"  {name:<36} {unit(timings.median(name)):>14} {ratio:>12.1f}x")
    return "\n".join(lines)


def settle() -> None:
    """Collect, then freeze what is alive, so that each timed run's gc.collect() does not
    re-scan what earlier sections left behind (the digits, torch's state) and bill it to the engines."""
    gc.collect()
    gc.freeze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15, help="rounds of (a) and (b); medians over them")
    parser.add_argument("--long", type=int, default=1_000_000, help="operations in the long chain (c)")
    args = parser.parse_args()

    settle()
    print(f"machine: {machine()}")
    print(f"medians over {args.rounds} interleaved rounds; ratios are micrograd's time over each engine's\n")

    timings, worst = demo_step(args.rounds)
    print(ratio_table("(a) micrograd's demo step, MLP(2, [16, 16, 1]) on 100 points", timings,
                      lambda s: f"{s * 1e3:8.1f} ms", "micrograd 0.1.0"))  # fmt: skip
    print(f"  largest loss difference from micrograd over {args.rounds} steps: {worst:.1e}\n")
    print(replay_report(timings, args.rounds) + "\n")

    operations = 10_000
    settle()
    for description, build in [("y = y·1.0001 + 0.0001", chain), ("y = y·a + b, a and b Values", value_chain)]:
        forward, backward = chain_timings(build, operations, args.rounds)
        per_op = Timings(
            {name: [f + b for f, b in zip(forward.runs[name], backward.runs[name])] for name in forward.runs}
        )
        print(ratio_table(f"(b) {operations:,}-operation chain, {description}: forward + backward per operation",
                          per_op, lambda s: f"{s / operations * 1e9:8.0f} ns", "micrograd 0.1.0"))  # fmt: skip
        for name in forward.runs:
            print(f"      {name:<34} forward {forward.median(name) / operations * 1e9:6.0f} ns, "
                  f"backward {backward.median(name) / operations * 1e9:6.0f} ns")  # fmt: skip
        print()

    settle()
    print(f"(e) {operations:,}-operation chains, one operation or a mix: forward + backward per operation")
    print(f"  {'chain':<58} {'micrograd':>10} {'this engine':>12} {'ratio':>7}")
    for name, timings in operation_timings(operations, args.rounds).items():
        theirs, ours = (timings.median(engine) / operations * 1e9 for engine in ("micrograd 0.1.0", "this engine"))
        print(f"  {name:<58} {theirs:7.0f} ns {ours:9.0f} ns {theirs / ours:6.1f}x")
    print("  (micrograd 0.1.0 has no tanh or exp: they are the lecture's, added to its Value the lecture's way)\n")

    settle()
    print(f"(c) {args.long:,}-operation chain, y = y·1.0001 + 0.0001: forward + backward, once")
    for name, result in long_chain(args.long).items():
        print(f"  {name:<36} {result}")
    print(f"  (expected d/dx = 1.0001^{args.long // 2:,} = {1.0001 ** (args.long // 2):.6g})")


if __name__ == "__main__":
    main()
