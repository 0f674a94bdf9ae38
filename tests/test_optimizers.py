"""nnmath.optimizers: first steps against sympy, convergence on the surfaces, equivalences,
schedules, dtypes, and every bad setting."""

import itertools
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from nnmath import Network, surfaces
from nnmath import optimizers as opt

# -- first three steps, against the update rules written out in sympy -------------------------------
x, y = sp.symbols("x y")
C = x**2 + 3 * y**2 + x * y  # chapter Steepest descent's bowl
GRAD = sp.Matrix([sp.diff(C, x), sp.diff(C, y)])
HESS = sp.hessian(C, (x, y))
W0 = (sp.Rational(11, 5), sp.Integer(1))
R = sp.Rational
EPS = R(1, 10**8)


def grad_at(w):
    return GRAD.subs({x: w[0], y: w[1]})


def hess_at(w):
    return HESS.subs({x: w[0], y: w[1]})


def sq(m):
    return m.applyfunc(lambda e: e**2)


def div(a, b):
    return sp.Matrix([ai / bi for ai, bi in zip(a, b)])


def root(m):
    return m.applyfunc(sp.sqrt)


def reference(rule, steps=3):
    """Iterates w_1..w_steps of ``rule(w, v, s, t) -> (w, v, s)`` in 40-digit sympy arithmetic."""
    w, v, s = sp.Matrix(W0), sp.zeros(2, 1), sp.zeros(2, 1)
    out = []
    for t in range(1, steps + 1):
        w, v, s = rule(w, v, s, t)
        w, v, s = (m.applyfunc(lambda e: sp.N(e, 40)) for m in (w, v, s))
        out.append([float(e) for e in w])
    return np.array(out)


def sgd_rule(a):
    return lambda w, v, s, t: (w - a * grad_at(w), v, s)


def momentum_rule(a, mu):
    def rule(w, v, s, t):
        v = mu * v - a * grad_at(w)
        return w + v, v, s

    return rule


def nesterov_lookahead_rule(a, mu):
    def rule(w, v, s, t):
        v = mu * v - a * grad_at(w + mu * v)
        return w + v, v, s

    return rule


def nesterov_practical_rule(a, mu):
    def rule(w, v, s, t):
        g = grad_at(w)
        v = mu * v - a * g
        return w + mu * v - a * g, v, s

    return rule


def adagrad_rule(a):
    def rule(w, v, s, t):
        g = grad_at(w)
        s = s + sq(g)
        return w - a * div(g, root(s) + EPS * sp.ones(2, 1)), v, s

    return rule


def rmsprop_rule(a, beta):
    def rule(w, v, s, t):
        g = grad_at(w)
        s = beta * s + (1 - beta) * sq(g)
        return w - a * div(g, root(s) + EPS * sp.ones(2, 1)), v, s

    return rule


def adam_rule(a, b1, b2, corrected):
    def rule(w, m, s, t):
        g = grad_at(w)
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * sq(g)
        m_hat, s_hat = (m / (1 - b1**t), s / (1 - b2**t)) if corrected else (m, s)
        return w - a * div(m_hat, root(s_hat) + EPS * sp.ones(2, 1)), m, s

    return rule


def newton_rule(a):
    return lambda w, v, s, t: (w - a * hess_at(w).inv() * grad_at(w), v, s)


H_BOWL = np.array([[2.0, 1.0], [1.0, 6.0]])
FIRST_STEPS = {
    "sgd": (opt.SGD(0.1), sgd_rule(R(1, 10))),
    "momentum": (opt.Momentum(0.1, 0.5), momentum_rule(R(1, 10), R(1, 2))),
    "nesterov": (opt.Nesterov(0.1, 0.5), nesterov_lookahead_rule(R(1, 10), R(1, 2))),
    "nesterov practical": (
        opt.Nesterov(0.1, 0.5, form="practical"),
        nesterov_practical_rule(R(1, 10), R(1, 2)),
    ),
    "adagrad": (opt.Adagrad(0.3), adagrad_rule(R(3, 10))),
    "rmsprop": (opt.RMSprop(0.05, beta=0.8), rmsprop_rule(R(1, 20), R(4, 5))),
    "adam": (
        opt.Adam(0.1, bias_correction=False),
        adam_rule(R(1, 10), R(9, 10), R(999, 1000), False),
    ),
    "adam corrected": (
        opt.Adam(0.1, bias_correction=True),
        adam_rule(R(1, 10), R(9, 10), R(999, 1000), True),
    ),
    "newton damped": (opt.Newton(lambda w: H_BOWL, learning_rate=0.5), newton_rule(R(1, 2))),
    "sgd cosine": (
        opt.SGD(opt.cosine(0.2, steps=4)),
        lambda w, v, s, t: (w - R(1, 10) * (1 + sp.cos(sp.pi * (t - 1) / 4)) * grad_at(w), v, s),
    ),
}


