import warnings

import numpy as np
import pytest
import sympy as sp

from nnmath import activations as act

z_sym = sp.Symbol("z", real=True)
SYMBOLIC = {
    "sigmoid": 1 / (1 + sp.exp(-z_sym)),
    "tanh": sp.tanh(z_sym),
    "identity": z_sym,
    "relu": sp.Piecewise((0, z_sym <= 0), (z_sym, True)),
}
POINTS = np.array([[-7.5, -2.0, -0.3, 0.4, 1.0, 3.3, 9.0]])


@pytest.mark.parametrize("name", sorted(SYMBOLIC))
def test_value_and_derivative_match_sympy(name):
    f = act.get_activation(name)
    expr = SYMBOLIC[name]
    value = sp.lambdify(z_sym, expr, "numpy")
    derivative = sp.lambdify(z_sym, sp.diff(expr, z_sym), "numpy")
    np.testing.assert_allclose(
        f.value(POINTS), np.broadcast_to(value(POINTS), POINTS.shape), rtol=1e-14, atol=1e-15
    )
    np.testing.assert_allclose(
        f.derivative(POINTS),
        np.broadcast_to(derivative(POINTS), POINTS.shape),
        rtol=1e-13,
        atol=1e-15,
    )


def test_sigmoid_derivative_identity_symbolically():
    s = SYMBOLIC["sigmoid"]
    assert sp.simplify(sp.diff(s, z_sym) - s * (1 - s)) == 0


def test_closed_forms():
    assert act.sigmoid(np.array([[0.0]]))[0, 0] == 0.5
    assert act.tanh(np.array([[0.0]]))[0, 0] == 0.0
    np.testing.assert_array_equal(act.relu(np.array([[-1.0, 0.0, 2.0]])), [[0, 0, 2]])
    np.testing.assert_array_equal(act.relu.derivative(np.array([[-1.0, 0.0, 2.0]])), [[0, 0, 1]])
    np.testing.assert_allclose(act.softmax(np.zeros((4, 2))), np.full((4, 2), 0.25))


def test_sigmoid_saturates_without_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(np.array([[1000.0, -1000.0]]))
        d = act.sigmoid.derivative(np.array([[1000.0, -1000.0]]))
    assert s[0, 0] == 1.0 and s[0, 1] == 0.0
    np.testing.assert_array_equal(d, [[0.0, 0.0]])


def test_softmax_of_huge_logits_is_finite_and_exact():
    z = np.array([[1e4], [1e4 + 1], [1e4 - 2]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.softmax(z)
    expected = np.exp([0.0, 1.0, -2.0]) / np.exp([0.0, 1.0, -2.0]).sum()
    np.testing.assert_allclose(s[:, 0], expected, rtol=1e-15)
    np.testing.assert_allclose(s.sum(axis=0), 1.0, rtol=1e-15)


def test_softmax_jacobian_matches_sympy():
    zs = sp.symbols("z0:3", real=True)
    denominator = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / denominator for v in zs]
    jac = sp.Matrix(3, 3, lambda i, j: sp.diff(s[i], zs[j]))
    point = {zs[0]: 0.3, zs[1]: -1.2, zs[2]: 2.0}
    expected = np.array(jac.subs(point).evalf(), dtype=float)
    z = np.array([[0.3], [-1.2], [2.0]])
    np.testing.assert_allclose(act.softmax.derivative(z)[0], expected, rtol=1e-13)
    # backward is Jᵀ g without forming J
    g = np.array([[0.5], [-1.0], [2.0]])
    np.testing.assert_allclose(act.softmax.backward(z, g), expected.T @ g, rtol=1e-13)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_float32_stays_float32(name):
    f = act.get_activation(name)
    z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    assert f.value(z).dtype == np.float32
    assert f.backward(z, np.ones_like(z)).dtype == np.float32


def test_unknown_activation_lists_known_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'.*relu.*sigmoid.*softmax"):
        act.get_activation("sigmod")


def test_activation_of_wrong_type():
    with pytest.raises(ValueError, match="activation must be a name or an Activation"):
        act.get_activation(3)
