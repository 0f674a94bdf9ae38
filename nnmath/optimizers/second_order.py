"""Second order: Newton's step −H⁻¹∇C, the method built on it, and a Newton minimiser with a line search.

They need the Hessian H: fine for the 2-D surfaces of ``nnmath.surfaces`` (and a network of a
few parameters), out of reach for a real network, where H has P² entries for P weights and
solving with it costs about P³ operations (``nocedal2006``, chapter 3). Derived in chapter
*Second-order methods* (book/newton.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import (
    NonFiniteError,
    as_count,
    as_positive_number,
    as_real_array,
    require_callable,
    require_finite,
)
from .base import Optimizer, State, checked_update, match_like
from .schedules import as_learning_rate

__all__ = ["newton_step", "Newton", "newton_minimize"]


def newton_step(grad, hessian) -> np.ndarray:
    """Newton's step Δw = −H⁻¹ ∇C, from the second-order Taylor expansion of C around w.

    ``grad`` has shape (n,) and ``hessian`` (n, n); meant for the 2-D surfaces of
    ``nnmath.surfaces``. On a quadratic it lands on the stationary point in one step, whether that
    is a minimum or a saddle.
    """
    g = as_real_array(grad, "grad", float)
    H = as_real_array(hessian, "hessian", float)
    if g.ndim != 1:
        raise ValueError(f"grad must be a vector of shape (n,), got shape {g.shape}")
    if H.shape != (g.size, g.size):
        raise ValueError(
            f"hessian has shape {H.shape}, expected {(g.size, g.size)} for a gradient of {g.size}"
        )
    require_finite(g, "the gradient grad", NonFiniteError)
    require_finite(H, "the hessian", NonFiniteError)
    try:
        return -np.linalg.solve(H, g)  # Δw = −H⁻¹ ∇C
    except np.linalg.LinAlgError:
        raise ValueError(
            f"the hessian is singular, Newton's step is undefined: {H.tolist()}"
        ) from None


@dataclass(frozen=True)
class Newton(Optimizer):
    """Newton's method: w ← w − α H(w)⁻¹ ∇C (α = 1 is the pure method).

    ``hessian`` is a function of the point w returning H(w); the parameters must be a single
    vector (one array of shape (n,)), as for the 2-D surfaces.
    """

    hessian: Any = None  # required: w ↦ H(w), checked in __post_init__
    learning_rate: object = 1.0
    needs_params = True

    def __post_init__(self):
        require_callable(self.hessian, "hessian", "a function of the point w returning H(w)")
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))

    @checked_update
    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        if params is None or len(grads) != 1:
            raise ValueError("Newton needs params=[w], a single vector, to evaluate the Hessian at")
        (w,), (g,) = match_like(params, state.like, "params"), grads
        step = alpha * newton_step(g, self.hessian(w))  # Δw = −α H⁻¹ ∇C
        return [step.astype(w.dtype)], State(t, state.like, method=state.method)


def newton_minimize(gradient, hessian, w0, *, cost=None, tol: float = 1e-10, max_steps: int = 100):
    """Newton's method from ``w0`` until |∇C| < ``tol``; the minimiser, or None if not reached.

    With ``cost`` (a function of w) each step is shortened by a halving line search: halved until C
    does not rise (backtracking, ``nocedal2006`` §3.1), so it cannot climb out of a valley. This is
    not damping in the book's sense, H + γI, which changes the step's direction as well. Returns
    None after ``max_steps`` steps without convergence; it does not check that the point found
    is a minimum rather than a saddle (the caller looks at the Hessian there).
    """
    require_callable(gradient, "gradient", "a function of w returning ∇C(w)")
    require_callable(hessian, "hessian", "a function of w returning H(w)")
    if cost is not None:
        require_callable(cost, "cost", "a function of w returning C(w)")
    tol, max_steps = as_positive_number(tol, "tol"), as_count(max_steps, "max_steps")
    w = as_real_array(w0, "w0", float).copy()
    require_finite(w, "w0")
    for _ in range(max_steps):
        g = gradient(w)
        if np.linalg.norm(g) < tol:
            return w
        step = newton_step(g, hessian(w))  # Δw = −H⁻¹ ∇C
        shrink = 1.0
        if cost is not None:
            c = cost(w)
            while cost(w + shrink * step) > c and shrink > 1e-8:  # backtrack if C rises
                shrink /= 2
        w = w + shrink * step
    return None
