"""The adaptive-methods and second-order chapters: their derivations (re-derived here independently
of the chapters' own cells), the claims their prose makes about nnmath.optimizers runs, and their
explorers within the page budget."""

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from chapter_runs import chapter_namespace

from nnmath.optimizers import (
    SGD,
    Adagrad,
    Adam,
    Momentum,
    Nesterov,
    Newton,
    RMSprop,
    newton_step,
    trajectory,
)
from nnmath.surfaces import Beale, Rosenbrock, ill_conditioned_bowl, saddle
from nnmath.symbolic import equal
from tools.chapters import explorers_in

BOOK = Path(__file__).resolve().parents[1] / "book"
alpha, eps, g, beta, beta1, beta2 = sp.symbols("alpha epsilon g beta beta_1 beta_2", positive=True)


def run_constant_gradient(update, state, steps):
    """Apply a scalar update rule ``update(state, t) -> (step, state)`` ``steps`` times symbolically."""
    taken = []
    for t in range(1, steps + 1):
        step, state = update(state, t)
        taken.append(sp.simplify(step))
    return taken


# -- adaptive methods: the derivations ------------------------------------------------------------
def test_adagrad_step_is_scale_free_and_decays_like_one_over_root_t():
    c, s0 = sp.symbols("c s_0", positive=True)
    step = lambda grad, s: -alpha * grad / sp.sqrt(s + grad**2)  # ε = 0
    assert equal(step(c * g, c**2 * s0), step(g, s0))
    # constant gradient: the t-th step, unrolled by hand, is α/√t
    steps = run_constant_gradient(lambda s, t: (alpha * g / sp.sqrt(s + g**2), s + g**2), 0, 5)
    assert all(equal(step, alpha / sp.sqrt(t)) for t, step in enumerate(steps, start=1))


def test_rmsprop_average_of_a_constant_gradient():
    s = 0
    for t in range(1, 7):
        s = beta * s + (1 - beta) * g**2
        assert equal(s, (1 - beta**t) * g**2)


def test_adam_bias_correction_first_steps():
    """Corrected: every step is α g/(g + ε) for a constant g > 0; uncorrected first step is
    (1 − β₁)/√(1 − β₂) times the corrected one when ε = 0."""
    v = s = 0
    for t in range(1, 4):
        v, s = beta1 * v + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2
        v_hat, s_hat = sp.factor(v / (1 - beta1**t)), sp.factor(s / (1 - beta2**t))
        assert v_hat == g and s_hat == g**2
        corrected = alpha * v_hat / (sp.sqrt(s_hat) + eps)
        assert equal(corrected, alpha * g / (g + eps))
        if t == 1:
            uncorrected = alpha * v / sp.sqrt(s)
            assert equal(uncorrected / corrected.subs(eps, 0), (1 - beta1) / sp.sqrt(1 - beta2))


@pytest.mark.parametrize("bias_correction", [True, False])
def test_adam_first_step_on_beale_matches_the_derivation(bias_correction):
    beale = Beale()
    step = np.diff(
        trajectory(Adam(0.1, bias_correction=bias_correction), beale.gradient, beale.start, 1),
        axis=0,
    )[0]
    factor = 1.0 if bias_correction else 0.1 / np.sqrt(0.001)
    np.testing.assert_allclose(
        step, -0.1 * factor * np.sign(beale.gradient(beale.start)), rtol=1e-7
    )


def test_saddle_escape_time_of_gradient_descent_is_the_formula():
    surface = saddle()
    for offset in (1e-3, 1e-6):
        path = trajectory(SGD(0.05), surface.gradient, (1.0, offset), 400)
        leaves = int(np.flatnonzero(np.abs(path).max(axis=1) > 1.5)[0])
        assert leaves == int(np.ceil(np.log(1.5 / offset) / np.log(1.1)))


