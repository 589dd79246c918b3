"""autograd.nn.containers: Sequential against torch.nn.Sequential, and Residual's shortcut."""

from __future__ import annotations

from typing import Any

import pytest
from oracle import (
    assert_same,
    assert_same_forward_and_backward,
    copy_weights,
    random_values,
    to_tensor,
)

from autograd import Value
from autograd.nn import (
    AvgPool2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Residual,
    Sequential,
    Sigmoid,
    Tanh,
)
from autograd.nn.module import flatten


def test_a_small_cnn_matches_pytorch(torch: Any) -> None:
    ours = Sequential(Conv2d(1, 3, 3, padding=1, seed=0), ReLU(), MaxPool2d(2), Conv2d(3, 2, 2, seed=1), Tanh(),
                      AvgPool2d(2), Flatten(), Linear(2, 4, seed=2), Sigmoid())  # fmt: skip
    nn = torch.nn
    theirs = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 2, 2), nn.Tanh(),
                           nn.AvgPool2d(2), nn.Flatten(0), nn.Linear(2, 4), nn.Sigmoid())  # fmt: skip
    copy_weights(torch, ours, theirs)  # names "0.weight", "3.bias", "7.weight", … as in PyTorch
    image = random_values((1, 6, 6), seed=3)
    image_tensor = to_tensor(torch, image)
    out, expected = ours(image), theirs(image_tensor)
    assert_same_forward_and_backward(torch, out, expected, image, image_tensor, what="image", modules=(ours, theirs))


def test_parts_are_named_by_kind_and_position() -> None:
    model = Sequential(Conv2d(1, 2, 3, seed=0), ReLU(), MaxPool2d(2), Flatten(), Linear(2, 1, seed=0))
    assert [m.name for m in model] == ["conv0", "relu1", "pool2", "flatten3", "linear4"]
    assert model[0].weight[1][0][2][2].label == "conv0.k1.w0_2_2"  # type: ignore[attr-defined]
    assert model[4].neurons[0].b.label == "linear4.neuron0.b"  # type: ignore[attr-defined]
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias", "4.weight", "4.bias"]
    assert len(model) == 5 and "(4): Linear(in_features=2, out_features=1)" in repr(model)


def test_residual_adds_a_path_with_local_derivative_one(torch: Any) -> None:
    block = Residual(Sequential(Linear(3, 3, seed=0), Tanh()))
    x = random_values((3,), seed=1)
    out = block(x)
    x_tensor = to_tensor(torch, x)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh())
    copy_weights(torch, block.module, theirs)
    expected = x_tensor + theirs(x_tensor)
    assert_same(out, expected, "output")
    assert [v.op for v in out] == ["+"] * 3 and [v.label for v in out] == ["res.out0", "res.out1", "res.out2"]
    assert block.module[0].neurons[2].w[0].label == "res.linear0.neuron2.w0"  # type: ignore[index]
    # our names: "module.0.weight", …
    assert_same_forward_and_backward(torch, out, expected, x, x_tensor, modules=(block, _wrap(torch, theirs)))


def _wrap(torch: Any, inner: Any) -> Any:
    """A torch module holding `inner` as its attribute `module`, as Residual holds its module."""
    wrapper = torch.nn.Module()
    wrapper.module = inner
    return wrapper


def test_the_shortcut_gets_the_gradient_even_when_the_module_passes_none() -> None:
    dead = Linear(2, 2, seed=0)
    for p in dead.parameters():
        p.data = 0.0
    x = [Value(1.0), Value(2.0)]
    out = Residual(dead)(x)
    (out[0] + out[1]).backward()
    assert [v.grad for v in x] == [1.0, 1.0]  # all of it through the + node's local derivative 1


def test_residuals_in_a_sequential_are_labelled_apart() -> None:
    model = Sequential(Residual(Linear(2, 2, seed=0)), Residual(Sequential(Linear(2, 2, seed=1), ReLU())))
    assert model[0].module.neurons[0].w[1].label == "res0.neuron0.w1"  # type: ignore[attr-defined]
    assert model[1].module[0].neurons[1].b.label == "res1.linear0.neuron1.b"  # type: ignore[attr-defined]
    out = model([0.5, -0.5])
    assert [v.label for v in out] == ["res1.out0", "res1.out1"]
    assert [name for name, _ in model.named_parameters()][:2] == ["0.module.weight", "0.module.bias"]


def test_wrong_parts_and_shapes_give_clear_errors() -> None:
    with pytest.raises(TypeError, match="Sequential takes modules, got function at position 1"):
        Sequential(ReLU(), lambda x: x)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"res: x \+ module\(x\) needs the module to keep the shape of its input, "
                                         r"got input shape \[3\] and output shape \[2\]"):  # fmt: skip
        Residual(Linear(3, 2))([1.0, 2.0, 3.0])
    assert flatten(Sequential()([[1.0]])) == [1.0]  # an empty Sequential is the identity, as in PyTorch
