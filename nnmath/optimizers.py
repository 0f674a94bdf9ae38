"""Gradient-descent optimizers whose code reads like the book's update rules.

Every method is a small immutable object holding its hyperparameters, and works on any list of
parameter arrays (a scalar, a 2-D point, a network's ``[W^1, b^1, …, W^L, b^L]`` alike)::

    sgd   = SGD(learning_rate=0.1)
    state = sgd.init(params)                      # t = 0, and v, s = 0 where the method keeps them
    steps, state = sgd.update(grads, state)       # Δw for step t, and the new state
    apply(params, steps)                          # w ← w + Δw, in place

or, the same three lines in one, ``state = sgd.step(params, grads, state)``. The state is named
after the book's symbols: the step count ``t`` (the first step is t = 1), the velocity or
first-moment average ``v`` and the squared-gradient sum or average ``s``, one array per parameter
with the parameter's shape and dtype. States are immutable: an update returns a new one.

A learning rate is a number α or a schedule α_t, a function of the step count t (``constant``,
``step_decay``, ``exponential``, ``inverse_time``, ``cosine``, ``linear_warmup``, or by name
with ``schedule``).

``trajectory(optimizer, gradient, w0, steps)`` runs a method from ``w0`` and returns the iterates
w_0, …, w_steps. ``newton_step`` and ``Newton`` take the second-order step −H⁻¹∇C, which needs the
Hessian: fine for the 2-D surfaces of ``nnmath.surfaces``, out of reach for a network.

Chapters deriving the rules: *Stochastic and minibatch gradient descent* (book/sgd.md),
*Momentum and Nesterov* (book/momentum.md), *Adaptive methods: Adagrad, RMSprop, Adam*
(book/adaptive.md), *Second-order methods* (book/newton.md).
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ._validate import NonFiniteError

__all__ = [
    "State", "SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "Newton",
    "apply", "trajectory", "newton_step", "minibatches", "nesterov_change_of_variable",
    "Constant", "StepDecay", "Exponential", "InverseTime", "Cosine", "LinearWarmup",
    "constant", "step_decay", "exponential", "inverse_time", "cosine", "linear_warmup",
    "schedule", "SCHEDULES", "METHODS",
]


# -- checks ---------------------------------------------------------------------------------------
def _real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


def _positive(value, name: str) -> float:
    value = _real(value, name)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def _rate(value, name: str) -> float:
    """An averaging coefficient (μ, β, β₁, β₂): 0 ≤ value < 1."""
    value = _real(value, name)
    if not (0 <= value < 1):
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return value


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _learning_rate(value):
    """A positive finite number, or a schedule (any callable of t)."""
    if callable(value):
        return value
    if isinstance(value, str):
        raise ValueError(f"learning_rate must be a number or a schedule (a function of t), got the "
                         f"string {value!r}; build a named schedule with schedule({value!r}, ...)")
    return _positive(value, "learning_rate")


# -- learning-rate schedules ----------------------------------------------------------------------
def _step_count(t):
    """t as an int or an integer array, every entry ≥ 1 (the first step is t = 1)."""
    array = np.asarray(t)
    if array.dtype.kind not in "iu" and not (array.dtype.kind == "f" and np.all(array == np.round(array))):
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
        object.__setattr__(self, "alpha0", _positive(self.alpha0, "alpha0"))

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
        object.__setattr__(self, "alpha0", _positive(self.alpha0, "alpha0"))
        factor = _real(self.factor, "factor")
        if not 0 < factor <= 1:
            raise ValueError(f"factor must be in (0, 1], got {factor!r}")
        object.__setattr__(self, "factor", factor)
        object.__setattr__(self, "every", _count(self.every, "every"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(self.alpha0 * self.factor ** ((np.asarray(t) - 1) // self.every))


@dataclass(frozen=True)
class Exponential:
    """α_t = α₀ · e^(−k (t − 1))."""

    alpha0: float
    k: float = 0.01

    def __post_init__(self):
        object.__setattr__(self, "alpha0", _positive(self.alpha0, "alpha0"))
        object.__setattr__(self, "k", _positive(self.k, "k"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(self.alpha0 * np.exp(-self.k * (np.asarray(t) - 1)))


@dataclass(frozen=True)
class InverseTime:
    """α_t = α₀ / (1 + k (t − 1)), the 1/t decay."""

    alpha0: float
    k: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "alpha0", _positive(self.alpha0, "alpha0"))
        object.__setattr__(self, "k", _positive(self.k, "k"))

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
        object.__setattr__(self, "alpha0", _positive(self.alpha0, "alpha0"))
        object.__setattr__(self, "steps", _count(self.steps, "steps"))
        alpha_min = _real(self.alpha_min, "alpha_min")
        if not 0 <= alpha_min <= self.alpha0:
            raise ValueError(f"alpha_min must be in [0, alpha0 = {self.alpha0}], got {alpha_min!r}")
        object.__setattr__(self, "alpha_min", alpha_min)

    def __call__(self, t):
        t = _step_count(t)
        progress = np.minimum(np.asarray(t) - 1, self.steps) / self.steps
        return _scalar_or_array(self.alpha_min
                                + 0.5 * (self.alpha0 - self.alpha_min) * (1 + np.cos(np.pi * progress)))


@dataclass(frozen=True)
class LinearWarmup:
    """α_t = min(1, t/w) · base(t): the base rate (a number or a schedule) ramped up linearly over
    the first w = ``steps`` steps."""

    base: object
    steps: int = 10

    def __post_init__(self):
        base = _learning_rate(self.base)
        object.__setattr__(self, "base", base if callable(base) else Constant(base))
        object.__setattr__(self, "steps", _count(self.steps, "steps"))

    def __call__(self, t):
        t = _step_count(t)
        return _scalar_or_array(np.minimum(1.0, np.asarray(t) / self.steps) * np.asarray(self.base(t)))


# Lower-case names: schedules read as functions in chapter code, ``cosine(0.1, steps=200)``.
constant, step_decay, exponential, inverse_time, cosine, linear_warmup = (
    Constant, StepDecay, Exponential, InverseTime, Cosine, LinearWarmup)

SCHEDULES = {"constant": Constant, "step": StepDecay, "step_decay": StepDecay,
             "exponential": Exponential, "inverse_time": InverseTime, "1/t": InverseTime,
             "cosine": Cosine}


def schedule(name: str, alpha0: float, *, warmup: int = 0, **options):
    """A schedule by name: ``schedule("cosine", 0.1, steps=200, warmup=10)``.

    Names: constant, step (or step_decay), exponential, inverse_time (or 1/t), cosine. ``options``
    are the schedule's own (``factor``, ``every``, ``k``, ``steps``, ``alpha_min``); ``warmup > 0``
    wraps it in a linear warm-up over that many steps.
    """
    if not isinstance(name, str) or name.lower() not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; known: {', '.join(SCHEDULES)}")
    try:
        made = SCHEDULES[name.lower()](alpha0, **options)
    except TypeError as error:
        raise ValueError(f"schedule {name!r}: {error}") from None
    if warmup:
        made = LinearWarmup(made, steps=warmup)
    return made


# -- state and the shared machinery ---------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class State:
    """An optimizer's state after ``t`` steps (t = 0 before the first).

    ``v``: velocity (momentum, Nesterov) or first-moment average (Adam); ``s``: squared-gradient sum
    (Adagrad) or average (RMSprop, Adam). Each is a tuple of read-only arrays shaped like the
    parameters, or None when the method keeps no such average. ``like`` records each parameter's
    (shape, dtype) so gradients can be checked against it.
    """

    t: int
    like: tuple
    v: tuple | None = None
    s: tuple | None = None


def _frozen(arrays) -> tuple:
    out = []
    for array in arrays:
        array = np.array(array)  # a fresh array, so freezing it never freezes a caller's
        array.flags.writeable = False
        out.append(array)
    return tuple(out)


def _parameter_list(params, what="params") -> list[np.ndarray]:
    if isinstance(params, np.ndarray) or not isinstance(params, Sequence) or isinstance(params, str):
        raise TypeError(f"{what} must be a list of arrays (wrap a single array as [w]), "
                        f"got {type(params).__name__}")
    params = list(params)
    for k, p in enumerate(params):
        if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
            kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
            raise TypeError(f"{what}[{k}] must be a floating numpy array, got {kind}")
    return params


def _check_like(arrays, like, what: str) -> list[np.ndarray]:
    """``arrays`` matches ``like`` ((shape, dtype) per parameter) in count, shape and dtype."""
    if isinstance(arrays, np.ndarray) or not isinstance(arrays, Sequence):
        raise ValueError(f"{what} must be a list of arrays, one per parameter, got {type(arrays).__name__}")
    arrays = list(arrays)
    if len(arrays) != len(like):
        raise ValueError(f"{what} has {len(arrays)} arrays but there are {len(like)} parameters")
    for k, (a, (shape, dtype)) in enumerate(zip(arrays, like)):
        if isinstance(a, np.generic):  # arithmetic on a 0-d array gives a numpy scalar
            a = arrays[k] = np.asarray(a)
        if not isinstance(a, np.ndarray):
            raise ValueError(f"{what}[{k}] must be a numpy array, got {type(a).__name__}")
        if a.shape != shape:
            raise ValueError(f"{what}[{k}] has shape {a.shape}, but parameter {k} has shape {shape}")
        if a.dtype != dtype:
            raise ValueError(f"{what}[{k}] has dtype {a.dtype}, but parameter {k} has dtype {dtype}")
    return arrays


class _Optimizer:
    """What every method shares: init, the learning rate at step t, step, lookahead."""

    keeps = ()  # which of v, s the method keeps

    def init(self, params) -> State:
        """The state before the first step: t = 0 and zero averages shaped like ``params``."""
        params = _parameter_list(params)
        zeros = _frozen(np.zeros_like(p) for p in params)
        return State(t=0, like=tuple((p.shape, p.dtype) for p in params),
                     v=zeros if "v" in self.keeps else None,
                     s=zeros if "s" in self.keeps else None)

    def lookahead(self, params, state: State) -> list[np.ndarray]:
        """Where the next gradient is evaluated: the parameters themselves (Nesterov looks ahead)."""
        return list(params)

    def step(self, params, grads, state: State | None = None) -> State:
        """``update`` then ``apply``: moves ``params`` in place and returns the new state.

        ``state=None`` starts from ``init(params)``. If any new value would be non-finite, raises
        ``NonFiniteError`` (a ``ValueError``) naming the step and the parameter, and leaves every
        parameter unchanged.
        """
        params = _parameter_list(params)
        state = self.init(params) if state is None else state
        _check_like(params, state.like, "params")
        steps, new_state = self.update(grads, state, params=params)
        _apply(params, steps, at_step=new_state.t)
        return new_state

    def _begin(self, grads, state: State):
        """Check the gradients; return them, the step count t of this update and α_t."""
        if not isinstance(state, State):
            raise TypeError(f"state must be a State from init(), got {type(state).__name__}")
        grads = _check_like(grads, state.like, "grads")
        t = state.t + 1
        return grads, t, self._alpha(t)

    def _alpha(self, t: int) -> float:
        if not callable(self.learning_rate):
            return self.learning_rate
        alpha = self.learning_rate(t)
        try:
            alpha = float(alpha)
        except (TypeError, ValueError):
            raise ValueError(f"learning_rate schedule returned {alpha!r} at step t = {t}, not a number") from None
        if not (math.isfinite(alpha) and alpha >= 0):
            raise ValueError(f"learning_rate schedule gave α_{t} = {alpha!r} at step t = {t}; "
                             "it must be finite and ≥ 0")
        return alpha


def _apply(params, steps, at_step=None) -> None:
    params = _parameter_list(params)
    like = tuple((p.shape, p.dtype) for p in params)
    steps = _check_like(steps, like, "steps")
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        new = [p + d for p, d in zip(params, steps)]    # w ← w + Δw, computed for all first
    for k, (w, p) in enumerate(zip(new, params)):
        if not np.all(np.isfinite(w)):
            where = f"at step t = {at_step}, " if at_step is not None else ""
            raise NonFiniteError(f"{where}parameter {k} (shape {p.shape}) would become non-finite; "
                                 "no parameter was changed (try a smaller learning rate)", parameter=k)
    for p, w in zip(params, new):                       # then written, all or none
        p[...] = w


def apply(params, steps) -> None:
    """w ← w + Δw for every parameter, in place.

    ``steps`` must match ``params`` in count, shape and dtype. All new values are computed and
    checked first; a non-finite one raises ``ValueError`` and no parameter changes.
    """
    _apply(params, steps)


# -- the methods ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SGD(_Optimizer):
    """Gradient descent: w ← w − α ∇C.

    Full-batch gradient descent when ∇C is the gradient over the whole data set, stochastic or
    minibatch gradient descent when it is the gradient over a batch (see ``minibatches``).
    Derived in chapter *Learning as descent* and chapter *Stochastic and minibatch gradient descent*.
    ``Network.gradient_step`` is this method.
    """

    learning_rate: object = 0.01

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))

    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        steps = [-alpha * g for g in grads]                   # Δw = −α ∇C
        return steps, State(t, state.like)


@dataclass(frozen=True)
class Momentum(_Optimizer):
    """Momentum, the heavy ball (Polyak 1964): v ← μ v − α ∇C, then w ← w + v.

    With μ = 0 it is ``SGD``. Derived in chapter *Momentum and Nesterov*.

    Source 000 (Gramicelli) ends by adding "some 'history' to create gradient descent": a term s,
    "the optimiser to be added to the weight", built from the learning rate (its "lambda", our α) and
    the gradient g. Its formula is lost and it names no momentum coefficient, so reading it as this
    method (s = v: s ← μ s − α g, w ← w + s) is a reconstruction, not the source's formula.
    """

    learning_rate: object = 0.01
    momentum: float = 0.9
    keeps = ("v",)

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))
        object.__setattr__(self, "momentum", _rate(self.momentum, "momentum μ"))

    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        mu = self.momentum
        v = [mu * v - alpha * g for v, g in zip(state.v, grads)]   # v ← μ v − α ∇C
        return list(v), State(t, state.like, v=_frozen(v))        # w ← w + v


@dataclass(frozen=True)
class Nesterov(_Optimizer):
    """Nesterov momentum (Nesterov 1983). Derived in chapter *Momentum and Nesterov*.

    ``form="lookahead"`` is source 002's form: the gradient is taken at the point the momentum is
    about to carry us to, w + μ v (ask ``lookahead(params, state)`` for it)::

        v ← μ v − α ∇C(w + μ v)
        w ← w + v

    ``form="practical"`` is the form libraries use: it stores w̃ = w + μ v instead of w, so the
    gradient is taken at the parameters themselves::

        v ← μ v − α ∇C(w̃)
        w̃ ← w̃ + μ v − α ∇C(w̃)

    Both start from v = 0, so w̃₀ = w₀, and then w̃_t = w_t + μ v_t at every step
    (``nesterov_change_of_variable``): the same iterates, seen one look-ahead further on.
    """

    learning_rate: object = 0.01
    momentum: float = 0.9
    form: str = "lookahead"
    keeps = ("v",)
    FORMS = ("lookahead", "practical")

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))
        object.__setattr__(self, "momentum", _rate(self.momentum, "momentum μ"))
        if self.form not in self.FORMS:
            raise ValueError(f"unknown form {self.form!r}; known: {', '.join(self.FORMS)}")

    def lookahead(self, params, state: State) -> list[np.ndarray]:
        """w + μ v in the look-ahead form (where its gradient is taken); w itself in the practical form."""
        if self.form == "practical":
            return list(params)
        params = _check_like(params, state.like, "params")
        return [w + self.momentum * v for w, v in zip(params, state.v)]   # w_ahead = w + μ v

    def update(self, grads, state: State, params=None):
        """``grads`` is ∇C at ``lookahead(params, state)``."""
        grads, t, alpha = self._begin(grads, state)
        mu = self.momentum
        v = [mu * v - alpha * g for v, g in zip(state.v, grads)]          # v ← μ v − α ∇C(w_ahead)
        if self.form == "lookahead":
            steps = list(v)                                                # w ← w + v
        else:
            steps = [mu * v - alpha * g for v, g in zip(v, grads)]         # w̃ ← w̃ + μ v − α ∇C(w̃)
        return steps, State(t, state.like, v=_frozen(v))


def nesterov_change_of_variable(w, v, momentum: float):
    """w̃ = w + μ v: the practical form's parameters from the look-ahead form's w and v."""
    mu = _rate(momentum, "momentum μ")
    if isinstance(w, np.ndarray):
        return w + mu * np.asarray(v)
    return [wk + mu * vk for wk, vk in zip(w, v)]


@dataclass(frozen=True)
class Adagrad(_Optimizer):
    """Adagrad (Duchi, Hazan & Singer 2011): each parameter's rate shrinks with its gradient history.

        s ← s + (∇C)²
        w ← w − α ∇C / (√s + ε)

    (source 002 calls the sum c). Derived in chapter *Adaptive methods: Adagrad, RMSprop, Adam*.
    """

    learning_rate: object = 0.01
    eps: float = 1e-8
    keeps = ("s",)

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))
        object.__setattr__(self, "eps", _positive(self.eps, "eps ε"))

    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        eps = self.eps
        s = [s + g * g for s, g in zip(state.s, grads)]                         # s ← s + (∇C)²
        steps = [-alpha * g / (np.sqrt(s) + eps) for g, s in zip(grads, s)]     # Δw = −α ∇C / (√s + ε)
        return steps, State(t, state.like, s=_frozen(s))


@dataclass(frozen=True)
class RMSprop(_Optimizer):
    """RMSprop (Tieleman & Hinton 2012): Adagrad with a moving average instead of a sum.

        s ← β s + (1 − β)(∇C)²
        w ← w − α ∇C / (√s + ε)

    (source 002 writes γ for β and c for s). Derived in chapter *Adaptive methods: Adagrad, RMSprop, Adam*.
    """

    learning_rate: object = 0.001
    beta: float = 0.9
    eps: float = 1e-8
    keeps = ("s",)

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))
        object.__setattr__(self, "beta", _rate(self.beta, "beta β"))
        object.__setattr__(self, "eps", _positive(self.eps, "eps ε"))

    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        beta, eps = self.beta, self.eps
        s = [beta * s + (1 - beta) * g * g for s, g in zip(state.s, grads)]    # s ← β s + (1 − β)(∇C)²
        steps = [-alpha * g / (np.sqrt(s) + eps) for g, s in zip(grads, s)]     # Δw = −α ∇C / (√s + ε)
        return steps, State(t, state.like, s=_frozen(s))


@dataclass(frozen=True)
class Adam(_Optimizer):
    """Adam: momentum on the gradient and RMSprop's scaling together.

        v ← β₁ v + (1 − β₁) ∇C
        s ← β₂ s + (1 − β₂)(∇C)²
        w ← w − α v / (√s + ε)

    as source 002 writes it (it calls v, s m, v), with ``bias_correction=False``. Kingma & Ba (2015)
    publish it with bias correction (the default, as in every library): v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ) and
    w ← w − α v̂ / (√ŝ + ε), which undoes the averages' pull towards their zero start; its first step
    is α ∇C/(|∇C| + ε) ≈ α sign(∇C). Without it the first step is (1 − β₁)/√(1 − β₂) times that
    (about 3.2 with the defaults). Derived in chapter *Adaptive methods: Adagrad, RMSprop, Adam*.
    """

    learning_rate: object = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    bias_correction: bool = True
    keeps = ("v", "s")

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))
        object.__setattr__(self, "beta1", _rate(self.beta1, "beta1 β₁"))
        object.__setattr__(self, "beta2", _rate(self.beta2, "beta2 β₂"))
        object.__setattr__(self, "eps", _positive(self.eps, "eps ε"))
        if not isinstance(self.bias_correction, (bool, np.bool_)):
            raise ValueError(f"bias_correction must be True or False, got {self.bias_correction!r}")

    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        beta1, beta2, eps = self.beta1, self.beta2, self.eps
        v = [beta1 * v + (1 - beta1) * g for v, g in zip(state.v, grads)]         # v ← β₁ v + (1 − β₁) ∇C
        s = [beta2 * s + (1 - beta2) * g * g for s, g in zip(state.s, grads)]     # s ← β₂ s + (1 − β₂)(∇C)²
        v_hat, s_hat = v, s
        if self.bias_correction:
            v_hat = [v / (1 - beta1 ** t) for v in v]                              # v̂ = v / (1 − β₁ᵗ)
            s_hat = [s / (1 - beta2 ** t) for s in s]                              # ŝ = s / (1 − β₂ᵗ)
        steps = [-alpha * v / (np.sqrt(s) + eps) for v, s in zip(v_hat, s_hat)]   # Δw = −α v̂ / (√ŝ + ε)
        return steps, State(t, state.like, v=_frozen(v), s=_frozen(s))


def newton_step(grad, hessian) -> np.ndarray:
    """Newton's step Δw = −H⁻¹ ∇C, from the second-order Taylor expansion of C around w.

    ``grad`` has shape (n,) and ``hessian`` (n, n); meant for the 2-D surfaces of
    ``nnmath.surfaces``. On a quadratic it lands on the stationary point in one step, whether that
    is a minimum or a saddle. For a network it is out of reach: H has P² entries for P weights and
    solving with it costs about P³ operations. Derived in chapter *Second-order methods*.
    """
    g = np.asarray(grad, dtype=float)
    H = np.asarray(hessian, dtype=float)
    if g.ndim != 1:
        raise ValueError(f"grad must be a vector of shape (n,), got shape {g.shape}")
    if H.shape != (g.size, g.size):
        raise ValueError(f"hessian has shape {H.shape}, expected {(g.size, g.size)} for a gradient of {g.size}")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(H))):
        raise ValueError("grad and hessian must be finite")
    try:
        return -np.linalg.solve(H, g)                     # Δw = −H⁻¹ ∇C
    except np.linalg.LinAlgError:
        raise ValueError(f"the hessian is singular, Newton's step is undefined: {H.tolist()}") from None


@dataclass(frozen=True)
class Newton(_Optimizer):
    """Newton's method: w ← w − α H(w)⁻¹ ∇C (α = 1 is the pure method).

    ``hessian`` is a function of the point w returning H(w); the parameters must be a single
    vector (one array of shape (n,)), as for the 2-D surfaces. Out of reach for networks (see
    ``newton_step``). Derived in chapter *Second-order methods*.
    """

    hessian: Callable = None
    learning_rate: object = 1.0

    def __post_init__(self):
        if not callable(self.hessian):
            raise ValueError("hessian must be a function of the point w returning its Hessian H(w)")
        object.__setattr__(self, "learning_rate", _learning_rate(self.learning_rate))

    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        if params is None or len(grads) != 1:
            raise ValueError("Newton needs params=[w], a single vector, to evaluate the Hessian at")
        (w,), (g,) = _check_like(params, state.like, "params"), grads
        step = alpha * newton_step(g, self.hessian(w))   # Δw = −α H⁻¹ ∇C
        return [step.astype(w.dtype)], State(t, state.like)


METHODS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": Adagrad,
           "rmsprop": RMSprop, "adam": Adam, "newton": Newton}


# -- running a method -----------------------------------------------------------------------------
def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _float_copy(value) -> np.ndarray:
    array = np.array(value)
    if array.dtype.kind not in "fiub":
        raise ValueError(f"w0 must be numeric, got dtype {array.dtype}")
    return array if array.dtype.kind == "f" else array.astype(float)


def trajectory(optimizer, gradient, w0, steps: int, *, cost=None, in_place: bool = False):
    """Run ``optimizer`` for ``steps`` steps from ``w0``; return the iterates w_0, w_1, …, w_steps.

    ``w0`` is a number, one point (an array, or a tuple of numbers such as ``(2.2, 1.0)``), or a
    list of numpy arrays (a network's parameters);
    ``gradient(w)`` returns ∇C at ``w`` in the same form (a number, an array, a list). It is called
    at ``optimizer.lookahead(...)``, so Nesterov's look-ahead form gets its gradient at w + μ v.

    Returns an array of shape ``(steps + 1,) + w0's shape`` (a list of such arrays for a list
    ``w0``). With ``cost`` (a function of w), returns ``(iterates, costs)`` with the costs at every
    iterate, shape ``(steps + 1,)``.

    ``w0`` is copied unless ``in_place=True`` and it is a list of arrays (then they are the
    parameters that move, e.g. ``net.parameters()``). A step that would make an iterate non-finite
    raises ``ValueError`` naming the step and the parameter.
    """
    steps = int(steps) if isinstance(steps, (int, np.integer)) and not isinstance(steps, bool) else steps
    if not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an integer ≥ 0, got {steps!r}")
    if not callable(gradient):
        raise ValueError("gradient must be a function of w returning ∇C(w)")
    if cost is not None and not callable(cost):
        raise ValueError("cost must be a function of w returning C(w)")

    # a list of arrays is a model's parameters; a number, an array or a list of numbers is one point
    is_list = isinstance(w0, (list, tuple)) and len(w0) > 0 and all(isinstance(p, np.ndarray) for p in w0)
    if is_list:
        params = [p if in_place else _float_copy(p) for p in w0]
        for k, p in enumerate(params):
            if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
                raise ValueError(f"w0[{k}] must be a floating array to be updated in place")
    else:
        params = [_float_copy(w0)]
    if not all(np.all(np.isfinite(p)) for p in params):
        raise ValueError("w0 must be finite")

    def as_given(arrays):  # what gradient and cost see: the form w0 came in, read-only
        views = [_read_only(a) for a in arrays]
        return views if is_list else views[0]

    def as_list(g):
        g = list(g) if is_list else [g]
        if is_list and len(g) != len(params):
            raise ValueError(f"gradient returned {len(g)} arrays but w0 has {len(params)}")
        return [gk if isinstance(gk, np.ndarray) else np.asarray(gk, dtype=p.dtype) for gk, p in zip(g, params)]

    state = optimizer.init(params)
    path = [[p.copy() for p in params]]
    costs = [float(cost(as_given(params)))] if cost is not None else None
    for _ in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported below
            grads = as_list(gradient(as_given(optimizer.lookahead(params, state))))
        for k, g in enumerate(grads):
            if not np.all(np.isfinite(g)):
                raise ValueError(f"at step t = {state.t + 1}, the gradient of parameter {k} is non-finite "
                                 "(the iterates are diverging; try a smaller learning rate)")
        state = optimizer.step(params, grads, state)
        path.append([p.copy() for p in params])
        if costs is not None:
            costs.append(float(cost(as_given(params))))

    iterates = [np.stack([w[k] for w in path]) for k in range(len(params))]
    iterates = iterates if is_list else iterates[0]
    return (iterates, np.array(costs)) if cost is not None else iterates


def minibatches(x, t, batch_size: int, seed=None, epochs: int | None = None) -> Iterator[tuple]:
    """Yield ``(x_B, t_B)`` batches of ``batch_size`` columns (examples are columns).

    Each epoch deals the examples out in a fresh random order drawn from ``seed`` (an int or a
    ``numpy.random.Generator``), so every example is used once per epoch; the last batch of an
    epoch holds what is left. ``epochs=None`` goes on for ever (take what you need with
    ``next`` or ``itertools.islice``). ``batch_size`` equal to the number of examples is
    full-batch gradient descent, 1 is stochastic gradient descent.
    """
    x, t = np.asarray(x), np.asarray(t)
    if x.ndim != 2 or t.ndim != 2:
        raise ValueError(f"x and t must be 2-D (one column per example), got shapes {x.shape} and {t.shape}")
    n = x.shape[1]
    if t.shape[1] != n:
        raise ValueError(f"x has {n} examples (columns) but t has {t.shape[1]}")
    batch_size = _count(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size {batch_size} is larger than the {n} examples")
    if epochs is not None:
        epochs = _count(epochs, "epochs")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    def generate():
        epoch = 0
        while epochs is None or epoch < epochs:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                columns = order[start:start + batch_size]
                yield x[:, columns], t[:, columns]
            epoch += 1

    return generate()
