"""autograd.nn.conv: Conv2d, MaxPool2d, AvgPool2d and Flatten against torch.nn with the same weights."""

from __future__ import annotations

from typing import Any

import pytest
from oracle import (
    assert_same,
    assert_same_forward_and_backward,
    copy_weights,
    random_values,
    to_tensor,
    weighted_sum,
)

from autograd import Value, gradcheck
from autograd.engine import topological_order
from autograd.nn import AvgPool2d, Conv2d, Flatten, MaxPool2d
from autograd.nn.module import flatten

# in_channels, out_channels, kernel_size, stride, padding, height, width
CONVOLUTIONS = [
    (1, 2, 3, 1, 0, 6, 6),
    (2, 3, 3, 2, 1, 7, 5),
    (3, 2, (2, 3), (1, 2), (1, 0), 5, 6),
    (1, 1, 1, 1, 0, 3, 3),
    (2, 2, 2, 3, 3, 4, 4),  # padding wider than the kernel: some windows see only zeros
]


@pytest.mark.parametrize(("cin", "cout", "kernel", "stride", "padding", "height", "width"), CONVOLUTIONS)
def test_conv2d_matches_pytorch(torch: Any, cin: int, cout: int, kernel: Any, stride: Any, padding: Any,
                                height: int, width: int) -> None:  # fmt: skip
    ours = Conv2d(cin, cout, kernel, stride, padding, seed=1)
    theirs = torch.nn.Conv2d(cin, cout, kernel, stride, padding)
    copy_weights(torch, ours, theirs)
    x = random_values((cin, height, width), seed=2)
    x_tensor = to_tensor(torch, x)

    out, expected = ours(x), theirs(x_tensor)
    assert_same_forward_and_backward(torch, out, expected, x, x_tensor, modules=(ours, theirs))


def test_a_shared_weights_gradient_is_the_sum_over_every_position() -> None:
    conv = Conv2d(1, 1, 2, seed=0)
    image = [[[Value(float(3 * r + c)) for c in range(3)] for r in range(3)]]
    out = conv(image)  # 2×2 outputs, each using weight[0][0][0][1] once
    total = out[0][0][0] + out[0][0][1] + out[0][1][0] + out[0][1][1]
    total.backward()
    # d total / d w[0][1] = the pixel under w[0][1] at each of the four positions, added
    assert conv.weight[0][0][0][1].grad == sum(image[0][r][c + 1].data for r in range(2) for c in range(2))
    assert conv.bias[0].grad == 4.0


def test_each_output_is_one_linear_node_labelled_by_kernel_and_position() -> None:
    conv = Conv2d(2, 3, 3, padding=1, seed=0, name="conv0")
    out = conv([[[1.0] * 4 for _ in range(4)] for _ in range(2)])
    assert out[1][2][3].op == "linear" and out[1][2][3].label == "conv0.k1.out2_3"
    corner = out[0][0][0]  # in the corner, 4 of the 9 positions per channel are padding, left out
    assert len(corner.parents) == 2 * 4 + 1
    assert conv.weight[1][0][2][1].label == "conv0.k1.w0_2_1" and conv.bias[2].label == "conv0.k2.b"


def test_conv2d_gradcheck_through_padding_and_stride() -> None:
    def f(*v: Value) -> Value:
        conv = Conv2d(1, 1, 2, stride=2, padding=1, seed=0)
        image = [[list(v[0:3]), list(v[3:6]), list(v[6:9])]]
        return sum((o.tanh() for row in conv(image)[0] for o in row), Value(0.0))

    assert gradcheck(f, [0.1 * k - 0.4 for k in range(9)])


@pytest.mark.parametrize(("pool", "kernel", "stride", "height", "width"), [
    (MaxPool2d, 2, None, 4, 6), (MaxPool2d, 3, 1, 5, 5), (MaxPool2d, (2, 3), (1, 2), 5, 7),
    (AvgPool2d, 2, None, 4, 6), (AvgPool2d, 3, 1, 5, 5), (AvgPool2d, (2, 3), (1, 2), 5, 7),
])  # fmt: skip
def test_pooling_matches_pytorch(torch: Any, pool: type, kernel: Any, stride: Any, height: int, width: int) -> None:
    ours = pool(kernel, stride)
    theirs = getattr(torch.nn, pool.__name__)(kernel, stride)
    x = random_values((2, height, width), seed=3)
    x_tensor = to_tensor(torch, x)
    out, expected = ours(x), theirs(x_tensor)
    assert_same_forward_and_backward(torch, out, expected, x, x_tensor)