def test_adaptive_methods_escape_the_saddle_regardless_of_the_start():
    surface = saddle()
    methods = {"Adagrad": Adagrad(0.1), "RMSprop": RMSprop(0.05, beta=0.9), "Adam": Adam(0.05)}
    for name, method in methods.items():
        counts = []
        for offset in (1e-3, 1e-9):
            path = trajectory(method, surface.gradient, (1.0, offset), 400)
            counts.append(int(np.flatnonzero(np.abs(path).max(axis=1) > 1.5)[0]))
        assert counts[1] - counts[0] <= 3, name
        assert counts[0] < 77, name  # sooner than gradient descent's 77 steps from 10⁻³


def test_every_racer_makes_progress_on_beale():
    beale = Beale()
    racers = [
        SGD(0.01),
        Momentum(0.002, 0.9),
        Nesterov(0.002, 0.9),
        Adagrad(1.0),
        RMSprop(0.02, beta=0.9),
        Adam(0.1),
    ]
    for method in racers:
        end = trajectory(method, beale.gradient, beale.start, 160)[-1]
        assert beale(end) < 0.05, method  # in the valley
        assert 0.05 < np.linalg.norm(end - beale.minimum) < 0.4, (
            method
        )  # but not yet at the minimum


def test_sgd_lingers_at_the_saddle_point_and_leaves_last():
    surface = saddle()
    path = trajectory(SGD(0.05), surface.gradient, (1.0, 1e-3), 160)
    near = np.flatnonzero(np.linalg.norm(path, axis=1) < 0.2)
    assert near[-1] - near[0] > 30 and np.all(np.diff(near) == 1)
    assert int(np.flatnonzero(np.abs(path).max(axis=1) > 1.5)[0]) == 77


def test_adam_below_epsilon_first_step_is_a_sixth_of_alpha():
    step = np.diff(trajectory(Adam(0.05), saddle().gradient, (1.0, 1e-9), 1), axis=0)[0, 1]
    np.testing.assert_allclose(step, 0.05 * 2e-9 / (2e-9 + 1e-8), rtol=1e-6)  # α g/(|g| + ε) = α/6


def test_adam_epsilon_threshold_and_its_cycle_which_repels():
    """adaptive's box: late in a run (corrections 1) Adam's cycle w → −w has the size
    α(1 − β₁)/(2(1 + β₁)) − ε/λ, it vanishes at the threshold ε = λα(1 − β₁)/(2(1 + β₁)), and,
    unlike RMSprop's, it repels: checked here by stepping a state by hand, not by sympy's solve."""
    lam = sp.symbols("lambda", positive=True)
    size = alpha * (1 - beta1) / (2 * (1 + beta1)) - eps / lam
    first = (1 - beta1) * lam * size / (1 + beta1)  # the first moment's size in the cycle
    w, v, s = size, -first, (lam * size) ** 2
    g_now = lam * w
    v_next = beta1 * v + (1 - beta1) * g_now
    s_next = beta2 * s + (1 - beta2) * g_now**2
    w_next = w - alpha * v_next / (sp.sqrt(s_next) + eps)
    above = {
        alpha: sp.Rational(1, 20),
        beta1: sp.Rational(9, 10),
        beta2: sp.Rational(999, 1000),
        eps: sp.Rational(1, 10**8),
        lam: 25,
    }
    for value, expected in ((w_next, -w), (v_next, first), (s_next, s)):
        assert sp.simplify((value - expected).subs(above)) == 0
    threshold = lam * alpha * (1 - beta1) / (2 * (1 + beta1))
    assert sp.simplify(size.subs(eps, threshold)) == 0

    # two steps near the cycle, by finite differences in float64: Adam's grow, RMSprop's shrink
    def step(state, b1, b2, a=0.05, e=1e-8, curvature=1.0):
        w, v, s = state
        g = curvature * w
        v, s = b1 * v + (1 - b1) * g, b2 * s + (1 - b2) * g * g
        return np.array([w - a * v / (np.sqrt(s) + e), v, s])

    for b1, b2, grows in ((0.9, 0.999, True), (0.0, 0.9, False)):
        a = 0.05 * (1 - b1) / (2 * (1 + b1)) - 1e-8
        on = np.array([a, -(1 - b1) * a / (1 + b1), a * a])
        assert np.allclose(step(step(on, b1, b2), b1, b2), on, rtol=1e-9)
        h = 1e-7 * a
        jacobian = np.column_stack(
            [
                (step(step(on + h * d, b1, b2), b1, b2) - step(step(on - h * d, b1, b2), b1, b2))
                / (2 * h)
                for d in np.eye(3)
            ]
        )
        largest = np.abs(np.linalg.eigvals(jacobian)).max()
        assert (largest > 1.05) if grows else (largest < 0.95)


