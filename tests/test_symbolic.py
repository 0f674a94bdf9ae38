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
    result = equal(
        sp.tanh(x * y) * (x + 1) ** 2, sp.tanh(x * y) * (x**2 + 2 * x + 1), max_ops_to_simplify=0
    )
    assert result and result.method == "numeric"
    wrong = equal(sp.sin(x), sp.cos(x))
    assert not wrong and "largest relative gap" in wrong.detail
    with pytest.raises(ValueError, match="shapes differ"):
        equal(sp.Matrix([x, y]), sp.Matrix([[x, y]]))


def test_equal_with_undefined_functions_proves_or_says_why_it_cannot_decide():
    assert (
        equal(sp.diff(f(x) * g(x), x), f(x).diff(x) * g(x) + f(x) * g(x).diff(x)).method
        == "simplify"
    )
    with pytest.raises(ValueError, match="undefined functions"):
        equal(
            sp.diff(f(g(x)), x), f(g(x)).diff(x) * 2
        )  # a false identity: not a lambdify traceback
    with pytest.raises(ValueError, match="undefined functions"):
        equal(f(x) + g(x), 2 * f(x))


# -- chapter "The chain rule" ---------------------------------------------------------------
def test_chain_rule_general_functions():
    assert equal(
        sp.diff(f(g(x)), x), sp.Subs(sp.Derivative(f(y), y), y, g(x)).doit() * sp.diff(g(x), x)
    )
    three = sp.diff(f(g(h(x))), x)
    assert equal(
        three,
        sp.Subs(sp.Derivative(f(y), y), y, g(h(x))).doit()
        * sp.Subs(sp.Derivative(g(y), y), y, h(x)).doit()
        * sp.diff(h(x), x),
    )


def test_chain_rule_concrete_and_multivariable():
    assert equal(sp.diff(sp.sin(x**2), x), sp.cos(x**2) * 2 * x)
    u, v = x * y, x + y
    F = sp.exp(u) * sp.sin(v)
    us, vs = sp.symbols("u v")
    Fuv = sp.exp(us) * sp.sin(vs)
    by_paths = (sp.diff(Fuv, us) * sp.diff(u, x) + sp.diff(Fuv, vs) * sp.diff(v, x)).subs(
        {us: u, vs: v}
    )
    assert equal(sp.diff(F, x), by_paths)


def test_chain_rule_with_jacobians():
    """J_{f∘g} = J_f(g(x)) J_g(x) on R² → R³ → R², and ∇_x F(g(x)) = J_gᵀ ∇F for undefined g, F."""
    x1, x2, y1, y2, y3, u1, u2 = sp.symbols("x1 x2 y1 y2 y3 u1 u2", real=True)
    xs, ys = sp.Matrix([x1, x2]), sp.Matrix([y1, y2, y3])
    g_vec = sp.Matrix([x1 * x2, sp.sin(x1), x2**2])
    f_vec = sp.Matrix([y1 + y2 * y3, sp.exp(y1) * y3])
    at_g = dict(zip(ys, g_vec))
    rule = equal(f_vec.subs(at_g).jacobian(xs), f_vec.jacobian(ys).subs(at_g) * g_vec.jacobian(xs))
    assert rule and rule.method == "simplify"
    # the transposed Jacobian, not the Jacobian, carries the gradient back
    assert not equal(
        f_vec.subs(at_g).jacobian(xs).T, f_vec.jacobian(ys).subs(at_g) * g_vec.jacobian(xs)
    )

    g1, g2, F = sp.Function("g1"), sp.Function("g2"), sp.Function("F")
    inner = sp.Matrix([g1(x1, x2), g2(x1, x2)])
    grad_F = sp.Matrix([sp.diff(F(u1, u2), u) for u in (u1, u2)]).subs({u1: inner[0], u2: inner[1]})
    gradient = equal(
        sp.Matrix([sp.diff(F(*inner), v) for v in (x1, x2)]), inner.jacobian(xs).T * grad_F
    )
    assert gradient and gradient.method == "simplify"


