"""The worked example: three gradient computations agree, and the page states the computed numbers."""

import html
import re

import numpy as np
import pytest

from nnmath.examples import worked_example
from nnmath.gradcheck import check_network
from nnmath.symbolic import exact_gradients


def test_backprop_sympy_and_central_differences_agree():
    net, x, t, _ = worked_example()
    backprop = net.backward(x, t)
    exact_W, exact_b = exact_gradients(net, x, t, digits=30)
    for l in range(1, net.L + 1):
        np.testing.assert_allclose(
            backprop.W[l], np.array(exact_W[l - 1], dtype=float), rtol=1e-14, atol=0
        )
        np.testing.assert_allclose(
            backprop.b[l], np.array(exact_b[l - 1], dtype=float), rtol=1e-14, atol=0
        )
    assert check_network(net, x, t, h=1e-5).max_relative_error < 1e-8


def test_exact_gradients_rejects_what_it_cannot_do():
    net, x, t, _ = worked_example()
    with pytest.raises(ValueError, match="takes one example"):
        exact_gradients(net, np.hstack([x, x]), np.hstack([t, t]))


def test_one_step_lowers_the_loss():
    net, x, t, learning_rate = worked_example()
    before = net.cost(x, t)
    net.gradient_step(net.backward(x, t), learning_rate)
    assert net.cost(x, t) < before


def test_parameter_and_symbol_counts():
    """15 parameters (10 weights, 5 biases); with x₁, x₂ and t the symbolic loss has 18 symbols."""
    from nnmath.symbolic import SymbolicNetwork

    net, x, t, _ = worked_example()
    assert (
        net.n_parameters == 15
        and sum(W.size for W in net.W) == 10
        and sum(b.size for b in net.b) == 5
    )
    assert len(SymbolicNetwork(net.sizes).cost.free_symbols) == 18


def _last_loss(rate, steps=1000):
    """The loss after ``steps`` steps of gradient descent (the chapter's ``train(rate)[0][-1]``)."""
    net, x, t, _ = worked_example()
    for _ in range(steps):
        net.gradient_step(net.backward(x, t), rate)
    return net.cost(x, t)


def test_learning_rate_threshold_and_plateau():
    """The exercise's answer: the last loss crosses 1e-6 near α ≈ 0.6; at α = 100 it stays at ½t²."""
    assert _last_loss(0.59) > 1e-6 > _last_loss(0.61)
    _, _, t, _ = worked_example()
    assert abs(_last_loss(100.0) - 0.5 * float(t[0, 0]) ** 2) < 1e-6


@pytest.mark.book
def test_page_states_the_computed_numbers(built_book):
    html_dir, _ = built_book
    text = html.unescape(
        re.sub(r"<[^>]+>", "", (html_dir / "book" / "worked_example.html").read_text())
    )
    net, x, t, learning_rate = worked_example()
    fwd = net.forward(x)
    g = net.backward(x, t)
    loss_before = g.cost
    net.gradient_step(g, learning_rate)
    expected = {
        "prediction a³": f"{fwd.output[0, 0]:.6f}",
        "z³": f"{fwd.z[3][0, 0]:.6f}",
        "loss before": f"{loss_before:.6f}",
        "loss after": f"{net.cost(x, t):.6f}",
        "∂C/∂w10": f"{g.W[3][0, 1]:.6f}",
        "∂C/∂w9": f"{g.W[3][0, 0]:.6f}",
        "∂C/∂w5": f"{g.W[2][0, 0]:.6f}",
        "∂C/∂w1": f"{g.W[1][0, 0]:.6f}",
        "δ³": f"{g.delta[3][0, 0]:.6f}",
        "δ¹₁": f"{g.delta[1][0, 0]:.6f}",
    }
    for what, number in expected.items():
        assert number in text, f"{what} = {number} is not on the page"
    assert "glue:text" not in text