@pytest.mark.parametrize("name", FIRST_STEPS)
def test_first_three_steps_match_the_rule_in_sympy(name):
    optimizer, rule = FIRST_STEPS[name]
    path = opt.trajectory(optimizer, lambda w: H_BOWL @ w, (2.2, 1.0), 3)
    np.testing.assert_allclose(path[1:], reference(rule), rtol=1e-12, atol=1e-14)


def test_adam_first_steps_with_and_without_bias_correction_differ_by_the_known_factor():
    g = H_BOWL @ np.array([2.2, 1.0])
    plain = opt.trajectory(
        opt.Adam(0.1, bias_correction=False), lambda w: H_BOWL @ w, (2.2, 1.0), 1
    )[1] - [2.2, 1.0]
    corrected = opt.trajectory(
        opt.Adam(0.1, bias_correction=True), lambda w: H_BOWL @ w, (2.2, 1.0), 1
    )[1] - [2.2, 1.0]
    np.testing.assert_allclose(corrected, -0.1 * np.sign(g), rtol=1e-7)  # α·sign(g) up to ε
    np.testing.assert_allclose(plain / corrected, (1 - 0.9) / np.sqrt(1 - 0.999), rtol=1e-6)


# -- convergence on the surfaces, as the chapters claim -------------------------------------------
def converges(tol):
    def check(surface, path):
        assert np.linalg.norm(path[-1] - surface.minimum) < tol, path[-1]

    check.__name__ = f"converges to within {tol}"
    return check


def escapes(within):
    def check(surface, path):
        assert np.abs(path[: within + 1, 1]).max() > 1, "still on the ridge"

    return check


def stalls(after):
    def check(surface, path):
        assert np.linalg.norm(path[after]) < 0.1, path[after]  # still next to the saddle point

    return check


def stationary_not_minimum(surface, path):
    w = path[-1]
    assert np.linalg.norm(surface.gradient(w)) < 1e-8
    assert np.linalg.norm(w - surface.minimum) > 1
    assert np.linalg.eigvalsh(surface.hessian(w)).min() < 0  # a saddle point


