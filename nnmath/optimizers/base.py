"""What every optimizer shares: the state, ``init``, ``step``, the checks of ``update``, ``apply``.

A method subclasses ``Optimizer`` and writes its update rule in ``update``, one commented line per
equation, decorated with ``@checked_update``: that refuses, before the state moves, anything that
``apply`` would refuse later (a non-finite gradient, an accumulator or a step that overflows), with
a ``NonFiniteError`` naming the quantity, the parameter and the entries.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .._validate import (
    NonFiniteError,
    all_finite,
    as_array_list,
    first_non_finite,
    match_like,
    non_finite_gradient,
    overflowing_step,
)

__all__ = ["State", "Optimizer", "checked_update", "apply"]


@dataclass(frozen=True, eq=False)
class State:
    """An optimizer's state after ``t`` steps (t = 0 before the first).

    ``v``: velocity (momentum, Nesterov) or first-moment average (Adam); ``s``: squared-gradient sum
    (Adagrad) or average (RMSprop, Adam). Each is a tuple of read-only arrays shaped like the
    parameters, or None when the method keeps no such average. ``like`` records each parameter's
    (shape, dtype) so gradients can be checked against it; ``method`` names the method whose
    ``init`` made it, so that another method's state is refused by name.
    """

    t: int
    like: tuple
    v: Any = None  # tuple of arrays, or None; a method that keeps it always has a tuple
    s: Any = None
    method: str | None = None


# what each kept quantity is, for the messages
_STATE_NAMES = {
    "v": "v (the velocity or first-moment average)",
    "s": "s (the squared-gradient sum or average)",
}


def frozen(arrays) -> tuple:
    """A tuple of fresh read-only copies (freezing one never freezes a caller's array)."""
    out = []
    for array in arrays:
        array = np.array(array)
        array.flags.writeable = False
        out.append(array)
    return tuple(out)


class Optimizer:
    """What every method shares: init, the learning rate at step t, step, lookahead."""

    keeps: tuple[str, ...] = ()  # which of v, s the method keeps
    needs_params = False  # whether update needs the parameters themselves (Newton's Hessian)
    learning_rate: Any  # α: a number or a schedule t ↦ α_t (each method's dataclass field)

    def update(self, grads, state: State, params=None) -> tuple[list[np.ndarray], State]:
        """The steps and the new state; each method writes its rule here."""
        raise NotImplementedError(f"{type(self).__name__} has no update rule")

    def init(self, params) -> State:
        """The state before the first step: t = 0 and zero averages shaped like ``params``."""
        params = as_array_list(params, "params")
        zeros = frozen(np.zeros_like(p) for p in params)
        return State(
            t=0,
            like=tuple((p.shape, p.dtype) for p in params),
            v=zeros if "v" in self.keeps else None,
            s=zeros if "s" in self.keeps else None,
            method=type(self).__name__,
        )

    def lookahead(self, params, state: State) -> list[np.ndarray]:
        """Where the next gradient is evaluated: the parameters themselves (Nesterov looks ahead)."""
        return list(params)

    def step(self, params, grads, state: State | None = None) -> State:
        """``update`` then ``apply``: moves ``params`` in place and returns the new state.

        ``state=None`` starts from ``init(params)``. If any new value would be non-finite, raises
        ``NonFiniteError`` (a ``ValueError``) naming the step and the parameter, and leaves every
        parameter unchanged.
        """
        params = as_array_list(params, "params")
        state = self.init(params) if state is None else state
        self.check_state(state, params)
        steps, new_state = self.update(grads, state, params=params if self.needs_params else None)
        _apply(params, steps, at_step=new_state.t)
        return new_state

    def check_state(self, state, params) -> None:
        """Refuse, by name, a state that is not this method's or not for these parameters."""
        self._check_state(state)
        match_like(params, state.like, "params")

    def _check_state(self, state) -> None:
        if not isinstance(state, State):
            raise TypeError(f"state must be a State from init(), got {type(state).__name__}")
        method = type(self).__name__
        made_by = state.method
        if made_by is None:  # a State built by hand: judge it by what it keeps
            if any((getattr(state, k) is None) != (k not in self.keeps) for k in ("v", "s")):
                raise ValueError(
                    f"state keeps {self._kept(state)} but {method} keeps "
                    f"{', '.join(self.keeps) or 'nothing'}; start from {method}.init"
                )
        elif made_by != method:
            raise ValueError(
                f"state is {made_by}'s state, not {method}'s: each method continues "
                f"only its own state; start from {method}(...).init(params)"
            )

    @staticmethod
    def _kept(state) -> str:
        return ", ".join(k for k in ("v", "s") if getattr(state, k) is not None) or "nothing"

    def _begin(self, grads, state: State):
        """Check the state and the gradients; return the gradients, this update's t and α_t."""
        self._check_state(state)
        grads = match_like(grads, state.like, "grads")
        t = state.t + 1
        for k, g in enumerate(grads):
            if not all_finite(g):
                raise non_finite_gradient(
                    f"grads[{k}] (parameter {k})",
                    g,
                    "the state was not advanced",
                    parameter=k,
                    at_step=t,
                )
        return grads, t, self._alpha(t)

    def _alpha(self, t: int) -> float:
        if not callable(self.learning_rate):
            return self.learning_rate
        alpha = self.learning_rate(t)
        try:
            alpha = float(alpha)
        except (TypeError, ValueError):
            raise TypeError(
                f"learning_rate schedule returned {alpha!r} at step t = {t}, not a number"
            ) from None
        if not (math.isfinite(alpha) and alpha >= 0):
            raise ValueError(
                f"learning_rate schedule gave α_{t} = {alpha!r} at step t = {t}; "
                "it must be finite and ≥ 0"
            )
        return alpha


def checked_update(update):
    """Run a method's ``update`` with overflow silenced, then refuse a non-finite result by name.

    The new state's averages are checked first (an accumulator such as s ← s + g² overflows for
    a finite gradient of 1e200), then the steps: the caller gets either a finite step and state,
    or a ``NonFiniteError`` and still holds the old state.
    """

    @functools.wraps(update)
    def checked(self, grads, state, params=None):
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is named below
            steps, new = update(self, grads, state, params)
        method = type(self).__name__
        new = replace(new, method=method)  # so that another method refuses this state by name
        for key in ("s", "v"):
            for k, a in enumerate(getattr(new, key) or ()):
                if not all_finite(a):
                    raise NonFiniteError(
                        f"at step t = {new.t}, {method}'s state {_STATE_NAMES[key]} of parameter "
                        f"{k} would overflow ({first_non_finite(a)}): the gradient is too large "
                        f"for {a.dtype}; the state was not advanced",
                        parameter=k,
                    )
        for k, d in enumerate(steps):
            if not all_finite(d):
                raise NonFiniteError(
                    f"at step t = {new.t}, {method}'s step Δw of parameter {k} "
                    f"would be non-finite ({first_non_finite(np.asarray(d))}); "
                    "the state was not advanced and no parameter was changed "
                    "(try a smaller learning rate)",
                    parameter=k,
                )
        if params is not None:  # what apply would refuse: w + Δw overflowing
            _new_values(params, steps, new.t)
        return steps, new

    return checked


def _new_values(params, steps, at_step=None) -> list[np.ndarray]:
    """w + Δw for every parameter, or ``NonFiniteError`` naming the first that overflows."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        new = [p + d for p, d in zip(params, steps)]  # w ← w + Δw, computed for all first
    for k, (w, p) in enumerate(zip(new, params)):
        if not all_finite(w):
            raise overflowing_step(f"parameter {k} (shape {p.shape})", w, k, at_step=at_step)
    return new


def _apply(params, steps, at_step=None) -> None:
    params = as_array_list(params, "params")
    like = tuple((p.shape, p.dtype) for p in params)
    steps = match_like(steps, like, "steps")
    new = _new_values(params, steps, at_step)
    for p, w in zip(params, new):  # then written, all or none
        p[...] = w


def apply(params, steps) -> None:
    """w ← w + Δw for every parameter, in place.

    ``steps`` must match ``params`` in count, shape and dtype. All new values are computed and
    checked first; a non-finite one raises ``NonFiniteError`` and no parameter changes.
    """
    _apply(params, steps)
