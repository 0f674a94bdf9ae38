"""nnmath.symbolic, and every symbolic claim the chapters show (chain rule, steepest descent,
backprop equations)."""
import numpy as np
import pytest
import sympy as sp

from nnmath import Network
from nnmath.symbolic import SymbolicNetwork, equal

x, y, w, b = sp.symbols("x y w b", real=True)
f, g, h = sp.Function("f"), sp.Function("g"), sp.Function("h")


def test_equal_proves_and_falls_back_and_refutes():
    assert equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1).method == "simplify"
    result = equal(sp.tanh(x * y) * (x + 1) ** 2, sp.tanh(x * y) * (x ** 2 + 2 * x + 1), max_ops_to_simplify=0)
    assert result and result.method == "numeric"
    wrong = equal(sp.sin(x), sp.cos(x))
    assert not wrong and "largest relative gap" in wrong.detail
    with pytest.raises(ValueError, match="shapes differ"):
        equal(sp.Matrix([x, y]), sp.Matrix([[x, y]]))


# -- chapter "The chain rule" ---------------------------------------------------------------
def test_chain_rule_general_functions():
    assert equal(sp.diff(f(g(x)), x), sp.Subs(sp.Derivative(f(y), y), y, g(x)).doit() * sp.diff(g(x), x))
    three = sp.diff(f(g(h(x))), x)
    assert equal(three, sp.Subs(sp.Derivative(f(y), y), y, g(h(x))).doit()
                 * sp.Subs(sp.Derivative(g(y), y), y, h(x)).doit() * sp.diff(h(x), x))


def test_chain_rule_concrete_and_multivariable():
    assert equal(sp.diff(sp.sin(x ** 2), x), sp.cos(x ** 2) * 2 * x)
    u, v = x * y, x + y
    F = sp.exp(u) * sp.sin(v)
    us, vs = sp.symbols("u v")
    Fuv = sp.exp(us) * sp.sin(vs)
    by_paths = (sp.diff(Fuv, us) * sp.diff(u, x) + sp.diff(Fuv, vs) * sp.diff(v, x)).subs({us: u, vs: v})
    assert equal(sp.diff(F, x), by_paths)


def test_computational_graph_of_wx_plus_b():
    f_expr = w * x + b
    assert sp.diff(f_expr, w) == x and sp.diff(f_expr, x) == w and sp.diff(f_expr, b) == 1


# -- chapter "Steepest descent" ---------------------------------------------------------------
def test_directional_derivative_is_gradient_dot_direction_and_peaks_at_gradient():
    theta = sp.Symbol("theta", real=True)
    C = x ** 2 + 3 * y ** 2 + x * y
    grad = sp.Matrix([sp.diff(C, x), sp.diff(C, y)])
    direction = sp.Matrix([sp.cos(theta), sp.sin(theta)])
    s = sp.Symbol("s", real=True)
    along = sp.diff(C.subs({x: x + s * sp.cos(theta), y: y + s * sp.sin(theta)}), s).subs(s, 0)
    assert equal(along, (grad.T * direction)[0])
    point = {x: sp.Rational(1, 2), y: -1}
    g0 = grad.subs(point)
    phi = sp.atan2(g0[1], g0[0])
    # D_v C = |∇C| cos(θ − φ): largest at θ = φ with value |∇C|
    assert equal(along.subs(point), sp.sqrt(g0.dot(g0)) * sp.cos(theta - phi))


# -- chapter "The backprop equations" ---------------------------------------------------------
@pytest.mark.parametrize("sizes", [[2, 2, 2, 1], [2, 3, 3, 2]])
def test_backprop_recursion_equals_direct_differentiation(sizes):
    net = SymbolicNetwork(sizes)
    direct_W, direct_b = net.direct_gradients()
    delta, backprop_W, backprop_b = net.backprop_gradients()
    for l in range(1, net.L + 1):
        assert equal(direct_W[l], backprop_W[l]), l
        assert equal(direct_b[l], backprop_b[l]), l
        assert equal(net.error_by_definition(l), delta[l]), l  # δ^l is ∂C/∂z^l
    assert equal(delta[net.L], (net.a[net.L] - net.t).multiply_elementwise(
        net.a[net.L].applyfunc(lambda s: s * (1 - s))))


def test_symbolic_network_agrees_with_numeric_network():
    sym = SymbolicNetwork([2, 3, 1], ["tanh", "sigmoid"])
    num = Network([2, 3, 1], ["tanh", "sigmoid"], seed=4)
    xv, tv = np.array([[0.3], [-0.7]]), np.array([[0.2]])
    values = {sym.x[0]: 0.3, sym.x[1]: -0.7, sym.t[0]: 0.2}
    for l in (1, 2):
        values.update(dict(zip(sym.W[l], num.W[l].ravel())))
        values.update(dict(zip(sym.b[l], num.b[l].ravel())))
    grad_W, _ = sym.direct_gradients()
    numeric = num.backward(xv, tv)
    np.testing.assert_allclose(np.array(grad_W[1].subs(values), dtype=float), numeric.W[1], rtol=1e-12)


def test_symbolic_network_checks_arguments():
    with pytest.raises(ValueError, match="unknown symbolic activation 'relu6'"):
        SymbolicNetwork([2, 1], "relu6")
    with pytest.raises(ValueError, match="activations has 1 entries, expected 2"):
        SymbolicNetwork([2, 2, 1], ["tanh"])
