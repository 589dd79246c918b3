"""autograd.nn.recurrent: RNNCell, LSTMCell and GRUCell against torch.nn, unrolled over a few steps."""

from __future__ import annotations

from typing import Any

import pytest
from oracle import (
    assert_same,
    assert_same_grads,
    assert_same_parameter_grads,
    copy_weights,
    random_values,
    to_tensor,
    weighted_sum,
)

from autograd import Value
from autograd.engine import topological_order
from autograd.nn import GRUCell, LSTMCell, RNNCell

SIZES = [(3, 2), (1, 4), (2, 1)]


def _unroll(cell: Any, xs: list[Any], state: Any) -> list[Any]:
    states = []
    for x in xs:
        state = cell(x, state)
        states.append(state)
    return states


@pytest.mark.parametrize(("input_size", "hidden_size"), SIZES)
@pytest.mark.parametrize(("cell", "options"), [(RNNCell, {}), (RNNCell, {"nonlinearity": "relu"}), (GRUCell, {})])
@pytest.mark.parametrize("start", ["zeros", "given"])
def test_rnn_and_gru_cells_match_pytorch_over_a_sequence(
    torch: Any, cell: type, options: dict[str, str], input_size: int, hidden_size: int, start: str
) -> None:
    ours = cell(input_size, hidden_size, seed=0, **options)
    theirs = getattr(torch.nn, cell.__name__)(input_size, hidden_size, **options)
    copy_weights(torch, ours, theirs)
    xs = random_values((3, input_size), seed=1)
    xs_tensor = to_tensor(torch, xs)
    h0 = random_values((hidden_size,), seed=2) if start == "given" else None
    h0_tensor = to_tensor(torch, h0) if h0 is not None else None

    states = _unroll(ours, xs, h0)
    expected = _unroll(theirs, list(xs_tensor), h0_tensor)
    for t, (h, h_expected) in enumerate(zip(states, expected)):
        assert_same(h, h_expected, f"h at step {t}")
    loss, expected_loss = weighted_sum(torch, states[-1], expected[-1])
    loss.backward()
    expected_loss.backward()
    assert_same_grads(xs, xs_tensor, "inputs")
    if h0 is not None:
        assert_same_grads(h0, h0_tensor, "initial state")
    assert_same_parameter_grads(ours, theirs)


@pytest.mark.parametrize(("input_size", "hidden_size"), SIZES)
@pytest.mark.parametrize("start", ["zeros", "given"])
def test_lstm_cell_matches_pytorch_over_a_sequence(torch: Any, input_size: int, hidden_size: int, start: str) -> None:
    ours = LSTMCell(input_size, hidden_size, seed=0)
    theirs = torch.nn.LSTMCell(input_size, hidden_size)
    copy_weights(torch, ours, theirs)
    xs = random_values((4, input_size), seed=1)
    xs_tensor = to_tensor(torch, xs)
    h0, c0 = random_values((hidden_size,), seed=2), random_values((hidden_size,), seed=3)
    h0_tensor, c0_tensor = to_tensor(torch, h0), to_tensor(torch, c0)
    given = start == "given"

    states = _unroll(ours, xs, (h0, c0) if given else None)
    expected = _unroll(theirs, list(xs_tensor), (h0_tensor, c0_tensor) if given else None)
    for t, ((h, c), (h_expected, c_expected)) in enumerate(zip(states, expected)):
        assert_same(h, h_expected, f"h at step {t}")
        assert_same(c, c_expected, f"c at step {t}")
    h, c = states[-1]
    loss, expected_loss = weighted_sum(torch, h + c, torch.cat(expected[-1]))
    loss.backward()
    expected_loss.backward()
    assert_same_grads(xs, xs_tensor, "inputs")
    if given:
        assert_same_grads(h0, h0_tensor, "initial h")
        assert_same_grads(c0, c0_tensor, "initial c")
    assert_same_parameter_grads(ours, theirs)


def test_parameter_shapes_gate_order_and_labels() -> None:
    lstm = LSTMCell(3, 2, seed=0)
    shapes = {name: (len(v), len(v[0]) if isinstance(v[0], list) else None) for name, v in lstm.named_parameters()}
    assert shapes == {"weight_ih": (8, 3), "weight_hh": (8, 2), "bias_ih": (8, None), "bias_hh": (8, None)}
    assert lstm.weight_ih[0][1].label == "lstm.i0.w_ih1"  # rows 0-1 the input gate, 2-3 forget, 4-5 g, 6-7 output
    assert lstm.weight_hh[3][0].label == "lstm.f1.w_hh0"
    assert lstm.bias_ih[7].label == "lstm.o1.b_ih"
    h, c = lstm([1.0, 2.0, 3.0])
    assert [v.label for v in h + c] == ["lstm.h0", "lstm.h1", "lstm.c0", "lstm.c1"]
    assert GRUCell(1, 2, seed=0).weight_hh[4][1].label == "gru.n0.w_hh1"
    assert RNNCell(1, 2, seed=0).bias_hh[1].label == "rnn.unit1.b_hh"
    assert all(-(0.5**0.5) <= p.data <= 0.5**0.5 for p in lstm.parameters())  # U(−1/√hidden, 1/√hidden)


def test_an_lstm_cell_state_carries_the_gradient_when_the_forget_gate_is_open() -> None:
    lstm = LSTMCell(1, 1, seed=0)
    c = [Value(1.0)]
    lstm.bias_ih[1].data = 20.0  # forget gate σ(≈20) ≈ 1
    _, c_next = lstm([0.0], ([0.0], c))
    c_next[0].backward()
    assert c[0].grad == pytest.approx(1.0, abs=1e-6)  # dc'/dc = f


@pytest.mark.parametrize(("call", "message"), [
    (lambda: RNNCell(3, 2)([1.0, 2.0]), r"rnn: the input x should have shape \[3\], got shape \[2\]"),
    (lambda: GRUCell(1, 2)([1.0], [0.0]), r"gru: the state h should have shape \[2\], got shape \[1\]"),
    (lambda: LSTMCell(1, 2)([1.0], ([0.0, 0.0], [0.0])), r"lstm: the state c should have shape \[2\], got shape \[1\]"),
    (lambda: RNNCell(1, 2, nonlinearity="sigmoid"), "nonlinearity must be 'tanh' or 'relu', got 'sigmoid'"),
    (lambda: LSTMCell(0, 2), "LSTMCell: input_size must be a positive integer, got 0"),
])  # fmt: skip
def test_bad_sizes_give_errors_naming_expected_and_given(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_one_step_is_small_enough_to_draw() -> None:
    h = RNNCell(2, 2, seed=0)([1.0, -1.0])
    assert len(topological_order(h[0])) < 20