def test_max_pool_passes_the_gradient_to_exactly_one_input_per_window(torch: Any) -> None:
    x = random_values((1, 4, 4), seed=4)
    out = MaxPool2d(2)(x)
    assert all(o in flatten(x) for o in flatten(out))  # no new node: each output is the winning input
    loss, _ = weighted_sum(torch, out, torch.zeros(4))
    loss.backward()
    receivers = [v for v in flatten(x) if v.grad != 0]
    assert len(receivers) == 4 and set(receivers) == set(flatten(out))


def test_max_pool_ties_go_to_the_first_input_as_in_pytorch(torch: Any) -> None:
    x = [[[Value(1.0), Value(1.0)], [Value(0.0), Value(1.0)]]]
    x_tensor = to_tensor(torch, x)
    MaxPool2d(2)(x)[0][0][0].backward()
    torch.nn.MaxPool2d(2)(x_tensor).sum().backward()
    assert [v.grad for v in flatten(x)] == x_tensor.grad.reshape(-1).tolist() == [1.0, 0.0, 0.0, 0.0]


def test_average_pool_shares_the_gradient_evenly() -> None:
    x = random_values((1, 2, 2), seed=5)
    (out,) = flatten(AvgPool2d(2)(x))
    out.backward()
    assert out.op == "linear" and [v.grad for v in flatten(x)] == [0.25] * 4


def test_flatten_matches_pytorch_on_a_batch_of_one(torch: Any) -> None:
    x = random_values((2, 3, 4), seed=6)
    out = Flatten()(x)
    assert_same(out, torch.nn.Flatten()(to_tensor(torch, x).unsqueeze(0))[0], "output")
    assert out == flatten(x)  # the same Values, no new nodes
    assert len(topological_order(out[0])) == 1


@pytest.mark.parametrize(("call", "message"), [
    (lambda: Conv2d(2, 1, 3)([[[1.0] * 5] * 5]),
     r"conv: the image \[C\]\[H\]\[W\] should have shape \[2, any, any\], got shape \[1, 5, 5\]"),
    (lambda: Conv2d(1, 1, 3)([[1.0] * 5] * 5),
     r"should have shape \[1, any, any\], got shape \[5, 5\]"),
    (lambda: Conv2d(1, 1, 3)([[[1.0] * 5, [1.0] * 4]]), "ragged"),
    (lambda: Conv2d(1, 1, 4, padding=1)([[[1.0] * 5] * 1]),
     r"the input's height is 1 \(\+2 padding\), smaller than the kernel's 4"),
    (lambda: MaxPool2d(3)([[[1.0] * 2] * 5]), "the input's width is 2, smaller than the kernel's 3"),
    (lambda: Conv2d(0, 1, 3), "Conv2d: in_channels must be a positive integer, got 0"),
    (lambda: Conv2d(1, 1, 0), r"Conv2d: kernel_size must be an integer >= 1 or a pair of them, got 0"),
    (lambda: Conv2d(1, 1, 3, padding=-1), "Conv2d: padding must be an integer >= 0"),
    (lambda: AvgPool2d(2, stride=(1, 2, 3)), "AvgPool2d: stride must be an integer >= 1 or a pair"),
])  # fmt: skip
def test_bad_shapes_and_sizes_give_errors_naming_expected_and_given(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_parameters_shapes_and_names_are_pytorchs() -> None:
    conv = Conv2d(2, 3, (2, 4), seed=0)
    (weight_name, weight), (bias_name, bias) = conv.named_parameters()
    assert (weight_name, bias_name) == ("weight", "bias")
    assert (len(weight), len(weight[0]), len(weight[0][0]), len(weight[0][0][0]), len(bias)) == (3, 2, 2, 4, 3)
    assert len(conv.parameters()) == 3 * 2 * 2 * 4 + 3
    assert conv.weights() == flatten(weight)
    bound = 1 / (2 * 2 * 4) ** 0.5
    assert all(-bound <= p.data <= bound for p in conv.parameters())
