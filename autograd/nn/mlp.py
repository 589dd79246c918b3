"""micrograd's Neuron, Layer and MLP, PyTorch's `Linear`, and weight initialisation.

The structure and defaults are micrograd's (ReLU hidden layers, a linear last
layer, weights drawn from U(-1, 1), biases 0), so micrograd code runs with only
its import changed. Parameters are labelled with dotted paths
(``layer0.neuron3.w1``) and each neuron's output ``layer0.neuron3.out``, which
is how a drawing groups a network's nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd.engine import Number, Value, linear
from autograd.nn.activation import ACTIVATIONS, Activation, activation_function, activation_name
from autograd.nn.module import Module, NestedValues, RandomSource, Seed, _rng, positive_int

Input = Sequence[Value | Number]

INITIALISATIONS = ("uniform", "xavier", "he", "pytorch")


def initial_weight(init: str, fan_in: int, fan_out: int, rng: RandomSource) -> float:
    """One weight drawn by an initialisation scheme.

    - ``uniform``: U(-1, 1), micrograd's choice;
    - ``xavier`` (Glorot): U(-a, a) with a = √(6 / (fan_in + fan_out)), keeps the
      variance of activations steady through tanh and sigmoid layers;
    - ``he``: N(0, √(2 / fan_in)), the same for ReLU layers, which zero half their inputs;
    - ``pytorch``: U(-a, a) with a = 1/√fan_in, PyTorch's default for ``nn.Linear``.
    """
    if init == "uniform":
        return rng.uniform(-1, 1)
    if init == "xavier":
        bound = math.sqrt(6 / (fan_in + fan_out))
        return rng.uniform(-bound, bound)
    if init == "he":
        return rng.gauss(0.0, math.sqrt(2 / fan_in))
    if init == "pytorch":
        bound = 1 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound)
    raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITIALISATIONS)}")


_KINDS = {"relu": "ReLU", "elu": "ELU", "leaky_relu": "LeakyReLU"}


class Neuron(Module):
    """``activation(b + Σ wᵢ·xᵢ)``: one unit with `nin` weights and a bias.

    The activation is micrograd's `nonlin` switch (True: ReLU, the default;
    False: linear) or an `activation` by name or as a callable; give one of them.

    ``fused=True`` computes the weighted sum as one `linear` node (fast, a small
    graph); ``fused=False`` builds it from ``*`` and ``+`` nodes, so a drawing
    shows every product. Both give the same numbers and gradients.
    """

    kind = "neuron"

    def __init__(
        self,
        nin: int,
        nonlin: bool | None = None,
        *,
        activation: str | Activation | None = None,
        init: str = "uniform",
        fan_out: int = 1,
        seed: Seed = None,
        fused: bool = True,
        name: str = "neuron",
    ) -> None:
        nin = positive_int(nin, "Neuron: nin")
        if nonlin is not None and activation is not None:
            raise ValueError("Neuron: give nonlin (micrograd's ReLU-or-linear switch) or activation, not both")
        if activation is None:
            activation = "linear" if nonlin is False else "relu"
        self.activation = activation_function(activation)
        self.activation_name = activation_name(activation)
        rng = _rng(seed)
        self.w = [Value(initial_weight(init, nin, fan_out, rng)) for _ in range(nin)]
        self.b = Value(0.0)
        self.fused = fused
        self.rename(name)

    def _relabel(self) -> None:
        for k, w in enumerate(self.w):
            w.label = f"{self.name}.w{k}"
        self.b.label = f"{self.name}.b"
        self._out_label = f"{self.name}.out"

    def __call__(self, x: Input) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"{self.name} expects {len(self.w)} inputs, got {len(x)}")
        if self.fused:
            weighted_sum = linear(self.w, x, self.b)
        else:
            weighted_sum = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        out = self.activation(weighted_sum)
        out.label = self._out_label
        return out

    def _own_parameters(self) -> dict[str, NestedValues]:
        return {"weight": list(self.w), "bias": self.b}

    def __repr__(self) -> str:
        name = self.activation_name
        if name in ACTIVATIONS:  # micrograd's form: ReLUNeuron(3), LinearNeuron(3)
            return f"{_KINDS.get(name, name.capitalize())}Neuron({len(self.w)})"
        return f"Neuron({len(self.w)}, activation={name})"


class Layer(Module):
    """`nout` neurons reading the same inputs; a one-neuron layer returns a Value, not a list.

    Its parameters are named as in ``torch.nn.Linear``: ``weight`` has one row
    per neuron, ``bias`` one number per neuron.
    """

    kind = "layer"

    def __init__(self, nin: int, nout: int, *, name: str = "layer", seed: Seed = None, **kwargs: object) -> None:
        nin, nout = positive_int(nin, "Layer: nin"), positive_int(nout, "Layer: nout")
        rng = _rng(seed)
        self.neurons = [
            Neuron(nin, fan_out=nout, seed=rng, **kwargs)  # type: ignore[arg-type]
            for _ in range(nout)
        ]
        self.rename(name)

    def _relabel(self) -> None:
        for j, neuron in enumerate(self.neurons):
            neuron.rename(f"{self.name}.neuron{j}")

    def __call__(self, x: Input) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def named_parameters(self) -> list[tuple[str, NestedValues]]:
        """``weight`` (a row per neuron) and ``bias``, as ``torch.nn.Linear`` names them."""
        return [("weight", [list(n.w) for n in self.neurons]), ("bias", [n.b for n in self.neurons])]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class Linear(Layer):
    """``torch.nn.Linear``: ``b + W·x`` for one example, always a list of `out_features` Values.

    Weights are drawn as PyTorch draws them, from U(−1/√in_features, 1/√in_features);
    biases start at 0. A `Layer` of linear neurons, labelled ``linear.neuron3.w1``.
    """

    kind = "linear"

    def __init__(
        self, in_features: int, out_features: int, *, init: str = "pytorch", seed: Seed = None, name: str = "linear"
    ) -> None:
        super().__init__(in_features, out_features, activation="linear", init=init, seed=seed, name=name)

    def __call__(self, x: Input) -> list[Value]:
        return [n(x) for n in self.neurons]

    def __repr__(self) -> str:
        return f"Linear(in_features={len(self.neurons[0].w)}, out_features={len(self.neurons)})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` has two hidden layers of 16 and one output.

    Hidden layers use `activation` (ReLU by default), the last one
    `output_activation` (linear by default), as in micrograd.
    """

    kind = "mlp"

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: str | Activation = "relu",
        output_activation: str | Activation = "linear",
        init: str = "uniform",
        seed: Seed = None,
        fused: bool = True,
    ) -> None:
        self.nin = positive_int(nin, "MLP: nin")
        if isinstance(nouts, str | bytes) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"MLP needs a list of layer sizes, at least one, got nouts = {nouts!r}")
        sizes = [self.nin, *(positive_int(n, f"MLP: every layer size in nouts = {list(nouts)}") for n in nouts)]
        rng = _rng(seed)
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation=output_activation if i == last else activation,
                init=init,
                seed=rng,
                fused=fused,
            )
            for i in range(len(nouts))
        ]
        self.rename("")

    def _relabel(self) -> None:
        prefix = f"{self.name}." if self.name else ""
        for i, layer in enumerate(self.layers):
            layer.rename(f"{prefix}layer{i}")

    def __call__(self, x: Input) -> Value | list[Value]:
        if len(x) != self.nin:
            raise ValueError(f"MLP expects {self.nin} inputs, got {len(x)}")
        out: Value | list[Value] = list(x)  # type: ignore[arg-type]
        for layer in self.layers:
            out = layer(out if isinstance(out, list) else [out])
        return out

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
