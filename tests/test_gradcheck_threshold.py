"""The gradient check's pass mark: each array's own allowance, scaled by |C| / g_rms."""

import numpy as np
import pytest

import nnmath
from nnmath.gradcheck import EPS, SAFETY, check_network, expected_relative_error


def deep_sigmoid_digits():
    """A correct 8-layer sigmoid network on ten digits: its first layers' gradients are tiny beside C."""
    X, y = nnmath.datasets.digits()
    net = nnmath.Network([64] + [30] * 7 + [10], "sigmoid", "cross_entropy", seed=0)
    return net, X[:, :10], nnmath.datasets.one_hot(y[:10], 10)


def test_expected_error_is_truncation_plus_scaled_roundoff():
    g = np.array([[3.0, -4.0]])  # g_rms = 5/√2
    g_rms = 5 / np.sqrt(2)
    assert expected_relative_error(g, g, cost=2.0, h=1e-5) == pytest.approx(
        1e-10 + EPS * 2.0 / (1e-5 * g_rms)
    )
    assert expected_relative_error(g, g, cost=2.0, h=1e-5, method="forward") == pytest.approx(
        1e-5 + EPS * 2.0 / (1e-5 * g_rms)
    )
    assert expected_relative_error(np.zeros(3), np.zeros(3), cost=1.0, h=1e-5) == np.inf


def test_a_correct_deep_network_fails_a_fixed_threshold_but_passes_its_own():
    net, x, t = deep_sigmoid_digits()
    report = check_network(net, x, t, h=1e-5)
    assert not report.passed(1e-7)  # the old fixed mark calls a correct backward pass wrong
    assert report.passed(), str(report)
    first, last = report.rows[0], report.rows[-2]
    assert first.expected_error > 100 * last.expected_error  # the allowance follows |C| / g_rms


@pytest.mark.parametrize("seed", range(8))
def test_correct_networks_stay_under_the_estimate_itself(seed):
    rng = np.random.default_rng(seed)
    activations = [
        ["tanh", "sigmoid", "identity"],
        ["sigmoid", "sigmoid", "softmax"],
        ["tanh", "tanh", "identity"],
        ["tanh", "relu", "softmax"],
    ][seed % 4]
    loss = "cross_entropy" if activations[-1] == "softmax" else "mse"
    sizes = [int(n) for n in rng.integers(2, 8, 3)] + [3]
    net = nnmath.Network(sizes, activations, loss, seed=seed)
    x = rng.standard_normal((sizes[0], 5))
    t = (
        nnmath.datasets.one_hot(rng.integers(0, 3, 5), 3)
        if loss == "cross_entropy"
        else rng.standard_normal((3, 5))
    )
    report = check_network(net, x, t)
    assert all(r.relative_error < r.expected_error for r in report.rows), str(report)
    assert report.passed() and report.failures() == []


def test_a_wrong_entry_is_caught_by_the_default_and_named(monkeypatch):
    net = nnmath.Network([3, 4, 2], "tanh", "mse", seed=0)
    x, t = np.ones((3, 2)), np.zeros((2, 2))
    original = net.backward

    def broken(*args, **kwargs):
        g = original(*args, **kwargs)
        g.b[2][1, 0] += 1e-4
        return g

    monkeypatch.setattr(net, "backward", broken)
    report = check_network(net, x, t)
    assert not report.passed()
    assert [(r.parameter, r.layer, r.worst_index) for r in report.failures()] == [("b", 2, (1, 0))]
    assert report.failures()[0].allowed_error == SAFETY * report.failures()[0].expected_error


def test_bad_tolerance_is_named():
    net = nnmath.Network([2, 2], "tanh", "mse", seed=0)
    report = check_network(net, np.ones((2, 1)), np.zeros((2, 1)))
    for bad in (0, -1e-7, float("nan")):
        with pytest.raises(ValueError, match="tolerance must be a positive finite number or None"):
            report.passed(bad)


def test_table_shows_the_allowance():
    net = nnmath.Network([2, 2], "tanh", "mse", seed=0)
    report = check_network(net, np.ones((2, 1)), np.zeros((2, 1)))
    assert "allowed" in str(report) and "allowed error" in report._repr_html_()
