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
        np.testing.assert_allclose(backprop.W[l], np.array(exact_W[l - 1], dtype=float), rtol=1e-14, atol=0)
        np.testing.assert_allclose(backprop.b[l], np.array(exact_b[l - 1], dtype=float), rtol=1e-14, atol=0)
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


@pytest.mark.book
def test_page_states_the_computed_numbers(built_book):
    html_dir, _ = built_book
    text = html.unescape(re.sub(r"<[^>]+>", "", (html_dir / "book" / "worked_example.html").read_text()))
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
