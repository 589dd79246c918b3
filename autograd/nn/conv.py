"""Convolution and pooling on one image, as nested lists ``[channel][row][column]``.

A convolution slides one small kernel of weights over the image. The same
weight is used at every position, so its gradient is the sum of one
contribution per position: the *shared weight* of a convolutional network.
Each output is one fused `linear` node over the kernel's weights and the patch
under it, which keeps the graph small.

A max pool keeps the largest number of each window. It builds no node: it
passes on the winning Value itself, so the gradient flows back to that one
input and the others in the window get none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd.engine import Value, linear
from autograd.nn.module import (
    Module,
    Nested,
    NestedValues,
    Seed,
    _rng,
    check_shape,
    draw_uniform,
    flatten,
    positive_int,
)

Image = list[list[list[Value]]]


def _pair(value: int | Sequence[int], what: str, minimum: int) -> tuple[int, int]:
    """``3`` as ``(3, 3)``; a pair ``(height, width)`` as it is; each at least `minimum`."""
    pair = tuple(value) if isinstance(value, Sequence) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and v >= minimum for v in pair):
        raise ValueError(f"{what} must be an integer >= {minimum} or a pair of them, got {value!r}")
    return pair  # type: ignore[return-value]


def _number(x: Value | float) -> float:
    return x.data if isinstance(x, Value) else x


def _output_size(size: int, kernel: int, stride: int, padding: int, what: str, axis: str) -> int:
    """How many positions a window of `kernel` takes along an axis of `size` (padded on both sides)."""
    if size + 2 * padding < kernel:
        raise ValueError(
            f"{what}: the input's {axis} is {size}{f' (+{2 * padding} padding)' if padding else ''}, "
            f"smaller than the kernel's {kernel}"
        )
    return (size + 2 * padding - kernel) // stride + 1


class Conv2d(Module):
    """``torch.nn.Conv2d`` on one image: ``[in_channels][H][W]`` in, ``[out_channels][H_out][W_out]`` out.

    Output channel k at row r, column c is ``bias[k] + Σ weight[k][ch][i][j] ·
    x[ch][r·stride + i − padding][c·stride + j − padding]``, the sum over the
    kernel's positions that fall inside the image (the padding is zeros).
    ``H_out = (H + 2·padding − kernel_size) // stride + 1``, and the same for W.

    Weights and biases are drawn as PyTorch draws them, from U(−a, a) with
    a = 1/√(in_channels·kh·kw). Labels: ``conv.k1.w0_2_1`` is weight[1][0][2][1],
    ``conv.k1.b`` is bias[1] and ``conv.k1.out3_4`` the output of kernel 1 at (3, 4).
    """

    kind = "conv"

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        *,
        seed: Seed = None,
        name: str = "conv",
    ) -> None:
        self.in_channels = positive_int(in_channels, "Conv2d: in_channels")
        self.out_channels = positive_int(out_channels, "Conv2d: out_channels")
        self.kernel_size = _pair(kernel_size, "Conv2d: kernel_size", 1)
        self.stride = _pair(stride, "Conv2d: stride", 1)
        self.padding = _pair(padding, "Conv2d: padding", 0)
        kh, kw = self.kernel_size
        rng = _rng(seed)
        bound = 1 / math.sqrt(self.in_channels * kh * kw)
        self.weight = [
            [[[draw_uniform(bound, rng, "") for _ in range(kw)] for _ in range(kh)] for _ in range(self.in_channels)]
            for _ in range(self.out_channels)
        ]
        self.bias = [draw_uniform(bound, rng, "") for _ in range(self.out_channels)]
        self.rename(name)

    def _relabel(self) -> None:
        for k, kernel in enumerate(self.weight):
            for ch, rows in enumerate(kernel):
                for i, row in enumerate(rows):
                    for j, w in enumerate(row):
                        w.label = f"{self.name}.k{k}.w{ch}_{i}_{j}"
            self.bias[k].label = f"{self.name}.k{k}.b"

    def _own_parameters(self) -> dict[str, NestedValues]:
        return {"weight": self.weight, "bias": self.bias}  # type: ignore[dict-item]

    def __call__(self, x: Nested) -> Image:
        _, height, width = check_shape(x, [self.in_channels, None, None], f"{self.name}: the image [C][H][W]")
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        out_height = _output_size(height, kh, sh, ph, self.name, "height")
        out_width = _output_size(width, kw, sw, pw, self.name, "width")
        out: Image = [[[] for _ in range(out_height)] for _ in range(self.out_channels)]
        for r in range(out_height):
            for c in range(out_width):
                # the kernel's positions (ch, i, j) over the image, and what lies under each
                positions = [
                    (ch, i, j, x[ch][r * sh + i - ph][c * sw + j - pw])
                    for ch in range(self.in_channels)
                    for i in range(kh)
                    if 0 <= r * sh + i - ph < height
                    for j in range(kw)
                    if 0 <= c * sw + j - pw < width
                ]
                patch = [pixel for *_, pixel in positions]
                for k, kernel in enumerate(self.weight):
                    weights = [kernel[ch][i][j] for ch, i, j, _ in positions]
                    value = linear(weights, patch, self.bias[k])
                    value.label = f"{self.name}.k{k}.out{r}_{c}"
                    out[k][r].append(value)
        return out

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding})"
        )


class _Pool2d(Module):
    """What max and average pooling share: a window sliding over each channel on its own."""

    kind = "pool"

    def __init__(
        self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None, *, name: str = "pool"
    ) -> None:
        self.kernel_size = _pair(kernel_size, f"{type(self).__name__}: kernel_size", 1)
        self.stride = self.kernel_size if stride is None else _pair(stride, f"{type(self).__name__}: stride", 1)
        self.name = name

    def _windows(self, x: Nested) -> list[list[list[list[Value | float]]]]:
        """For each channel, row and column of the output: the inputs in its window, in reading order."""
        _, height, width = check_shape(x, [None, None, None], f"{self.name}: the image [C][H][W]")
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        out_height = _output_size(height, kh, sh, 0, self.name, "height")
        out_width = _output_size(width, kw, sw, 0, self.name, "width")
        return [
            [
                [[channel[r * sh + i][c * sw + j] for i in range(kh) for j in range(kw)] for c in range(out_width)]
                for r in range(out_height)
            ]
            for channel in x
        ]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2d(_Pool2d):
    """``torch.nn.MaxPool2d``: the largest number of each window, channel by channel.

    No new node: each output *is* the winning input, so backward sends the
    whole gradient to that one input and none to the rest of its window (a
    tie goes to the first in reading order, as in PyTorch). `stride` defaults
    to `kernel_size`: windows side by side.
    """

    def __call__(self, x: Nested) -> Nested:
        return [[[max(window, key=_number) for window in row] for row in channel] for channel in self._windows(x)]


class AvgPool2d(_Pool2d):
    """``torch.nn.AvgPool2d``: the mean of each window, channel by channel.

    Each output is one `linear` node with every weight 1/(kh·kw), so each
    input of the window gets that share of the gradient.
    """

    def __call__(self, x: Nested) -> Image:
        windows = self._windows(x)
        share = 1 / (self.kernel_size[0] * self.kernel_size[1])
        out: Image = []
        for ch, channel in enumerate(windows):
            out.append([])
            for r, row in enumerate(channel):
                out[-1].append([])
                for c, window in enumerate(row):
                    value = linear([share] * len(window), window, 0.0)
                    value.label = f"{self.name}.c{ch}.out{r}_{c}"
                    out[-1][-1].append(value)
        return out


class Flatten(Module):
    """Nested lists to one flat list in reading order: ``[C][H][W]`` to ``C·H·W`` numbers.

    Like ``torch.nn.Flatten()`` on a batch of one image (which keeps the batch
    dimension). It builds no node: the Values are passed on as they are.
    """

    kind = "flatten"

    def __init__(self, *, name: str = "flatten") -> None:
        self.name = name

    def __call__(self, x: Nested) -> list[Value]:
        return flatten(x)

    def __repr__(self) -> str:
        return "Flatten()"
