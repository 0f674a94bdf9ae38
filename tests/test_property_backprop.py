"""Backprop equals central differences for random architectures (hypothesis).

Tolerance: relative error 1e-6, plus the round-off floor of the finite difference itself.
C(w ± h) are each computed with a relative error of about eps, so their difference divided by 2h
is only known to about eps·|C|/h per entry (h = 1e-5 balances this against the O(h²) truncation
error). Where a gradient is a million times smaller than the cost, that floor, not backprop, sets
the agreement; the allowance below is that floor and nothing more. Draws where a finite
difference would straddle a ReLU kink are discarded (there the difference is not a derivative). (A
wrong backward pass is off
by far more: tests/test_network.py shows a 1e-3 error in one entry caught and located.)
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnmath import Network
from nnmath.gradcheck import network_numerical_gradients, numerical_gradient, relative_error

HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
OUTPUT_LOSSES = [  # (output activation, loss) pairs that fit
    *[
        (f, loss)
        for f in ["sigmoid", "tanh", "relu", "identity", "softmax"]
        for loss in ["half_squared_error", "mean_squared_error"]
    ],
    ("softmax", "cross_entropy"),
    ("sigmoid", "binary_cross_entropy"),
]


def targets(loss, shape, rng):
    if loss == "cross_entropy":
        return np.eye(shape[0])[:, rng.integers(0, shape[0], shape[1])]
    if loss == "binary_cross_entropy":
        return rng.uniform(0, 1, shape)
    return rng.standard_normal(shape)


EPS = np.finfo(np.float64).eps


def agree(analytic, numeric, cost, h, tolerance=1e-6):
    """‖a − n‖ ≤ 1e-6 (‖a‖ + ‖n‖) + the finite difference's round-off floor."""
    round_off = 4 * EPS * max(abs(cost), 1.0) / h * np.sqrt(analytic.size)
    gap = np.linalg.norm(analytic - numeric)
    return gap <= tolerance * (np.linalg.norm(analytic) + np.linalg.norm(numeric)) + round_off


@settings(max_examples=300, deadline=None)
@given(
    widths=st.lists(st.integers(1, 8), min_size=2, max_size=5),
    hidden=st.lists(st.sampled_from(HIDDEN), min_size=3, max_size=3),
    output_loss=st.sampled_from(OUTPUT_LOSSES),
    reduction=st.sampled_from(["sum", "mean"]),
    batch=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_backprop_equals_central_differences(widths, hidden, output_loss, reduction, batch, seed):
    output, loss = output_loss
    L = len(widths) - 1
    rng = np.random.default_rng(seed)
    net = Network(widths, hidden[: L - 1] + [output], loss, seed=rng, reduction=reduction)
    for l in range(1, L + 1):  # nonzero biases so every term of the gradient is exercised
        net.b[l][...] = 0.1 * rng.standard_normal(net.b[l].shape)
    x = rng.standard_normal((widths[0], batch))
    t = targets(loss, (widths[-1], batch), rng)

    h = 1e-5
    g = net.backward(x, t)
    # ReLU has a kink at z = 0: a central difference that straddles it measures neither one-sided
    # slope, so draws with a ReLU pre-activation within 100 h of 0 say nothing about backprop.
    forward = net.forward(x)
    assume(
        all(
            np.min(np.abs(forward.z[l])) > 100 * h
            for l in range(1, L + 1)
            if net.f[l].name == "relu"
        )
    )
    for analytic, numeric in zip(g.as_list(), network_numerical_gradients(net, x, t, h=h)):
        assert agree(analytic, numeric, g.cost, h), (
            relative_error(analytic, numeric),
            analytic,
            numeric,
        )
    numeric_x = numerical_gradient(lambda v: net.cost(v, t), x, h=h)
    assert agree(g.x, numeric_x, g.cost, h), relative_error(g.x, numeric_x)
