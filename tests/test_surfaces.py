"""nnmath.surfaces: values, gradients and Hessians against sympy; minima; grids; bad input."""

import numpy as np
import pytest
import sympy as sp

from nnmath import Network, surfaces

x, y = sp.symbols("x y")

SYMBOLIC = {
    "bowl": (surfaces.bowl(), x**2 + 3 * y**2 + x * y),
    "ill": (surfaces.ill_conditioned_bowl(20), (x**2 + 20 * y**2) / 2),
    "turned": (
        surfaces.ill_conditioned_bowl(4, angle=np.pi / 6),
        (
            sp.Matrix([x, y]).T
            * sp.rot_axis3(-sp.pi / 6)[:2, :2]
            * sp.diag(1, 4)
            * sp.rot_axis3(-sp.pi / 6)[:2, :2].T
            * sp.Matrix([x, y])
        )[0]
        / 2,
    ),
    "centred": (
        surfaces.Quadratic([[3, -1], [-1, 0.5]], center=(1, -2), offset=0.25),
        (3 * (x - 1) ** 2 - 2 * (x - 1) * (y + 2) + sp.Rational(1, 2) * (y + 2) ** 2) / 2
        + sp.Rational(1, 4),
    ),
    "saddle": (surfaces.saddle(), x**2 - y**2),
    "rosenbrock": (surfaces.Rosenbrock(), (1 - x) ** 2 + 100 * (y - x**2) ** 2),
    "rosenbrock a=2": (surfaces.Rosenbrock(a=2, b=10), (2 - x) ** 2 + 10 * (y - x**2) ** 2),
    "beale": (
        surfaces.Beale(),
        (sp.Rational(3, 2) - x + x * y) ** 2
        + (sp.Rational(9, 4) - x + x * y**2) ** 2
        + (sp.Rational(21, 8) - x + x * y**3) ** 2,
    ),
}
POINTS = [(0.3, -0.7), (-1.2, 1.0), (2.5, 0.4), (3.0, 0.5)]