def test_computational_graph_of_wx_plus_b():
    f_expr = w * x + b
    assert sp.diff(f_expr, w) == x and sp.diff(f_expr, x) == w and sp.diff(f_expr, b) == 1


# -- chapter "Steepest descent" ---------------------------------------------------------------
def test_directional_derivative_is_gradient_dot_direction_and_peaks_at_gradient():
    theta = sp.Symbol("theta", real=True)
    C = x**2 + 3 * y**2 + x * y
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
    assert equal(
        delta[net.L],
        (net.a[net.L] - net.t).multiply_elementwise(net.a[net.L].applyfunc(lambda s: s * (1 - s))),
    )


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
    np.testing.assert_allclose(
        np.array(grad_W[1].subs(values), dtype=float), numeric.W[1], rtol=1e-12
    )


def test_symbolic_network_checks_arguments():
    with pytest.raises(ValueError, match="unknown symbolic activation 'relu6'"):
        SymbolicNetwork([2, 1], "relu6")
    with pytest.raises(ValueError, match="activations has 1 entries, expected 2"):
        SymbolicNetwork([2, 2, 1], ["tanh"])


def test_layer_jacobian_and_bp2_in_transposed_jacobian_form():
    """z^{l+1} = W f(z^l) + b has Jacobian W diag(f'(z^l)); Jᵀ δ^{l+1} = (Wᵀ δ^{l+1}) ⊙ f'(z^l);
    and the input's Jacobian is W¹ (the chapter "The backprop equations")."""
    z_l = sp.Matrix(sp.symbols("z1:4", real=True))
    W_next = sp.Matrix(2, 3, sp.symbols("w1:7", real=True))
    b_next = sp.Matrix(sp.symbols("c1:3", real=True))
    delta_next = sp.Matrix(sp.symbols("d1:3", real=True))
    sigmoid = lambda u: 1 / (1 + sp.exp(-u))
    J = (W_next * z_l.applyfunc(sigmoid) + b_next).jacobian(z_l)
    f_prime = z_l.applyfunc(lambda u: sp.diff(sigmoid(u), u))
    assert equal(J, W_next * sp.diag(*f_prime)).method == "simplify"
    bp2 = equal(
        J.T * delta_next,
        sp.matrix_multiply_elementwise(W_next.T * delta_next, f_prime),
        max_ops_to_simplify=200,
    )
    assert bp2 and bp2.method == "simplify"
    assert equal((W_next * z_l + b_next).jacobian(z_l), W_next).method == "simplify"


def test_which_backprop_checks_are_proofs():
    """The chapter says which comparisons simplify proves: the last layer of 2-2-2-1 and 2-3-3-2,
    layer 2 of 2-2-2-1 and δ³ of 2-3-3-2; the rest are numeric."""
    proved = set()
    for sizes in ([2, 2, 2, 1], [2, 3, 3, 2]):
        net = SymbolicNetwork(sizes)
        direct_W, direct_b = net.direct_gradients()
        delta, backprop_W, backprop_b = net.backprop_gradients()
        for l in range(1, net.L + 1):
            for name, direct, recursion in (
                ("W", direct_W[l], backprop_W[l]),
                ("b", direct_b[l], backprop_b[l]),
            ):
                verdict = equal(direct, recursion)
                assert verdict
                if verdict.method == "simplify":
                    proved.add((tuple(sizes), f"{name}{l}"))
        if sizes == [2, 3, 3, 2]:
            for l in (1, 2, 3):
                verdict = equal(net.error_by_definition(l), delta[l])
                assert verdict
                if verdict.method == "simplify":
                    proved.add((tuple(sizes), f"delta{l}"))
    assert proved == {
        ((2, 2, 2, 1), "W3"),
        ((2, 2, 2, 1), "b3"),
        ((2, 2, 2, 1), "W2"),
        ((2, 2, 2, 1), "b2"),
        ((2, 3, 3, 2), "W3"),
        ((2, 3, 3, 2), "b3"),
        ((2, 3, 3, 2), "delta3"),
    }