BOWL, ILL, ROSEN, BEALE, SADDLE = (
    surfaces.bowl(),
    surfaces.ill_conditioned_bowl(20),
    surfaces.Rosenbrock(),
    surfaces.Beale(),
    surfaces.saddle(),
)
NEURON = surfaces.neuron_loss()
CASES = [
    # surface, optimizer, start, steps, expectation
    (BOWL, opt.SGD(0.1), None, 300, converges(1e-10)),
    (BOWL, opt.Momentum(0.05, 0.8), None, 300, converges(1e-10)),
    (BOWL, opt.Nesterov(0.05, 0.8), None, 300, converges(1e-10)),
    (BOWL, opt.Adagrad(0.5), None, 300, converges(1e-8)),
    (BOWL, opt.RMSprop(0.01), None, 1000, converges(0.02)),  # hovers within about α
    (BOWL, opt.Adam(0.05), None, 1000, converges(1e-6)),
    (BOWL, opt.Newton(BOWL.hessian), None, 1, converges(1e-12)),
    (ILL, opt.SGD(0.09), None, 1000, converges(1e-10)),
    (
        ILL,
        opt.SGD(0.11),
        None,
        30,
        lambda s, p: np.testing.assert_array_less(10, np.abs(p[-1]).max()),
    ),  # α > 2/λmax
    (ILL, opt.Momentum(0.05, 0.8), None, 500, converges(1e-10)),
    (ILL, opt.Nesterov(0.05, 0.8, form="practical"), None, 500, converges(1e-10)),
    (ILL, opt.Adam(0.05, bias_correction=True), None, 2000, converges(1e-6)),
    (ROSEN, opt.Momentum(0.0005, 0.95), None, 3000, converges(1e-4)),
    (ROSEN, opt.Nesterov(0.0005, 0.95), None, 3000, converges(1e-4)),
    (ROSEN, opt.Adam(0.02), None, 3000, converges(0.01)),
    (ROSEN, opt.Newton(ROSEN.hessian), None, 20, converges(1e-10)),
    (BEALE, opt.SGD(0.01), None, 3000, converges(1e-3)),
    (BEALE, opt.Momentum(0.005, 0.9), None, 3000, converges(1e-8)),
    (BEALE, opt.Adagrad(0.5), None, 3000, converges(1e-3)),
    (BEALE, opt.Adam(0.02, bias_correction=False), None, 3000, converges(1e-6)),
    (BEALE, opt.Newton(BEALE.hessian), None, 50, stationary_not_minimum),  # attracted to a saddle
    (NEURON, opt.SGD(5.0), None, 2000, converges(1e-8)),
    (NEURON, opt.Momentum(2.0, 0.9), None, 2000, converges(1e-8)),
    (NEURON, opt.Adam(0.1, bias_correction=True), None, 2000, converges(1e-8)),
    (NEURON, opt.Newton(NEURON.hessian), (0.0, 0.0), 20, converges(1e-8)),
    (SADDLE, opt.SGD(0.01), None, 150, stalls(150)),
    (SADDLE, opt.Momentum(0.01, 0.9), None, 100, escapes(100)),
    (SADDLE, opt.Adagrad(0.1), None, 100, escapes(30)),
    (SADDLE, opt.RMSprop(0.01), None, 100, escapes(100)),
    (SADDLE, opt.Adam(0.01, bias_correction=False), None, 100, escapes(30)),
    (
        SADDLE,
        opt.Newton(SADDLE.hessian),
        None,
        1,
        lambda s, p: np.testing.assert_allclose(p[1], 0, atol=1e-15),
    ),
]