@pytest.mark.parametrize("name", SYMBOLIC)
def test_value_gradient_and_hessian_match_sympy(name):
    surface, C = SYMBOLIC[name]
    grad = sp.lambdify((x, y), [sp.diff(C, v) for v in (x, y)])
    hess = sp.lambdify((x, y), sp.hessian(C, (x, y)))
    value = sp.lambdify((x, y), C)
    for p in POINTS:
        assert surface.value(p) == pytest.approx(float(value(*p)), rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(
            surface.gradient(p), np.array(grad(*p), dtype=float), rtol=1e-12, atol=1e-12
        )
        np.testing.assert_allclose(
            surface.hessian(p), np.array(hess(*p), dtype=float), rtol=1e-12, atol=1e-12
        )


@pytest.mark.parametrize("name", SYMBOLIC)
def test_the_minimum_is_a_minimum(name):
    surface, C = SYMBOLIC[name]
    if surface.minimum is None:
        assert name == "saddle"
        assert np.linalg.eigvalsh(surface.hessian(np.zeros(2))).min() < 0
        return
    np.testing.assert_allclose(surface.gradient(surface.minimum), 0, atol=1e-12)
    assert np.linalg.eigvalsh(surface.hessian(surface.minimum)).min() > 0
    exact = {x: sp.nsimplify(surface.minimum[0]), y: sp.nsimplify(surface.minimum[1])}
    assert all(sp.simplify(sp.diff(C, v).subs(exact)) == 0 for v in (x, y))  # exactly stationary


@pytest.mark.parametrize("name", SYMBOLIC)
def test_value_is_vectorised_over_a_grid(name):
    surface, _ = SYMBOLIC[name]
    W1, W2, C = surface.grid(points=7)
    assert W1.shape == W2.shape == C.shape == (7, 7)
    assert C[3, 5] == pytest.approx(surface.value((W1[3, 5], W2[3, 5])), rel=1e-14)


def test_quadratic_knows_its_condition_number_and_takes_any_dimension():
    assert surfaces.ill_conditioned_bowl(25).condition == pytest.approx(25)
    line = surfaces.Quadratic([[2.0]], center=[2.0])  # (w − 2)², chapter Learning as descent
    assert line.value([5.0]) == 9.0 and line.gradient([5.0]) == pytest.approx([6.0])
    cube = surfaces.Quadratic(np.diag([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(cube.gradient([1, 1, 1]), [1, 2, 3])
    with pytest.raises(ValueError, match="3 coordinates; grid"):
        cube.grid()


def test_network_loss_matches_sympy_for_one_sigmoid_neuron():
    loss = surfaces.neuron_loss(n=12, seed=4)
    w, b = sp.symbols("w b")
    xs = [float(v) for v in loss.x[0]]
    ts = [float(v) for v in loss.t[0]]
    a = [1 / (1 + sp.exp(-(w * xi + b))) for xi in xs]
    C = -sum(ti * sp.log(ai) + (1 - ti) * sp.log(1 - ai) for ai, ti in zip(a, ts)) / len(xs)
    grad = sp.lambdify((w, b), [sp.diff(C, v) for v in (w, b)])
    hess = sp.lambdify((w, b), sp.hessian(C, (w, b)))
    for p in [(0.3, -0.2), (1.5, 0.7), (-2.0, 1.0)]:
        assert loss.value(p) == pytest.approx(float(C.subs({w: p[0], b: p[1]})), rel=1e-12)
        np.testing.assert_allclose(loss.gradient(p), grad(*p), rtol=1e-10)
        np.testing.assert_allclose(
            loss.hessian(p), np.array(hess(*p), dtype=float), rtol=1e-6, atol=1e-9
        )
    np.testing.assert_allclose(grad(*loss.minimum), 0, atol=1e-9)


def test_network_loss_flattens_parameters_and_leaves_the_network_alone():
    net = Network([2, 3, 1], seed=0)
    X = np.array([[0.1, 0.5, -1.0], [1.0, -0.3, 0.2]])
    T = np.array([[1.0, 0.0, 1.0]])
    before = [p.copy() for p in net.parameters()]
    loss = surfaces.NetworkLoss(net, X, T)
    assert loss.n == net.n_parameters == 13
    np.testing.assert_array_equal(loss.start, np.concatenate([p.ravel() for p in before]))
    w = loss.start + 0.1
    np.testing.assert_allclose(
        loss.gradient(w),
        np.concatenate([g.ravel() for g in _at(net, loss.unflatten(w)).backward(X, T).as_list()]),
    )
    np.testing.assert_allclose(
        loss.gradient(w, batch=(X[:, :2], T[:, :2])),
        np.concatenate(
            [g.ravel() for g in _at(net, loss.unflatten(w)).backward(X[:, :2], T[:, :2]).as_list()]
        ),
    )
    np.testing.assert_allclose(
        loss.value(np.stack([w, loss.start], axis=1)), [loss.value(w), loss.value(loss.start)]
    )
    for p, b in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, b)


def _at(net, params):
    other = Network(net.sizes, [f.name for f in net.f], net.loss)
    other.set_parameters(weights=params[0::2], biases=params[1::2])
    return other


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: surfaces.Quadratic([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
        (lambda: surfaces.Quadratic([1.0, 2.0]), "square matrix"),
        (lambda: surfaces.ill_conditioned_bowl(0.5), "condition"),
        (lambda: surfaces.Rosenbrock(b=-1), "b > 0"),
        (lambda: surfaces.bowl().gradient([1.0, 2.0, 3.0]), r"shape \(2,\)"),
        (lambda: surfaces.Beale().hessian(np.zeros((2, 2))), r"shape \(2,\)"),
        (lambda: surfaces.NetworkLoss(Network([2, 1]), [[1.0]], [[1.0]]), "rows"),
    ],
)
def test_bad_input_names_what_was_wrong(make, message):
    with pytest.raises(ValueError, match=message):
        make()