def test_adam_step_bound_of_kingma_and_ba_is_the_sparsest_case_only():
    """adaptive's box: |v̂|/√ŝ (ε = 0) reaches (1 − β₁)/√(1 − β₂) for a gradient that was 0 before
    the current step, but a gradient growing by β₂/β₁ a step drives it towards the Cauchy–Schwarz
    bound (1 − β₁)/√((1 − β₂)(1 − β₁²/β₂)), about 7.27 for the usual β's."""
    b1, b2 = 0.9, 0.999
    sparse = Adam(1.0)
    state = sparse.init([np.zeros(())])
    for t in range(1, 51):
        step, state = sparse.update([np.array(1.0 if t == 50 else 0.0)], state)
    corrections = np.sqrt(1 - b2**50) / (1 - b1**50)
    np.testing.assert_allclose(
        abs(float(step[0])), (1 - b1) / np.sqrt(1 - b2) * corrections, rtol=1e-6
    )
    sharp = (1 - b1) / np.sqrt((1 - b2) * (1 - b1**2 / b2))
    assert 7.26 < sharp < 7.28
    # the growing gradient, by hand: the late ratio |v|/√s tends to the bound
    v = s = 0.0
    for k in range(1, 3001):
        g = (b2 / b1) ** (k - 3000)
        v, s = b1 * v + (1 - b1) * g, b2 * s + (1 - b2) * g * g
    np.testing.assert_allclose(abs(v) / np.sqrt(s), sharp, rtol=1e-9)


# -- Newton: the derivations ----------------------------------------------------------------------
def test_newton_step_minimises_the_quadratic_model():
    g1, g2, h11, h12, h22, d1, d2 = sp.symbols("g_1 g_2 h_11 h_12 h_22 d_1 d_2", real=True)
    G, H, D = sp.Matrix([g1, g2]), sp.Matrix([[h11, h12], [h12, h22]]), sp.Matrix([d1, d2])
    model = (G.T * D)[0] + (D.T * H * D)[0] / 2
    step = -H.inv() * G
    gradient_at_step = sp.Matrix([sp.diff(model, d) for d in (d1, d2)]).subs(
        {d1: step[0], d2: step[1]}
    )
    assert sp.simplify(gradient_at_step) == sp.zeros(2, 1)


def test_taylor_model_of_beale_to_second_order():
    beale = Beale()
    w, direction = np.array([0.7, -0.4]), np.array([0.6, 0.8])
    for h in (1e-2, 5e-3):
        model = (
            beale(w)
            + h * beale.gradient(w) @ direction
            + h**2 / 2 * direction @ beale.hessian(w) @ direction
        )
        assert abs(beale(w + h * direction) - model) < 50 * h**3


def test_gauss_newton_split_of_the_hessian():
    """newton's Gauss–Newton section: H of ℓ(a(w)) = Jᵀ H_ℓ J + Σ_k ∂ℓ/∂a_k ∇²a_k (another example)."""
    w1, w2, x = sp.symbols("w_1 w_2 x", real=True)
    a = sp.Matrix([sp.sin(w1 * x) * w2, sp.exp(w1 - w2)])
    b1, b2 = sp.symbols("b_1 b_2", real=True)
    loss = b1**2 * b2**2 / 2 + b1**4 / 4
    at = {b1: a[0], b2: a[1]}
    jac = a.jacobian([w1, w2])
    h_loss = sp.hessian(loss, (b1, b2)).subs(at)
    term = sp.zeros(2, 2)
    for k, b in enumerate((b1, b2)):
        term += sp.diff(loss, b).subs(at) * sp.hessian(a[k], (w1, w2))
    full = sp.hessian(loss.subs(at), (w1, w2))
    assert (full - jac.T * h_loss * jac - term).applyfunc(sp.simplify) == sp.zeros(2, 2)


