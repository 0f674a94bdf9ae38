"""An optimizer's steps, several in a row, and the mistakes made in its update equations."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from .. import optimizers
from ..gradcheck import relative_error
from ._compare import (
    _as_array,
    _compare,
    _positive_float,
    _positive_int,
    _require_callable,
    _Variant,
    call_reader,
    tolerance_for,
)
from ._result import CheckResult, Problem

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
STEP_TOLERANCE_FLOAT64 = 1e-7  # the assignments' tolerance for float64 work


def _right_steps(method, w0, grads, hp):
    """The steps Δw_k that ``nnmath.optimizers`` takes for g_1, g_2, …: the right answer."""
    a = hp["learning_rate"]
    optimizer = {
        "sgd": lambda: optimizers.SGD(a),
        "momentum": lambda: optimizers.Momentum(a, hp["momentum"]),
        "rmsprop": lambda: optimizers.RMSprop(a, beta=hp["beta"], eps=hp["eps"]),
        "adam": lambda: optimizers.Adam(a, hp["beta1"], hp["beta2"], hp["eps"]),
    }[method]()
    state, steps = optimizer.init([w0.copy()]), []
    for g in grads:
        step, state = optimizer.update([g], state)
        steps.append(step[0])
    return np.stack(steps)


def _efficient_adam_steps(w0, grads, hp):
    """Kingma & Ba's "efficient" Adam: α_t = α √(1 − β₂ᵗ)/(1 − β₁ᵗ), Δw = −α_t v / (√s + ε).

    The same method with ε in a slightly different place: accepted as right.
    """
    a, b1, b2, eps = hp["learning_rate"], hp["beta1"], hp["beta2"], hp["eps"]
    v, s, steps = np.zeros_like(w0), np.zeros_like(w0), []
    for t, g in enumerate(grads, start=1):
        v = b1 * v + (1 - b1) * g
        s = b2 * s + (1 - b2) * g**2
        steps.append(-a * np.sqrt(1 - b2**t) / (1 - b1**t) * v / (np.sqrt(s) + eps))
    return np.stack(steps)


def _optimizer_steps(method, w0, grads, hp, mistake=None):
    """The steps Δw_k of ``method`` with one known ``mistake`` (None: none, to test against nnmath).

    The update equations, one line each (state names as in nnmath.optimizers: v, s, t); the right
    answer a check compares with is ``nnmath.optimizers``' own (``_right_steps``).
    """
    a, mu, beta = hp["learning_rate"], hp["momentum"], hp["beta"]
    b1, b2, eps = hp["beta1"], hp["beta2"], hp["eps"]
    if mistake == "lr_twice":
        a = a * a
    w, v, s, t = w0.copy(), np.zeros_like(w0), np.zeros_like(w0), 0
    if mistake in ("velocity_from_gradient", "s_from_gradient"):
        v, s = grads[0].copy(), grads[0] ** 2  # (mistake: starts at the gradient)
    if mistake == "velocity_from_step":
        v = -a * grads[0]  # (mistake: v starts at the first step)

    def root(x):  # √s, or (mistake) √(s + ε) − ε
        return np.sqrt(x + eps) - eps if mistake == "eps_inside" else np.sqrt(x)

    steps = []
    for g in grads:
        if mistake == "not_carried":
            v, s, t = np.zeros_like(w0), np.zeros_like(w0), 0
        w_old = w.copy()
        if method == "sgd":
            w = w - a * g  # w ← w − α∇C
        elif method == "momentum":
            if mistake == "velocity_after":
                w = w + v  # (mistake: w moves with the old v)
            if mistake == "ema":
                v = mu * v - a * (1 - mu) * g  # (mistake: v ← μv − α(1 − μ)∇C)
            elif mistake == "no_mu":
                v = v - a * g  # (mistake: v ← v − α∇C)
            elif mistake == "decay_on_gradient":
                v = mu * (v - a * g)  # (mistake: v ← μ(v − α∇C))
            else:
                v = mu * v - a * g  # v ← μv − α∇C
            if mistake == "w_minus_v":
                w = w - v  # (mistake: w ← w − v)
            elif mistake != "velocity_after":
                w = w + v  # w ← w + v
        elif method == "rmsprop":
            s_old = s
            if mistake == "no_one_minus_beta":
                s = beta * s + g**2  # (mistake: s ← βs + ∇C²)
            elif mistake == "decay_swapped":
                s = (1 - beta) * s + beta * g**2  # (mistake: s ← (1 − β)s + β∇C²)
            else:
                s = beta * s + (1 - beta) * g**2  # s ← βs + (1 − β)∇C²
            used = s_old if mistake == "old_accumulator" else s
            denominator = used if mistake == "no_sqrt" else root(used)
            w = w - a * g / (denominator + eps)  # w ← w − α∇C / (√s + ε)
        elif method == "adam":
            m1, m2 = (b2, b1) if mistake == "betas_swapped" else (b1, b2)
            t = 1 if mistake == "t_not_carried" else t + 1  # t ← t + 1
            t_c = t + 1 if mistake == "t_off_by_one" else t
            v_old, s_old = v, s
            if mistake == "decay_swapped":
                v = (1 - m1) * v + m1 * g  # (mistake: the weights swapped)
                s = (1 - m2) * s + m2 * g**2
            else:
                v = m1 * v + (1 - m1) * g  # v ← β₁v + (1 − β₁)∇C
                s = m2 * s + (1 - m2) * g**2  # s ← β₂s + (1 − β₂)∇C²
            if mistake == "no_bias_correction":
                v_hat, s_hat = v, s
            else:
                v_hat = v / (1 - m1**t_c)  # v̂ = v / (1 − β₁ᵗ)
                s_hat = s / (1 - m2**t_c)  # ŝ = s / (1 − β₂ᵗ)
            if mistake == "stored_corrected":
                v, s = v_hat, s_hat  # (mistake: the state keeps v̂, ŝ)
            if mistake == "old_accumulator":  # (mistake: the moments before it)
                v_hat, s_hat = v_old / (1 - m1**t_c), s_old / (1 - m2**t_c)
            denominator = s_hat if mistake == "no_sqrt" else root(s_hat)
            w = w - a * v_hat / (denominator + eps)  # w ← w − α v̂ / (√ŝ + ε)
        steps.append(w - w_old)
    return np.stack(steps)


# the methods whose step divides by √s + ε, and the size of the gradients that show where ε is
_DIVIDE_BY_ROOT = ("rmsprop", "adam")
SMALL_GRADIENT = 1e-5

_OPTIMIZER_MISTAKES = {
    "sgd": {},
    "momentum": {
        "not_carried": "the momentum state is not carried: v starts again from zero at every step, so this is "
        "plain gradient descent. Return the new v as the state and use the state you are given.",
        "velocity_after": "w moves with the old velocity: update v ← μv − α∇C first, then w ← w + v.",
        "w_minus_v": "the weight update has the wrong sign: your velocity v is right (v ← μv − α∇C "
        "already holds the −α), but w moves by −v; the step is w ← w + v.",
        "ema": "uses v ← μv − α(1 − μ)∇C; the book's momentum is v ← μv − α∇C (no 1 − μ).",
        "no_mu": "the momentum coefficient μ is missing: v ← μv − α∇C, not v ← v − α∇C.",
        "velocity_from_gradient": "the velocity starts at the gradient (v₀ = ∇C at the first "
        "call); it starts at "
        "zero, v₀ = 0, and the first step is v₁ = −α∇C.",
        "velocity_from_step": "the velocity starts at the first step (v₀ = −α∇C) and is then "
        "updated again; it "
        "starts at zero, so v₁ = −α∇C.",
        "decay_on_gradient": "the decay μ is applied to the gradient term too, v ← μ(v − α∇C); it "
        "multiplies "
        "only the old velocity: v ← μv − α∇C.",
    },
    "rmsprop": {
        "not_carried": "the state s is not carried: it starts again from zero at every step. Return the new s "
        "as the state and use the state you are given.",
        "no_sqrt": "divides by s + ε; RMSprop divides by the root mean square, √s + ε.",
        "no_one_minus_beta": "uses s ← βs + ∇C²; the running average is s ← βs + (1 − β)∇C².",
        "decay_swapped": "the decay is applied to the wrong term, s ← (1 − β)s + β∇C²; the "
        "running average "
        "keeps β of the old s: s ← βs + (1 − β)∇C².",
        "eps_inside": "ε is inside the root, √(s + ε); RMSprop divides by √s + ε.",
        "old_accumulator": "the step uses the old s, before this step's update; update s ← βs + "
        "(1 − β)∇C² first, "
        "then w ← w − α∇C / (√s + ε) with the new s.",
        "s_from_gradient": "s starts at the first ∇C² instead of at zero.",
    },
    "adam": {
        "not_carried": "the state (v, s, t) is not carried: it starts again from zero at every step. Return the "
        "new state and use the state you are given.",
        "t_not_carried": "the step count t is not carried: the bias correction uses t = 1 at every step "
        "(t ← t + 1 before v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)).",
        "t_off_by_one": "the step count is off by one: the bias correction uses t + 1 (t = 2 at "
        "the first step); "
        "t ← t + 1 comes first, so the first step has t = 1.",
        "no_bias_correction": "the bias correction is missing: use v̂ = v / (1 − β₁ᵗ) and ŝ = s / (1 − β₂ᵗ).",
        "stored_corrected": "the moments are stored bias-corrected: the state must keep v and s; "
        "v̂ and ŝ are "
        "used for this step only (stored, they are corrected again at every "
        "step).",
        "betas_swapped": "β₁ and β₂ are swapped: v ← β₁v + (1 − β₁)∇C averages the gradient, "
        "s ← β₂s + (1 − β₂)∇C² its square.",
        "decay_swapped": "the decays are applied to the wrong terms, v ← (1 − β₁)v + β₁∇C; each "
        "average keeps β "
        "of the old value: v ← β₁v + (1 − β₁)∇C, s ← β₂s + (1 − β₂)∇C².",
        "no_sqrt": "divides by ŝ + ε; Adam divides by √ŝ + ε.",
        "eps_inside": "ε is inside the root, √(ŝ + ε); Adam divides by √ŝ + ε.",
        "old_accumulator": "the step uses the moments from before this step's update; update v "
        "and s first, then "
        "step with v̂, ŝ from the new ones.",
    },
}


def check_optimizer_step(
    step: Callable,
    method="sgd",
    *,
    learning_rate: float = 0.1,
    momentum: float = 0.9,
    beta: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    init: Callable | None = None,
    shape=(3, 2),
    steps: int = 5,
    inputs: int = 3,
    seed=0,
    tolerance: float | None = None,
    rho: float | None = None,
) -> CheckResult:
    """Check an optimizer step ``step(w, g, state) -> (w_new, state)`` over several steps in a row.

    ``method`` is one of ``"sgd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``; the hyperparameters
    are the ones your step uses (it closes over them). Starting from a random ``w`` of ``shape``,
    the check feeds ``steps`` random gradients in a row, passing back the state your step returned;
    the first call gets ``init(w)`` if you give ``init``, else ``None``. The right steps follow
    the update equations:

    - sgd:       w ← w − α∇C
    - momentum:  v ← μv − α∇C;  w ← w + v
    - rmsprop:   s ← βs + (1 − β)∇C²;  w ← w − α∇C / (√s + ε)
    - adam:      t ← t + 1;  v ← β₁v + (1 − β₁)∇C;  s ← β₂s + (1 − β₂)∇C²;
                 w ← w − α v̂ / (√ŝ + ε) with v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)

    The right steps are ``nnmath.optimizers``' own. Adam in Kingma & Ba's "efficient" form
    (ε added to √s before the bias correction) is accepted too. ``rho`` is a deprecated name for
    RMSprop's ``beta``. ``tolerance`` defaults to one that follows the dtype of the ``w`` you
    return: 1e-7 for float64, 1000 ε for float32 (about 1.2e-4), either widened for a step much
    smaller than ``w`` (rounding ``w_new − w`` costs about ε‖w‖/‖Δw‖); the result says which.

    Example (``my_rmsprop`` is yours)::

        check_optimizer_step(my_rmsprop, "rmsprop", learning_rate=0.01, beta=0.9)
    """
    _require_callable(step, "step", "(w, g, state) -> (w_new, state)")
    if init is not None:
        _require_callable(init, "init", "(w) -> state")
    if method not in OPTIMIZERS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(OPTIMIZERS)}")
    if rho is not None:
        warnings.warn(
            "check_optimizer_step(rho=…) is deprecated: RMSprop's decay is called beta, "
            "as in "
            "nnmath.optimizers.RMSprop",
            DeprecationWarning,
            stacklevel=2,
        )
        beta = rho
    hp = {
        "learning_rate": _positive_float(learning_rate, "learning_rate"),
        "momentum": float(momentum),
        "beta": float(beta),
        "beta1": float(beta1),
        "beta2": float(beta2),
        "eps": _positive_float(eps, "eps"),
    }
    for name in ("momentum", "beta", "beta1", "beta2"):
        if not 0 <= hp[name] < 1:
            raise ValueError(f"{name} must lie in [0, 1), got {hp[name]!r}")
    steps, inputs = _positive_int(steps, "steps", 2), _positive_int(inputs, "inputs")
    given = None if tolerance is None else _positive_float(tolerance, "tolerance")
    tolerance = tolerance_for([], given)
    shape = tuple(_positive_int(n, "shape entry") for n in np.atleast_1d(shape))
    rng = np.random.default_rng(seed)
    alpha = hp["learning_rate"]
    title = f"Optimizer step ({method}, α = {alpha:g}, {steps} steps in a row)"

    starts, gradients, yours, returned_w, states = [], [], [], [], []
    # ε only shows where √s is as small as ε's scale: for the methods that divide by √s + ε, the
    # last input's gradients are of size 1e-5 (ε inside the root, √(s + ε), then takes steps
    # about ten times too small; at gradients of size 1 it changes a step by 1e-8)
    small = method in _DIVIDE_BY_ROOT and inputs > 1
    for i in range(inputs):
        w0 = rng.standard_normal(shape)
        grads = rng.standard_normal((steps,) + shape)
        if small and i == inputs - 1:
            grads *= SMALL_GRADIENT
        starts.append(w0)
        gradients.append(grads)
        w, state = w0.copy(), (None if init is None else init(w0.copy()))
        taken, kept = [], []
        for k, g in enumerate(grads, start=1):
            returned, raised = call_reader(step, w.copy(), g.copy(), state)
            if raised:
                problem = Problem("step", f"at step {k} " + raised)
                return CheckResult(title, [problem], np.inf, tolerance, inputs)
            if not (isinstance(returned, tuple) and len(returned) == 2):
                words = (
                    f"returned {type(returned).__name__}"
                    + (f" of length {len(returned)}" if isinstance(returned, tuple) else "")
                    + f" at step {k}; return (w_new, state) — the state is what the next "
                    "call gets"
                    + (" (for SGD, return the state you were given)." if method == "sgd" else ".")
                )
                return CheckResult(title, [Problem("step", words)], np.inf, tolerance, inputs)
            w_new, state = returned
            returned_w.append(w_new)
            kept.append(_velocity(state))
            w_new = _as_array(w_new)
            if w_new is None or w_new.shape != shape:
                words = (
                    f"w_new at step {k} has shape {np.shape(returned[0])}, expected {shape}, the shape of w."
                    if w_new is not None
                    else f"w_new at step {k} is not a numeric array."
                )
                return CheckResult(title, [Problem("step", words)], np.inf, tolerance, inputs)
            taken.append(w_new - w)
            w = w_new
        yours.append(np.stack(taken))
        states.append(kept)

    right = [_right_steps(method, w0, g, hp) for w0, g in zip(starts, gradients)]  # nnmath's
    dtype = _returned_dtype(returned_w)
    tolerance = _step_tolerance(dtype, starts, right) if given is None else given
    notes = []
    if method == "adam":
        efficient = [_efficient_adam_steps(w0, g, hp) for w0, g in zip(starts, gradients)]
        if all(relative_error(y, e) <= tolerance for y, e in zip(yours, efficient)) and not all(
            relative_error(y, r) <= tolerance for y, r in zip(yours, right)
        ):
            right = efficient
            notes.append(
                "Your steps follow Kingma & Ba's efficient form of Adam (ε added before "
                "the bias "
                "correction), accepted as right."
            )
    variants = [
        _Variant(
            f"the learning rate is applied twice: the steps are α = {alpha:g} times too small "
            "(α appears once in the update).",
            [_optimizer_steps(method, w0, g, hp, "lr_twice") for w0, g in zip(starts, gradients)],
        )
    ]
    variants += [
        _Variant(
            words,
            [_optimizer_steps(method, w0, g, hp, mistake) for w0, g in zip(starts, gradients)],
        )
        for mistake, words in _OPTIMIZER_MISTAKES[method].items()
    ]
    # w ← w − v with the right v takes exactly −1 times the right steps, as a velocity of the wrong
    # sign does: the velocities returned as the state tell the two apart.
    velocity_right = method == "momentum" and all(
        all(v is not None and v.shape == shape for v in kept)
        and relative_error(np.stack(kept), r) <= tolerance  # for momentum, Δw_k = v_k
        for kept, r in zip(states, right)
    )
    if method == "momentum" and not velocity_right:
        variants = [v for v in variants if v.words != _OPTIMIZER_MISTAKES["momentum"]["w_minus_v"]]
    factor_hints = {
        -1.0: "the steps go uphill: a descent step subtracts the gradient"
        + (" (v ← μv − α∇C)." if method == "momentum" else " (w ← w − α …)."),
        1 / alpha: "the learning rate is missing: the steps are 1/α times the right ones.",
    }
    words, worst = _compare(
        "steps",
        yours,
        right,
        variants,
        tolerance=tolerance,
        explain="",
        factor_hints=factor_hints,
        axis_names=("step",) + ("entry",) * len(shape),
    )
    problems = [] if words is None else [Problem("the steps Δw = w_new − w", words)]
    if given is None:
        notes.append(
            f"The tolerance {tolerance:.1e} follows the {dtype} you return (1e-07 for float64, "
            "1000 ε for float32, more for steps much smaller than w)."
        )
    return CheckResult(
        title,
        problems,
        worst,
        tolerance,
        inputs,
        notes,
        against="nnmath.optimizers",
        input_words=(
            f"random inputs, the last with gradients of size {SMALL_GRADIENT:g}"
            if small
            else "random inputs"
        ),
    )


def _velocity(state):
    """The velocity in a momentum step's state: the state itself, or its ``"v"`` entry."""
    if isinstance(state, dict):
        state = state.get("v")
    return _as_array(state) if isinstance(state, np.ndarray) else None


def _returned_dtype(values) -> np.dtype:
    """The least precise floating dtype among the ``w_new`` returned (float64 if none is one)."""
    found = [
        np.dtype(value.dtype)
        for value in values
        if np.issubdtype(getattr(value, "dtype", np.dtype(object)), np.floating)
    ]
    return max(found, key=lambda d: float(np.finfo(d).eps), default=np.dtype(np.float64))


def _step_tolerance(dtype, starts, right) -> float:
    """The default tolerance of a step check, by the dtype returned: float64 1e-7 (as the
    assignments grade); a less precise float 1000 ε of it. Either way w_new − w, rounded in that
    dtype, loses about ε‖w‖/‖Δw‖ of a small step: allowed for, up to 1e-2."""
    eps = float(np.finfo(dtype).eps)
    base = STEP_TOLERANCE_FLOAT64 if dtype == np.float64 else 1000 * eps
    ratio = max(
        float(np.linalg.norm(w0)) / max(float(np.linalg.norm(r[-1])), 1e-300)
        for w0, r in zip(starts, right)
    )
    return float(min(1e-2, max(base, 50 * eps * ratio)))
