"""Neural networks built on `Value`, shaped like ``torch.nn``.

One small module per idea, each readable on its own:

- `module`: `Module`, the base class: parameters, names, modes, state dicts;
- `mlp`: micrograd's `Neuron`, `Layer` and `MLP`, PyTorch's `Linear`, initialisation;
- `activation`: activations by name, and `ReLU`, `Tanh`, `Sigmoid` as modules;
- `dropout`: `Dropout`;
- `conv`: `Conv2d`, `MaxPool2d`, `AvgPool2d`, `Flatten`: shared weights and pooling;
- `batchnorm`: `BatchNorm1d`: a gradient through the batch's mean and variance;
- `recurrent`: `RNNCell`, `LSTMCell`, `GRUCell`: one time step each;
- `containers`: `Sequential`, and `Residual` (x + module(x));
- `losses`: the losses, and the L1 and L2 penalties.

micrograd code runs with only its import changed: ``from autograd.nn import MLP``.
"""

from autograd.nn.activation import ACTIVATIONS, Activation, ReLU, Sigmoid, Tanh
from autograd.nn.batchnorm import BatchNorm1d
from autograd.nn.containers import Residual, Sequential
from autograd.nn.conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from autograd.nn.dropout import Dropout
from autograd.nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_penalty,
    l2_penalty,
    mse_loss,
)
from autograd.nn.mlp import INITIALISATIONS, MLP, Input, Layer, Linear, Neuron, initial_weight
from autograd.nn.module import Module, RandomSource, Seed
from autograd.nn.recurrent import GRUCell, LSTMCell, RNNCell

__all__ = [
    "ACTIVATIONS",
    "INITIALISATIONS",
    "MLP",
    "Activation",
    "AvgPool2d",
    "BatchNorm1d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "GRUCell",
    "Input",
    "LSTMCell",
    "Layer",
    "Linear",
    "MaxPool2d",
    "Module",
    "Neuron",
    "RNNCell",
    "RandomSource",
    "ReLU",
    "Residual",
    "Seed",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "initial_weight",
    "l1_penalty",
    "l2_penalty",
    "mse_loss",
]