def test_newton_lands_on_a_quadratic_minimum_and_on_the_saddle_in_one_step():
    bowl = ill_conditioned_bowl(condition=20, angle=0.3)
    landed = bowl.start + newton_step(bowl.gradient(bowl.start), bowl.hessian())
    np.testing.assert_allclose(landed, bowl.minimum, atol=1e-13)
    surface = saddle()
    for start in [(1.0, 1e-3), (0.5, 1.0), (-2.0, 3.0)]:
        landed = np.array(start) + newton_step(surface.gradient(start), surface.hessian())
        np.testing.assert_allclose(landed, surface.center, atol=1e-14)
    assert surface((0.0, 0.0)) > surface((0.5, 1.0))  # from there, the step climbed


def test_newton_on_rosenbrock_and_beale():
    rosenbrock = Rosenbrock()
    path = trajectory(Newton(rosenbrock.hessian), rosenbrock.gradient, rosenbrock.start, 8)
    assert np.linalg.norm(path[-1] - rosenbrock.minimum) < 1e-10
    assert max(rosenbrock(w) for w in path) > 10 * rosenbrock(rosenbrock.start)  # not monotone
    beale = Beale()
    to_saddle = trajectory(Newton(beale.hessian), beale.gradient, beale.start, 8)[-1]
    np.testing.assert_allclose(to_saddle, [0.0, 1.0], atol=1e-8)
    eigenvalues = np.linalg.eigvalsh(beale.hessian(to_saddle))
    assert eigenvalues[0] < 0 < eigenvalues[1]
    to_minimum = trajectory(Newton(beale.hessian), beale.gradient, (2.0, 0.0), 8)[-1]
    np.testing.assert_allclose(to_minimum, beale.minimum, atol=1e-8)


def test_the_hessian_of_the_articles_network():
    P = 1_685_667
    assert P**2 * 8 > 2e13 and 8 * P < 2e7  # > 20 TB against < 20 MB
    assert 2 * P**3 / 3 > 3e18
    # the chapter's fixed rates (no timing): ~10 years per step at 10¹⁰ flop/s, ~37 days at 10¹²
    day, year = 24 * 3600, 365.25 * 24 * 3600
    assert 9 < 2 * P**3 / 3 / 1e10 / year < 11
    assert 36 < 2 * P**3 / 3 / 1e12 / day < 38


def test_adagrad_rates_on_the_bowl_follow_the_gradient_not_the_curvature():
    bowl = ill_conditioned_bowl(condition=25)
    w = [bowl.start.copy()]
    optimizer = Adagrad(0.5)
    _, state = optimizer.update([bowl.gradient(w[0])], optimizer.init(w))
    rates = optimizer.learning_rate / (np.sqrt(state.s[0]) + optimizer.eps)
    np.testing.assert_allclose(
        rates.max() / rates.min(), 10.0, rtol=1e-6
    )  # |g₂/g₁| = 25·1/2.5, not 25


def test_adaptive_uses_the_bowl_of_the_momentum_chapter():
    """adaptive and adam say their bowl is momentum's: the same condition number, from the same
    function."""
    import re

    momentum = re.search(r"^KAPPA = (\d+)", (BOOK / "momentum.md").read_text(), re.M)
    for name in ("adaptive", "adam"):
        text = (BOOK / f"{name}.md").read_text()
        own = re.search(r"^BOWL_KAPPA = (\d+)", text, re.M)
        assert momentum and own and momentum.group(1) == own.group(1), name
        assert "20 w_2^2" not in text


# -- the chapters themselves ----------------------------------------------------------------------
@pytest.fixture(scope="module", params=["adaptive", "adam", "newton"])
def chapter(request):
    return request.param, chapter_namespace(request.param)


