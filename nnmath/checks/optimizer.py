"""An optimizer's steps, several in a row, and the mistakes made in its update equations."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._compare import TOLERANCE, _as_array, _compare, _positive_float, _positive_int, _require_callable, _Variant
from ._result import CheckResult, Problem

# -- an optimizer step -----------------------------------------------------------------------------------
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _optimizer_steps(method, w0, grads, hp, mistake=None):
    """The steps Δw_k of ``method`` for the gradients g_1, g_2, …, with one known ``mistake`` (or none).

    The update equations, one line each (state names as in nnmath.optimizers: v, s, t).
    """
    a, mu, rho, b1, b2, eps = hp["learning_rate"], hp["momentum"], hp["rho"], hp["beta1"], hp["beta2"], hp["eps"]
    if mistake == "lr_twice":
        a = a * a
    w, v, s, t = w0.copy(), np.zeros_like(w0), np.zeros_like(w0), 0
    steps = []
    for g in grads:
        if mistake == "not_carried":
            v, s, t = np.zeros_like(w0), np.zeros_like(w0), 0
        w_old = w.copy()
        if method == "sgd":
            w = w - a * g                                    # w ← w − α∇C
        elif method == "momentum":
            if mistake == "velocity_after":
                w = w + v                                    # (mistake: w moves with the old v)
            if mistake == "ema":
                v = mu * v - a * (1 - mu) * g                # (mistake: v ← μv − α(1 − μ)∇C)
            elif mistake == "no_mu":
                v = v - a * g                                # (mistake: v ← v − α∇C)
            else:
                v = mu * v - a * g                           # v ← μv − α∇C
            if mistake != "velocity_after":
                w = w + v                                    # w ← w + v
        elif method == "rmsprop":
            if mistake == "no_one_minus_rho":
                s = rho * s + g ** 2                         # (mistake: s ← ρs + ∇C²)
            else:
                s = rho * s + (1 - rho) * g ** 2             # s ← ρs + (1 − ρ)∇C²
            root = s if mistake == "no_sqrt" else np.sqrt(s)
            w = w - a * g / (root + eps)                     # w ← w − α∇C / (√s + ε)
        elif method == "adam":
            m1, m2 = (b2, b1) if mistake == "betas_swapped" else (b1, b2)
            t = 1 if mistake == "t_not_carried" else t + 1   # t ← t + 1
            v = m1 * v + (1 - m1) * g                        # v ← β₁v + (1 − β₁)∇C
            s = m2 * s + (1 - m2) * g ** 2                   # s ← β₂s + (1 − β₂)∇C²
            if mistake == "no_bias_correction":
                v_hat, s_hat = v, s
            else:
                v_hat = v / (1 - m1 ** t)                    # v̂ = v / (1 − β₁ᵗ)
                s_hat = s / (1 - m2 ** t)                    # ŝ = s / (1 − β₂ᵗ)
            root = s_hat if mistake == "no_sqrt" else np.sqrt(s_hat)
            w = w - a * v_hat / (root + eps)                 # w ← w − α v̂ / (√ŝ + ε)
        steps.append(w - w_old)
    return np.stack(steps)


_OPTIMIZER_MISTAKES = {
    "sgd": {},
    "momentum": {
        "not_carried": "the momentum state is not carried: v starts again from zero at every step, so this is "
                       "plain gradient descent. Return the new v as the state and use the state you are given.",
        "velocity_after": "w moves with the old velocity: update v ← μv − α∇C first, then w ← w + v.",
        "ema": "uses v ← μv − α(1 − μ)∇C; the book's momentum is v ← μv − α∇C (no 1 − μ).",
        "no_mu": "the momentum coefficient μ is missing: v ← μv − α∇C, not v ← v − α∇C.",
    },
    "rmsprop": {
        "not_carried": "the state s is not carried: it starts again from zero at every step. Return the new s "
                       "as the state and use the state you are given.",
        "no_sqrt": "divides by s + ε; RMSprop divides by the root mean square, √s + ε.",
        "no_one_minus_rho": "uses s ← ρs + ∇C²; the running average is s ← ρs + (1 − ρ)∇C².",
    },
    "adam": {
        "not_carried": "the state (v, s, t) is not carried: it starts again from zero at every step. Return the "
                       "new state and use the state you are given.",
        "t_not_carried": "the step count t is not carried: the bias correction uses t = 1 at every step "
                         "(t ← t + 1 before v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)).",
        "no_bias_correction": "the bias correction is missing: use v̂ = v / (1 − β₁ᵗ) and ŝ = s / (1 − β₂ᵗ).",
        "betas_swapped": "β₁ and β₂ are swapped: v ← β₁v + (1 − β₁)∇C averages the gradient, "
                         "s ← β₂s + (1 − β₂)∇C² its square.",
        "no_sqrt": "divides by ŝ + ε; Adam divides by √ŝ + ε.",
    },
}


def check_optimizer_step(step: Callable, method="sgd", *, learning_rate: float = 0.1, momentum: float = 0.9,
                         rho: float = 0.9, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                         init: Callable | None = None, shape=(3, 2), steps: int = 5, inputs: int = 3, seed=0,
                         tolerance: float = TOLERANCE) -> CheckResult:
    """Check an optimizer step ``step(w, g, state) -> (w_new, state)`` over several steps in a row.

    ``method`` is one of ``"sgd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``; the hyperparameters
    are the ones your step uses (it closes over them). Starting from a random ``w`` of ``shape``,
    the check feeds ``steps`` random gradients in a row, passing back the state your step returned;
    the first call gets ``init(w)`` if you give ``init``, else ``None``. The right steps follow
    the update equations:

    - sgd:       w ← w − α∇C
    - momentum:  v ← μv − α∇C;  w ← w + v
    - rmsprop:   s ← ρs + (1 − ρ)∇C²;  w ← w − α∇C / (√s + ε)
    - adam:      t ← t + 1;  v ← β₁v + (1 − β₁)∇C;  s ← β₂s + (1 − β₂)∇C²;
                 w ← w − α v̂ / (√ŝ + ε) with v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)

    Example::

        def sgd(w, g, state):
            return w - 0.1 * g, state

        check_optimizer_step(sgd, "sgd", learning_rate=0.1)
    """
    _require_callable(step, "step", "(w, g, state) -> (w_new, state)")
    if init is not None:
        _require_callable(init, "init", "(w) -> state")
    if method not in OPTIMIZERS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(OPTIMIZERS)}")
    hp = {"learning_rate": _positive_float(learning_rate, "learning_rate"),
          "momentum": float(momentum), "rho": float(rho), "beta1": float(beta1), "beta2": float(beta2),
          "eps": _positive_float(eps, "eps")}
    for name in ("momentum", "rho", "beta1", "beta2"):
        if not 0 <= hp[name] < 1:
            raise ValueError(f"{name} must lie in [0, 1), got {hp[name]!r}")
    steps, inputs = _positive_int(steps, "steps", 2), _positive_int(inputs, "inputs")
    tolerance = _positive_float(tolerance, "tolerance")
    shape = tuple(_positive_int(n, "shape entry") for n in np.atleast_1d(shape))
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    alpha = hp["learning_rate"]
    title = f"Optimizer step ({method}, α = {alpha:g}, {steps} steps in a row)"

    starts, gradients, yours = [], [], []
    for _ in range(inputs):
        w0 = rng.standard_normal(shape)
        grads = rng.standard_normal((steps,) + shape)
        starts.append(w0)
        gradients.append(grads)
        w, state = w0.copy(), (None if init is None else init(w0.copy()))
        taken = []
        for k, g in enumerate(grads, start=1):
            returned = step(w.copy(), g.copy(), state)
            if not (isinstance(returned, tuple) and len(returned) == 2):
                words = (f"returned {type(returned).__name__}"
                         + (f" of length {len(returned)}" if isinstance(returned, tuple) else "")
                         + " at step 1; return (w_new, state) — the state is what the next call gets"
                         + (" (for SGD, return the state you were given)." if method == "sgd" else "."))
                return CheckResult(title, [Problem("step", words)], np.inf, tolerance, inputs)
            w_new, state = returned
            w_new = _as_array(w_new)
            if w_new is None or w_new.shape != shape:
                words = (f"w_new at step {k} has shape {np.shape(returned[0])}, expected {shape}, the shape of w."
                         if w_new is not None else f"w_new at step {k} is not a numeric array.")
                return CheckResult(title, [Problem("step", words)], np.inf, tolerance, inputs)
            taken.append(w_new - w)
            w = w_new
        yours.append(np.stack(taken))

    right = [_optimizer_steps(method, w0, g, hp) for w0, g in zip(starts, gradients)]
    variants = [_Variant(f"the learning rate is applied twice: the steps are α = {alpha:g} times too small "
                         "(α appears once in the update).",
                         [_optimizer_steps(method, w0, g, hp, "lr_twice") for w0, g in zip(starts, gradients)])]
    variants += [_Variant(words, [_optimizer_steps(method, w0, g, hp, mistake) for w0, g in zip(starts, gradients)])
                 for mistake, words in _OPTIMIZER_MISTAKES[method].items()]
    factor_hints = {-1.0: "the steps go uphill: a descent step subtracts the gradient"
                          + (" (v ← μv − α∇C)." if method == "momentum" else " (w ← w − α …)."),
                    1 / alpha: "the learning rate is missing: the steps are 1/α times the right ones."}
    words, worst = _compare("steps", yours, right, variants, tolerance=tolerance,
                            explain="", factor_hints=factor_hints)
    problems = [] if words is None else [Problem("the steps Δw = w_new − w", words)]
    return CheckResult(title, problems, worst, tolerance, inputs, against="the update equations")

