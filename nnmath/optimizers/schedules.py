"""Learning-rate schedules α_t, functions of the step count t (the first step is t = 1).

Each is a small immutable object called like a function, ``cosine(0.1, steps=200)(t)``, on an
int or an integer array of step counts. ``schedule(name, alpha0, ...)`` builds one by name.
Derived in chapter *Learning-rate schedules* (book/schedules.md), after
``robbins1951`` on the conditions Σ α_t = ∞, Σ α_t² < ∞.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .._validate import as_count, as_positive_number, as_real_number

__all__ = [
    "Constant",
    "StepDecay",
    "Exponential",
    "InverseTime",
    "Cosine",
    "LinearWarmup",
    "constant",
    "step_decay",
    "exponential",
    "inverse_time",
    "cosine",
    "linear_warmup",
    "schedule",
    "SCHEDULES",
    "as_learning_rate",
]


def as_learning_rate(value):
    """A positive finite number, or a schedule (any callable of t)."""
    if callable(value):
        return value
    if isinstance(value, str):
        raise TypeError(
            f"learning_rate must be a number or a schedule (a function of t), got the "
            f"string {value!r}; build a named schedule with schedule({value!r}, ...)"
        )
    return as_positive_number(value, "learning_rate")


def _step_count(t):
    """t as an int or an integer array, every entry ≥ 1 (the first step is t = 1)."""
    array = np.asarray(t)
    if array.dtype.kind not in "iuf" or isinstance(t, (bool, np.bool_)):
        raise TypeError(f"the step count t must be an integer ≥ 1, got {type(t).__name__} {t!r}")
    if array.dtype.kind == "f" and not np.all(array == np.round(array)):
        raise ValueError(f"the step count t must be an integer ≥ 1, got {t!r}")
    if np.any(array < 1):
        raise ValueError(f"the step count t starts at 1, got {t!r}")
    return int(array) if array.ndim == 0 else array.astype(np.int64)


def _scalar_or_array(value):
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


@dataclass(frozen=True)
class Constant:
    """α_t = α₀."""

    alpha0: float

    def __post_init__(self):
        object.__setattr__(self, "alpha0", as_positive_number(self.alpha0, "alpha0"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(self.alpha0 * np.ones_like(t, dtype=float))


@dataclass(frozen=True)
class StepDecay:
    """α_t = α₀ · factor^⌊(t − 1)/every⌋: multiplied by ``factor`` every ``every`` steps."""

    alpha0: float
    factor: float = 0.5
    every: int = 10

    def __post_init__(self):
        object.__setattr__(self, "alpha0", as_positive_number(self.alpha0, "alpha0"))
        factor = as_real_number(self.factor, "factor")
        if not 0 < factor <= 1:
            raise ValueError(f"factor must be in (0, 1], got {factor!r}")
        object.__setattr__(self, "factor", factor)
        object.__setattr__(self, "every", as_count(self.every, "every"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(self.alpha0 * self.factor ** ((np.asarray(t) - 1) // self.every))


@dataclass(frozen=True)
class Exponential:
    """α_t = α₀ · e^(−k (t − 1))."""

    alpha0: float
    k: float = 0.01

    def __post_init__(self):
        object.__setattr__(self, "alpha0", as_positive_number(self.alpha0, "alpha0"))
        object.__setattr__(self, "k", as_positive_number(self.k, "k"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(self.alpha0 * np.exp(-self.k * (np.asarray(t) - 1)))


@dataclass(frozen=True)
class InverseTime:
    """α_t = α₀ / (1 + k (t − 1)), the 1/t decay."""

    alpha0: float
    k: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "alpha0", as_positive_number(self.alpha0, "alpha0"))
        object.__setattr__(self, "k", as_positive_number(self.k, "k"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(self.alpha0 / (1 + self.k * (np.asarray(t) - 1)))


@dataclass(frozen=True)
class Cosine:
    """α_t = α_min + ½ (α₀ − α_min)(1 + cos(π · min(t − 1, T)/T)): half a cosine from α₀ down to
    ``alpha_min`` over ``T = steps`` steps, then ``alpha_min``."""

    alpha0: float
    steps: int = 100
    alpha_min: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "alpha0", as_positive_number(self.alpha0, "alpha0"))
        object.__setattr__(self, "steps", as_count(self.steps, "steps"))
        alpha_min = as_real_number(self.alpha_min, "alpha_min")
        if not 0 <= alpha_min <= self.alpha0:
            raise ValueError(f"alpha_min must be in [0, alpha0 = {self.alpha0}], got {alpha_min!r}")
        object.__setattr__(self, "alpha_min", alpha_min)

    def __call__(self, t):
        t = _step_count(t)
        progress = np.minimum(np.asarray(t) - 1, self.steps) / self.steps
        return _scalar_or_array(
            self.alpha_min + 0.5 * (self.alpha0 - self.alpha_min) * (1 + np.cos(np.pi * progress))
        )


@dataclass(frozen=True)
class LinearWarmup:
    """α_t = min(1, t/w) · base(t): the base rate (a number or a schedule) ramped up linearly over
    the first w = ``steps`` steps."""

    base: object
    steps: int = 10

    def __post_init__(self):
        base = as_learning_rate(self.base)
        object.__setattr__(self, "base", base if callable(base) else Constant(base))
        object.__setattr__(self, "steps", as_count(self.steps, "steps"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(
            np.minimum(1.0, np.asarray(t) / self.steps) * np.asarray(self.base(t))
        )


# Lower-case names: schedules read as functions in chapter code, ``cosine(0.1, steps=200)``.
constant, step_decay, exponential, inverse_time, cosine, linear_warmup = (
    Constant,
    StepDecay,
    Exponential,
    InverseTime,
    Cosine,
    LinearWarmup,
)

SCHEDULES = {
    "constant": Constant,
    "step": StepDecay,
    "step_decay": StepDecay,
    "exponential": Exponential,
    "inverse_time": InverseTime,
    "1/t": InverseTime,
    "cosine": Cosine,
}


def schedule(name: str, alpha0: float, *, warmup: int = 0, **options):
    """A schedule by name: ``schedule("cosine", 0.1, steps=200, warmup=10)``.

    Names: constant, step (or step_decay), exponential, inverse_time (or 1/t), cosine. ``options``
    are the schedule's own (``factor``, ``every``, ``k``, ``steps``, ``alpha_min``); ``warmup > 0``
    wraps it in a linear warm-up over that many steps.
    """
    if not isinstance(name, str):
        raise TypeError(f"schedule name must be a string, got {type(name).__name__} {name!r}")
    if name.lower() not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; known: {', '.join(SCHEDULES)}")
    kind = SCHEDULES[name.lower()]
    known = [field.name for field in fields(kind)][1:]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(
            f"schedule {name!r} has no option {', '.join(unknown)}; its options: {', '.join(known)}"
        )
    schedule = kind(alpha0, **options)
    return LinearWarmup(schedule, steps=warmup) if warmup else schedule