def test_chapter_explorers_fit_the_budget(chapter):
    from nnmath.explore import MAX_EXPLORER_BYTES

    name, namespace = chapter
    explorers = list(explorers_in(namespace).values())
    if name == "adaptive":  # its figures are static; the race is in adam
        assert not explorers
        return
    assert explorers, name
    for explorer in explorers:
        assert len(explorer.static_html().encode()) < 0.9 * MAX_EXPLORER_BYTES
        # live against static: test_explore checks every chapter's explorers


def test_chapter_numbers(chapter):
    name, ns = chapter
    if name == "adaptive":
        assert np.isclose(ns["bowl"].condition, ns["BOWL_KAPPA"])
        # per-coordinate scaling helps fully only along the axes: on the 45° bowl GD is ahead
        costs = ns["turn_costs"]
        assert np.isclose(costs["GD", "turned"], costs["GD", "aligned"], rtol=1e-9)
        for method in ("Adagrad", "RMSprop"):
            assert costs[method, "turned"] > 10 * max(
                costs[method, "aligned"], costs["GD", "turned"]
            )
        # Adagrad's divisor depends on α: at RMSprop's α it is larger, and far above RMSprop's
        divisor = ns["divisor_end"]
        assert divisor["Adagrad, RMSprop's α"] > 10 * divisor["RMSprop"]
        assert divisor["Adagrad, RMSprop's α"] > 2 * divisor["Adagrad"]
        assert "which do not depend on $\\alpha$" not in (BOOK / "adaptive.md").read_text()
        assert "Explorer(" not in (BOOK / "adaptive.md").read_text()
    elif name == "adam":
        assert set(ns["paths"]) == {"Beale", "saddle"} and len(ns["paths"]["Beale"]) == 6
        assert ns["escape"]["GD"][0] == max(counts[0] for counts in ns["escape"].values())
        assert "SGD" not in ns["escape"] and "SGD" not in ns["racers"]["Beale"]  # exact: GD
        assert np.isclose(ns["bowl"].condition, ns["BOWL_KAPPA"])
        last = ns["race_steps"][-1]
        assert "none at the minimum" in ns["race"].description(surface="Beale", k=last)
        at_start = ns["race"].description(surface="Beale", k=0)  # one point: no range of costs
        assert "every method is at cost" in at_start and "range" not in at_start
        assert "not all" in ns["race"].description(surface="Beale", k=ns["race_steps"][1])
        assert np.isclose(ns["default_ratio"], 0.1 / np.sqrt(0.001))
        # Adam's ε threshold: in the runs a coordinate converges exactly when ε is above its own
        thresholds = ns["adam_thresholds"]
        assert np.allclose(thresholds, np.array([1, 25]) * 0.05 * 0.1 / (2 * 1.9))
        for side, (run_eps, largest) in ns["adam_eps_runs"].items():
            assert all((e > th) == (side == "above") for e, th in zip(run_eps, thresholds))
            for coordinate_eps, size, threshold in zip(run_eps, largest, thresholds):
                assert (size < 1e-300) == (coordinate_eps > threshold)
                assert size < 1e-300 or size > 1e-6
        assert ns["adam_cycle_growth"] > 1.05 and np.isclose(ns["rms_cycle_growth"], 0.9)
        # decayed Adam: its float64 run underflows in the window, so the claim is the mpmath run's
        zeros = ns["zero_steps"]
        assert zeros[0] < ns["adam_window_start"] < zeros[-1]
        assert ns["adam_decayed_worst"] < 1e-4 * ns["window"].max()
        assert ns["adam_decayed_worst"] == float(
            max(ns["decayed_exact"][ns["adam_window_start"] :])
        )
        # float32: in nnmath's order (α v̂ first) the bowl's run stops; dividing first, it bursts
        start = ns["adam_window_start"]
        assert max(ns["float32_runs"]["nnmath"][0][start:]) < 1e-30
        assert max(ns["float32_runs"]["divide first"][0][start:]) > 1e-4
        text = " ".join((BOOK / "adam.md").read_text().split())
        for wrong in (
            "never bursts",
            "rounds them to 0",
            "for some choices of",
            "that gain is gone",
        ):
            assert wrong not in text
        # the turned saddle: Adagrad loses the gain, Adam keeps a little of it, RMSprop more
        turned, gd = ns["turned_escape"], ns["escape"]["GD"]
        gd_extra = gd[-1] - gd[0]
        assert turned["RMSprop"][-1] - turned["RMSprop"][0] < gd_extra / 5
        assert min(turned[m][-1] - turned[m][0] for m in ("Adam", "Adagrad")) > gd_extra / 2
        # the race figure (fig-race): the end points crowd; the zoom holds them all, GD's ring around RMSprop's
        ends, (xs, ys) = ns["ends"], ns["ZOOM_WINDOW"]
        assert all(xs[0] < end[0] < xs[1] and ys[0] < end[1] < ys[1] for end in ends.values())
        assert ns["end_gap"] < 0.02 and ns["END_SIZE"]["GD"] > ns["END_SIZE"]["RMSprop"]
        assert (
            "the end markers overlap near the star; the table" not in (BOOK / "adam.md").read_text()
        )
    else:
        assert ns["P"] == 1_685_667 and ns["hessian_bytes"] == 8 * ns["P"] ** 2
        # the prose's times come from fixed rates, never from the timing cell
        assert ns["step_seconds"] == {
            name: ns["solve_operations"] / rate for name, rate in ns["rates"].items()
        }
        assert ns["step_seconds"]["accelerator"] > 3600 * 8  # hours per step even at 10¹⁴ flop/s
        cells = Path(BOOK / "newton.md").read_text().split("```{code-cell}")
        timing = [cell for cell in cells if "timeit.repeat" in cell]  # best of a few runs
        assert len(timing) == 1 and "glue(" not in timing[0]
        assert all(
            "measured_rate" not in cell for cell in cells if cell is not timing[0]
        )  # nothing else reads it
        # the race's start: gradient descent heads into the valley, not yet arrived (as in adaptive)
        race_gd, minimum = ns["race_gd"], ns["beale"].minimum
        assert np.linalg.norm(race_gd[-1] - minimum) > 0.05 and ns["beale"](race_gd[-1]) < 0.05
        assert "every\nfirst-order method" not in (BOOK / "newton.md").read_text()
        at_the_end = ns["newton_explorer"].description(start="(1, 1.5)", k=ns["newton_steps"])
        assert "saddle point (0, 1)" in at_the_end
        assert ns["kfac_block"] / ns["kfac_factors"] > 1e5
        # its bowl is the one of momentum and adaptive, as the prose says; results are labelled
        momentum_kappa = re.search(r"^KAPPA = (\d+)", (BOOK / "momentum.md").read_text(), re.M)
        assert momentum_kappa and np.isclose(ns["bowl"].condition, int(momentum_kappa.group(1)))
        assert "sp.Tuple(" not in (BOOK / "newton.md").read_text()
        # Fig. 13.1: nearness to the minimum is not enough; (0.5, 0.5) ends on the saddle, later
        distance = ns["start_distance"]
        assert distance["(2.5, 0.2)"] < distance["(2, 0)"]
        minimum, saddle = ns["beale"].minimum, ns["beale_saddle"]
        assert np.linalg.norm(ns["longer"]["(0.5, 0.5)"] - saddle) < 1e-8
        assert min(np.linalg.norm(ns["longer"]["(2.5, 0.2)"] - p) for p in (minimum, saddle)) > 1
        text = " ".join((BOOK / "newton.md").read_text().split())
        assert "near the minimum, it converges" not in text
        # Hessian-free's cost: K CG iterations, each about two gradients; K is an example, not
        # attributed to an uncited source
        assert ns["cg_iterations"] == 250 and "a few tens of backward passes" not in text
        assert "one extra pass each" not in text and "previous section) and curvature" not in text
        assert "Martens's released code" not in text
        # report O: one meaning per symbol, the fixes in a section of their own, the caption of
        # Fig. 12.1 says where the run from (0.5, 0.5) goes, refused trust-region steps are counted
        assert "are new letters" not in text and "M e_k^2" not in text and "B_{k+1}" not in text
        assert "\\rho_k" not in text and "c\\,\\alpha" not in text and "\\frac{d}{dr}" not in text
        assert "(sec-newton-fixes)=\n## Fixing Newton's step" in (BOOK / "newton.md").read_text()
        assert "it is still wandering" not in text and "forward-over-reverse" in text
        assert ns["refused"]["(2.5, 0.2)"] == 1 and sum(ns["refused"].values()) == 1
        assert ns["wandering_on_saddle"][-1] and not ns["wandering_on_saddle"][0]
        # reading Z: one small network, its Hv checked against the dense Hessian, negative curvature
        # counted, L-BFGS on the full batch and on minibatches
        assert 90 < ns["P_small"] < 110 and ns["hv_net_error"] < 1e-8
        assert ns["negative_start"] > 0 and ns["negative_trained"] > 0
        assert ns["lbfgs_reaches"] < ns["BUDGET"] / 5
        assert ns["noise_across"] > 1 > ns["noise_within"]
        assert "(sec-newton-small-network)= ### On a small network (optional)" in text
        # reading AA: with the cautious rule no same-batch run blows up; every folded cell is titled
        within = [run for key, run in ns["cautious_runs"].items() if key[0]]
        assert within and not any(ns["blown"](costs) for _, costs, _, _ in within)
        # reading BB: across two minibatches one run of the figure's seed trains; the prose says so
        assert ns["across_trained"] == 1 and ns["trained_key"][2] == ns["FIGURE_SEED"]
        assert "those runs blow up or stall" not in text and "keeping up only when" not in text
        hidden = re.findall(r":tags: \[hide-[a-z]+\]\n(.*)", (BOOK / "newton.md").read_text())
        assert hidden and all(line.startswith(":mystnb: {code_prompt_show:") for line in hidden)


