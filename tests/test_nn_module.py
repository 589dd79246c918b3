"""autograd.nn.module: state dicts to and from PyTorch, names, labels, and nested-list shapes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograd import Value
from autograd.nn import MLP, BatchNorm1d, Conv2d, Linear, LSTMCell, Sequential
from autograd.nn.module import check_shape, flatten, shape_of


def test_state_dict_round_trips_through_pytorch(torch: Any) -> None:
    ours = Sequential(Linear(3, 4, seed=0), BatchNorm1d(4))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)).double()
    ours.load_state_dict(theirs.state_dict())  # tensors are accepted: anything with .tolist()
    assert ours.state_dict() == {name: value.tolist() for name, value in theirs.state_dict().items()}
    assert isinstance(ours.state_dict()["1.num_batches_tracked"], int)


def test_load_state_dict_takes_nested_lists_and_numpy_arrays() -> None:
    conv = Conv2d(1, 2, 2, seed=0)
    state = {"weight": np.arange(8.0).reshape(2, 1, 2, 2), "bias": [0.5, -0.5]}
    conv.load_state_dict(state)
    assert conv.weight[1][0][1][0].data == 6.0 and conv.bias[1].data == -0.5
    assert type(conv.weight[1][0][1][0].data) is float


def test_load_state_dict_refuses_missing_extra_and_misshapen_entries_and_changes_nothing() -> None:
    lstm = LSTMCell(2, 1, seed=0)
    before = lstm.state_dict()
    with pytest.raises(KeyError, match=r"missing \['bias_hh'\], unexpected \['bias'\]"):
        lstm.load_state_dict({**{k: v for k, v in before.items() if k != "bias_hh"}, "bias": [0.0]})
    with pytest.raises(ValueError, match=r"load_state_dict: weight_ih should have shape \[4, 2\], got shape \[4, 3\]"):
        lstm.load_state_dict({**before, "weight_ih": [[0.0] * 3] * 4})
    with pytest.raises(TypeError, match="load_state_dict: bias_ih must hold numbers, got str: 'x'"):
        lstm.load_state_dict({**before, "bias_ih": [0.0, 0.0, 0.0, "x"], "weight_hh": [[9.0]] * 4})
    assert lstm.state_dict() == before


def test_state_dict_is_a_copy() -> None:
    model = MLP(2, [1], seed=0)
    state = model.state_dict()
    state["layers.0.bias"][0] = 5.0
    assert model.layers[0].neurons[0].b.data == 0.0


def test_rename_relabels_every_parameter_and_output() -> None:
    model = MLP(2, [2, 1], seed=0).rename("net")
    assert model.layers[1].neurons[0].w[1].label == "net.layer1.neuron0.w1"
    assert model([1.0, 2.0]).label == "net.layer1.neuron0.out"  # type: ignore[union-attr]
    assert MLP(2, [1], seed=0).layers[0].neurons[0].b.label == "layer0.neuron0.b"


def test_labels_split_into_identifiers_so_a_drawing_clusters_them() -> None:
    model = Sequential(Conv2d(1, 2, 2, seed=0), BatchNorm1d(1), LSTMCell(1, 1, seed=0))
    labels = [p.label for p in model.parameters()]
    assert len(set(labels)) == len(labels)
    assert all(part.isidentifier() for label in labels for part in label.split("."))


def test_shapes_of_nested_lists() -> None:
    assert shape_of([[1, 2, 3], [4, 5, 6]]) == (2, 3)
    assert shape_of(Value(1.0)) == () and shape_of([]) == (0,)
    assert flatten([[[1], [2]], [[3], [4]]]) == [1, 2, 3, 4]
    with pytest.raises(ValueError, match=r"x is ragged: its items have shapes \[\(1,\), \(2,\)\], not one shape"):
        shape_of([[1], [2, 3]], "x")
    with pytest.raises(ValueError, match=r"x should have shape \[2, any\], got shape \[3, 1\]"):
        check_shape([[1], [2], [3]], [2, None], "x")