@pytest.mark.parametrize(
    "surface, optimizer, start, steps, expect",
    CASES,
    ids=[f"{c[0].name}-{type(c[1]).__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_methods_on_the_surfaces(surface, optimizer, start, steps, expect):
    path = opt.trajectory(
        optimizer, surface.gradient, surface.start if start is None else start, steps
    )
    assert path.shape == (steps + 1, surface.n)
    expect(surface, path)


# -- equivalences ---------------------------------------------------------------------------------
def test_momentum_with_zero_mu_is_sgd():
    a = opt.trajectory(opt.Momentum(0.0005, 0.0), ROSEN.gradient, ROSEN.start, 50)
    b = opt.trajectory(opt.SGD(0.0005), ROSEN.gradient, ROSEN.start, 50)
    np.testing.assert_array_equal(a, b)


def test_the_two_nesterov_forms_give_the_same_iterates_after_the_change_of_variable():
    alpha, mu = 0.0005, 0.9
    look = opt.Nesterov(alpha, mu)
    practical = opt.Nesterov(alpha, mu, form="practical")
    w = [ROSEN.start.copy()]
    state = look.init(w)
    shifted = opt.trajectory(practical, ROSEN.gradient, ROSEN.start, 40)
    for k in range(1, 41):
        state = look.step(w, [ROSEN.gradient(look.lookahead(w, state)[0])], state)
        np.testing.assert_allclose(
            opt.nesterov_change_of_variable(w[0], state.v[0], mu),
            shifted[k],
            rtol=1e-12,
            atol=1e-14,
        )


def test_newton_on_a_quadratic_lands_in_one_step():
    H = np.array([[3.0, -1.0], [-1.0, 0.5]])
    bowl = surfaces.Quadratic(H, center=(1.0, -2.0))
    w = np.array([4.0, 7.0])
    np.testing.assert_allclose(w + opt.newton_step(bowl.gradient(w), bowl.hessian(w)), [1.0, -2.0])


def test_source_000s_history_optimiser_is_momentum():
    """Gramicelli's s (added to the weight) from its history, λ and g: s ← μ s − λ g, w ← w + s."""
    lam, mu, w, s = 0.05, 0.7, np.array([2.2, 1.0]), np.zeros(2)
    by_hand = [w.copy()]
    for _ in range(10):
        g = H_BOWL @ w
        s = mu * s - lam * g
        w = w + s
        by_hand.append(w.copy())
    np.testing.assert_allclose(
        opt.trajectory(opt.Momentum(lam, mu), lambda w: H_BOWL @ w, (2.2, 1.0), 10),
        by_hand,
        rtol=1e-15,
    )


# -- schedules ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "made, expected",
    [
        (opt.constant(0.3), {1: 0.3, 7: 0.3}),
        (opt.step_decay(1.0, factor=0.5, every=3), {1: 1.0, 3: 1.0, 4: 0.5, 7: 0.25}),
        (opt.exponential(2.0, k=0.1), {1: 2.0, 11: 2.0 * np.exp(-1.0)}),
        (opt.inverse_time(1.0, k=0.5), {1: 1.0, 3: 0.5, 5: 1 / 3}),
        (opt.cosine(1.0, steps=4, alpha_min=0.2), {1: 1.0, 3: 0.6, 5: 0.2, 9: 0.2}),
        (opt.linear_warmup(0.8, steps=4), {1: 0.2, 2: 0.4, 4: 0.8, 10: 0.8}),
        (opt.schedule("cosine", 1.0, steps=4, warmup=2), {1: 0.5, 3: 0.5}),
        (opt.schedule("1/t", 1.0, k=1.0), {2: 0.5}),
    ],
)
def test_schedules_at_known_steps(made, expected):
    for t, alpha in expected.items():
        assert made(t) == pytest.approx(alpha, rel=1e-12)
    ts = np.array(sorted(expected))
    np.testing.assert_allclose(made(ts), [expected[t] for t in ts], rtol=1e-12)


def test_a_schedule_drives_the_steps():
    steps, state = [], None
    sgd = opt.SGD(opt.step_decay(1.0, factor=0.1, every=1))
    w = [np.array([1.0])]
    state = sgd.init(w)
    for _ in range(3):
        d, state = sgd.update([np.array([1.0])], state)
        steps.append(float(d[0][0]))
    assert steps == pytest.approx([-1.0, -0.1, -0.01])
    assert state.t == 3


# -- dtypes, immutability, in place ---------------------------------------------------------------
@pytest.mark.parametrize(
    "optimizer",
    [
        opt.SGD(0.1),
        opt.Momentum(0.1),
        opt.Nesterov(0.1),
        opt.Adagrad(0.1),
        opt.RMSprop(0.1),
        opt.Adam(0.1, bias_correction=True),
    ],
    ids=lambda o: type(o).__name__,
)
def test_float32_stays_float32_and_grads_are_never_mutated(optimizer):
    params = [np.ones((2, 3), np.float32), np.zeros((2, 1), np.float32)]
    state = optimizer.init(params)
    for _ in range(3):
        grads = [np.full((2, 3), 0.5, np.float32), np.full((2, 1), -2.0, np.float32)]
        kept = [g.copy() for g in grads]
        at = optimizer.lookahead(params, state)
        assert all(a.dtype == np.float32 for a in at)
        state = optimizer.step(params, grads, state)
        for g, k in zip(grads, kept):
            np.testing.assert_array_equal(g, k)
    assert all(p.dtype == np.float32 for p in params)
    for kept in (state.v, state.s):
        if kept is not None:
            assert all(a.dtype == np.float32 and not a.flags.writeable for a in kept)


def test_update_leaves_the_old_state_alone():
    adam = opt.Adam(0.1)
    s0 = adam.init([np.zeros(2)])
    _, s1 = adam.update([np.ones(2)], s0)
    assert s0.t == 0 and np.all(s0.v[0] == 0) and s1.t == 1 and np.all(s1.v[0] > 0)


def test_network_parameters_move_in_place_through_sgd():
    net = Network([2, 3, 1], seed=0)
    x, t = np.array([[0.5], [-1.0]]), np.array([[1.0]])
    expected = [p - 0.5 * g for p, g in zip(net.parameters(), net.backward(x, t).as_list())]
    opt.SGD(0.5).step(net.parameters(), net.backward(x, t).as_list())
    for p, e in zip(net.parameters(), expected):
        np.testing.assert_allclose(p, e, rtol=1e-15)


def test_trajectory_records_the_cost_and_can_move_a_network_in_place():
    net = Network([2, 2, 1], seed=1)
    x, t = np.array([[0.5, 1.0], [-1.0, 0.2]]), np.array([[1.0, 0.0]])

    def gradient(params):  # read-only views of the network's own arrays
        assert all(
            np.shares_memory(p, q) and not p.flags.writeable
            for p, q in zip(params, net.parameters())
        )
        return net.backward(x, t).as_list()

    first = net.cost(x, t)
    iterates, costs = opt.trajectory(
        opt.SGD(0.5),
        gradient,
        net.parameters(),
        20,
        cost=lambda params: net.cost(x, t),
        in_place=True,
    )
    assert len(iterates) == 4 and iterates[0].shape == (21, 2, 2)
    assert costs.shape == (21,) and costs[0] == first and costs[-1] < costs[0]
    np.testing.assert_array_equal(iterates[0][-1], net.W[1])


def test_trajectory_on_a_scalar_is_the_chapter_descent_loop():
    path = opt.trajectory(opt.SGD(0.3), lambda w: 2 * (w - 2), 5.0, 4)
    by_hand = [5.0]
    for _ in range(4):
        by_hand.append(by_hand[-1] - 0.3 * 2 * (by_hand[-1] - 2))
    np.testing.assert_allclose(path, by_hand, rtol=1e-15)


def test_minibatches_are_seeded_and_cover_every_example_once_per_epoch():
    x = np.arange(20.0).reshape(2, 10)
    t = np.arange(10.0).reshape(1, 10)
    a = list(opt.minibatches(x, t, 4, seed=3, epochs=2))
    b = list(opt.minibatches(x, t, 4, seed=3, epochs=2))
    assert [xb.shape[1] for xb, _ in a] == [4, 4, 2, 4, 4, 2]
    for (xa, ta), (xb, tb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ta, tb)
        np.testing.assert_array_equal(xa[1] - 10, ta[0])  # columns stay paired
    first_epoch = np.concatenate([tb[0] for _, tb in a[:3]])
    assert sorted(first_epoch) == list(range(10))
    assert len(list(itertools.islice(opt.minibatches(x, t, 3, seed=0), 50))) == 50


# -- bad settings ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, option",
    [
        (lambda: opt.SGD(0.0), "learning_rate"),
        (lambda: opt.SGD(-1), "learning_rate"),
        (lambda: opt.SGD(float("nan")), "learning_rate"),
        (lambda: opt.SGD(float("inf")), "learning_rate"),
        (lambda: opt.Momentum(0.1, 1.0), "momentum"),
        (lambda: opt.Momentum(0.1, -0.1), "momentum"),
        (lambda: opt.Nesterov(0.1, 0.9, form="sutskever"), "form"),
        (lambda: opt.RMSprop(0.1, beta=1.0), "beta"),
        (lambda: opt.Adam(0.1, beta1=1.5), "beta1"),
        (lambda: opt.Adam(0.1, beta2=-0.5), "beta2"),
        (lambda: opt.Adam(0.1, eps=0.0), "eps"),
        (lambda: opt.Adagrad(0.1, eps=-1e-8), "eps"),
        (lambda: opt.schedule("triangle", 0.1), "schedule"),
        (lambda: opt.schedule("cosine", 0.1, step=3), "schedule"),
        (lambda: opt.cosine(0.1, steps=0), "steps"),
        (lambda: opt.step_decay(0.1, factor=2), "factor"),
        (lambda: opt.exponential(-0.1), "alpha0"),
    ],
)
def test_bad_settings_raise_naming_the_option(make, option):
    # wrong types (TypeError) are in tests/test_error_policy.py
    with pytest.raises(ValueError, match=option):
        make()