def test_adaptive_shows_labelled_results_with_one_step_index():
    """Their sympy results are labelled equations (``show``), never bare tuples, and the step is t."""
    adaptive = (BOOK / "adaptive.md").read_text()
    assert 'sp.symbols("tau", integer=True, positive=True)   # summation index' in adaptive
    text = adaptive + (BOOK / "adam.md").read_text()
    assert "sp.Tuple(" not in text and text.count("show(") >= 5
    assert "\\sum_{k=1}" not in text  # the book's step k is not a summation index here
    assert "$k = \\ln" not in text and "^k w_2" not in text


def test_adam_is_its_own_chapter_right_after_adaptive():
    """Adam left adaptive.md for book/adam.md, on adaptive's bowl and RMSprop's settings; each page
    stands alone (objectives, its own setup, summary and exercises) and links to the other."""
    import yaml

    toc = yaml.safe_load((BOOK.parent / "_toc.yml").read_text())
    (optimizers,) = [part for part in toc["parts"] if part["caption"] == "Optimizers"]
    files = [chapter["file"] for chapter in optimizers["chapters"]]
    assert files[files.index("book/adaptive") + 1] == "book/adam"
    adaptive, adam = (BOOK / "adaptive.md").read_text(), (BOOK / "adam.md").read_text()
    assert "(chapter-adaptive)=\n# Adagrad and RMSprop\n" in adaptive
    assert "(chapter-adam)=\n# Adam\n" in adam
    assert "## Adam: momentum" not in adaptive and "Explorer(" not in adaptive
    assert "{doc}`adam`" in adaptive and "{doc}`adaptive`" in adam
    assert "ADAGRAD_RATE, RMSPROP_RATE, RMSPROP_BETA = 0.5, 0.05, 0.9" in adaptive
    assert "RMSPROP_RATE, RMSPROP_BETA = 0.05, 0.9" in adam  # the same runs: the same numbers
    for text in (adaptive, adam):
        for part in ("```{admonition} Learning objectives", "## Summary", "## Exercises"):
            assert part in text
    # the letters of Kingma and Ba go with Adam
    assert "Kingma and Ba and PyTorch write $m$, $v$" in adam
    assert "PyTorch write $m$" not in adaptive
    for page in ("depth", "schedules"):  # pages that point at Adam point at its chapter
        assert "{doc}`adam`" in (BOOK / f"{page}.md").read_text()