def _params():
    return [np.array([[1.0, 2.0]]), np.array([3.0])]


@pytest.mark.parametrize(
    "grads, message",
    [
        ([np.ones((1, 2))], "1 arrays but there are 2 parameters"),
        ([np.ones((2, 1)), np.ones(1)], r"shape \(2, 1\), but parameter 0 has shape \(1, 2\)"),
        (
            [np.ones((1, 2)), np.ones(1, np.float32)],
            "dtype float32, but parameter 1 has dtype float64",
        ),
    ],
)
@pytest.mark.parametrize(
    "optimizer", [opt.SGD(0.1), opt.Momentum(0.1), opt.Adam(0.1)], ids=lambda o: type(o).__name__
)
def test_mismatched_grads_raise_and_leave_params_unchanged(optimizer, grads, message):
    params = _params()
    state = optimizer.step(params, [np.ones((1, 2)), np.ones(1)])
    before = [p.copy() for p in params]
    with pytest.raises(ValueError, match=message):
        optimizer.step(params, grads, state)
    for p, b in zip(params, before):
        np.testing.assert_array_equal(p, b)


def test_a_step_that_would_go_non_finite_names_the_step_and_the_parameter_and_changes_nothing():
    params = [np.array([1.0]), np.array([1.5e308])]
    sgd = opt.SGD(1.0)
    state = sgd.step(params, [np.array([0.5]), np.array([0.0])])
    with pytest.raises(ValueError, match=r"at step t = 2, parameter 1 .* non-finite"):
        sgd.step(params, [np.array([0.5]), np.array([-1.5e308])], state)
    np.testing.assert_array_equal(params[0], [0.5])  # parameter 0 not half-updated
    np.testing.assert_array_equal(params[1], [1.5e308])


def test_a_diverging_trajectory_stops_with_the_step():
    with pytest.raises(
        ValueError,
        match=r"at step t = \d+, (parameter 0 \(shape \(2,\)\) would become|the gradient "
        r"of parameter 0 is) non-finite",
    ):
        opt.trajectory(opt.SGD(0.2), ILL.gradient, ILL.start, 2000)  # α > 2/λmax = 0.1
    with pytest.raises(
        ValueError, match=r"at step t = 3, the gradient of parameter 0 is non-finite"
    ):
        opt.trajectory(opt.SGD(0.1), lambda w: np.inf if w < 0.85 else 1.0, 1.0, 5)


def test_a_schedule_going_negative_is_refused_at_its_step():
    sgd = opt.SGD(lambda t: 0.1 if t < 3 else -0.1)
    w = [np.array([1.0])]
    state = sgd.step(w, [np.ones(1)])
    state = sgd.step(w, [np.ones(1)], state)
    with pytest.raises(ValueError, match="at step t = 3"):
        sgd.step(w, [np.ones(1)], state)
    np.testing.assert_allclose(w[0], [0.8])


def test_newton_step_refuses_a_singular_hessian_and_wrong_shapes():
    with pytest.raises(ValueError, match="singular"):
        opt.newton_step([1.0, 1.0], [[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match="hessian has shape"):
        opt.newton_step([1.0, 1.0], np.eye(3))


def test_params_must_be_a_list_of_float_arrays():
    with pytest.raises(TypeError, match="wrap a single array"):
        opt.SGD(0.1).init(np.zeros(2))
    with pytest.raises(TypeError, match=r"params\[0\] must be a floating numpy array"):
        opt.SGD(0.1).init([np.zeros(2, int)])


def test_import_nnmath_with_optimizers_and_surfaces_loads_only_numpy():
    code = (
        "import sys, nnmath, nnmath.optimizers, nnmath.surfaces;"
        "print(','.join(m for m in ('matplotlib', 'sympy', 'ipywidgets', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
