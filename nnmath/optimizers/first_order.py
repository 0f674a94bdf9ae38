"""The first-order methods: each ``update`` is the book's rule, one commented line per equation.

SGD, Momentum (heavy ball), Nesterov (look-ahead and practical forms), Adagrad, RMSprop, Adam.
Bibliography keys (references.bib) name where each rule comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import as_flag, as_positive_number, as_rate, match_like
from .base import Optimizer, State, checked_update, frozen
from .schedules import as_learning_rate

__all__ = [
    "SGD",
    "Momentum",
    "Nesterov",
    "Adagrad",
    "RMSprop",
    "Adam",
    "nesterov_change_of_variable",
]


@dataclass(frozen=True)
class SGD(Optimizer):
    """Gradient descent: w ← w − α ∇C.

    Full-batch gradient descent when ∇C is the gradient over the whole data set, stochastic or
    minibatch gradient descent when it is the gradient over a batch (see ``minibatches``).
    Derived in chapter *Learning as descent* and chapter *Stochastic and minibatch gradient descent*.
    ``Network.gradient_step`` is this method.
    """

    learning_rate: object = 0.01

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))

    @checked_update
    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        steps = [-alpha * g for g in grads]  # Δw = −α ∇C
        return steps, State(t, state.like)


@dataclass(frozen=True)
class Momentum(Optimizer):
    """Momentum, the heavy ball (``polyak1964``): v ← μ v − α ∇C, then w ← w + v.

    With μ = 0 it is ``SGD``. Derived in chapter *Momentum*.

    Gramicelli's article (``gramicelli2021``) ends by adding "some 'history' to create gradient
    descent": a term s, "the optimiser to be added to the weight", built from the learning rate
    (its "lambda", our α) and the gradient g. Its formula is lost and it names no momentum
    coefficient, so reading it as this method (s = v: s ← μ s − α g, w ← w + s) is a
    reconstruction, not the source's formula.
    """

    learning_rate: object = 0.01
    momentum: float = 0.9
    keeps = ("v",)

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))
        object.__setattr__(self, "momentum", as_rate(self.momentum, "momentum μ"))

    @checked_update
    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        mu = self.momentum
        v = [mu * v - alpha * g for v, g in zip(state.v, grads)]  # v ← μ v − α ∇C
        return list(v), State(t, state.like, v=frozen(v))  # w ← w + v


@dataclass(frozen=True)
class Nesterov(Optimizer):
    """Nesterov momentum (``nesterov1983``). Derived in chapter *Nesterov's momentum*.

    ``form="lookahead"`` is the form of the lecture notes ``backpropnotes``: the gradient is taken
    at the point the momentum is about to carry us to, w + μ v (ask ``lookahead(params, state)``
    for it)::

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
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))
        object.__setattr__(self, "momentum", as_rate(self.momentum, "momentum μ"))
        if not isinstance(self.form, str):
            raise TypeError(
                f"form must be a string, one of {', '.join(self.FORMS)}; got {self.form!r}"
            )
        if self.form not in self.FORMS:
            raise ValueError(f"unknown form {self.form!r}; known: {', '.join(self.FORMS)}")

    def lookahead(self, params, state: State) -> list[np.ndarray]:
        """w + μ v in the look-ahead form (where its gradient is taken); w itself in the practical form."""
        if self.form == "practical":
            return list(params)
        self._check_state(state)
        params = match_like(params, state.like, "params")
        return [w + self.momentum * v for w, v in zip(params, state.v)]  # w_ahead = w + μ v

    @checked_update
    def update(self, grads, state: State, params=None):
        """``grads`` is ∇C at ``lookahead(params, state)``."""
        grads, t, alpha = self._begin(grads, state)
        mu = self.momentum
        v = [mu * v - alpha * g for v, g in zip(state.v, grads)]  # v ← μ v − α ∇C(w_ahead)
        if self.form == "lookahead":
            steps = list(v)  # w ← w + v
        else:
            steps = [mu * v - alpha * g for v, g in zip(v, grads)]  # w̃ ← w̃ + μ v − α ∇C(w̃)
        return steps, State(t, state.like, v=frozen(v))


def nesterov_change_of_variable(w, v, momentum: float):
    """w̃ = w + μ v: the practical form's parameters from the look-ahead form's w and v."""
    mu = as_rate(momentum, "momentum μ")
    if isinstance(w, np.ndarray):
        return w + mu * np.asarray(v)
    return [wk + mu * vk for wk, vk in zip(w, v)]


@dataclass(frozen=True)
class Adagrad(Optimizer):
    """Adagrad (``duchi2011``): each parameter's rate shrinks with its gradient history.

        s ← s + (∇C)²
        w ← w − α ∇C / (√s + ε)

    (the notes ``backpropnotes`` call the sum c). Derived in chapter *Adagrad and RMSprop*.
    """

    learning_rate: object = 0.01
    eps: float = 1e-8
    keeps = ("s",)

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))
        object.__setattr__(self, "eps", as_positive_number(self.eps, "eps ε"))

    @checked_update
    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        eps = self.eps
        s = [s + g * g for s, g in zip(state.s, grads)]  # s ← s + (∇C)²
        steps = [-alpha * g / (np.sqrt(s) + eps) for g, s in zip(grads, s)]  # Δw = −α ∇C / (√s + ε)
        return steps, State(t, state.like, s=frozen(s))


@dataclass(frozen=True)
class RMSprop(Optimizer):
    """RMSprop (``tieleman2012``): Adagrad with a moving average instead of a sum.

        s ← β s + (1 − β)(∇C)²
        w ← w − α ∇C / (√s + ε)

    (``backpropnotes`` writes γ for β and c for s). Derived in chapter *Adagrad and RMSprop*.
    """

    learning_rate: object = 0.001
    beta: float = 0.9
    eps: float = 1e-8
    keeps = ("s",)

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))
        object.__setattr__(self, "beta", as_rate(self.beta, "beta β"))
        object.__setattr__(self, "eps", as_positive_number(self.eps, "eps ε"))

    @checked_update
    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        beta, eps = self.beta, self.eps
        s = [
            beta * s + (1 - beta) * g * g for s, g in zip(state.s, grads)
        ]  # s ← β s + (1 − β)(∇C)²
        steps = [-alpha * g / (np.sqrt(s) + eps) for g, s in zip(grads, s)]  # Δw = −α ∇C / (√s + ε)
        return steps, State(t, state.like, s=frozen(s))


@dataclass(frozen=True)
class Adam(Optimizer):
    """Adam: momentum on the gradient and RMSprop's scaling together.

        v ← β₁ v + (1 − β₁) ∇C
        s ← β₂ s + (1 − β₂)(∇C)²
        w ← w − α v / (√s + ε)

    as the notes ``backpropnotes`` write it (they call v, s m, v), with ``bias_correction=False``.
    Kingma & Ba (``kingma2015``) publish it with bias correction (the default, as in every
    library): v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ) and w ← w − α v̂ / (√ŝ + ε), which undoes the
    averages' pull towards their zero start; its first step is α ∇C/(|∇C| + ε) ≈ α sign(∇C).
    Without it the first step is (1 − β₁)/√(1 − β₂) times that (about 3.2 with the defaults).
    Derived in chapter *Adam*.
    """

    learning_rate: object = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    bias_correction: bool = True
    keeps = ("v", "s")

    def __post_init__(self):
        object.__setattr__(self, "learning_rate", as_learning_rate(self.learning_rate))
        object.__setattr__(self, "beta1", as_rate(self.beta1, "beta1 β₁"))
        object.__setattr__(self, "beta2", as_rate(self.beta2, "beta2 β₂"))
        object.__setattr__(self, "eps", as_positive_number(self.eps, "eps ε"))
        object.__setattr__(
            self, "bias_correction", as_flag(self.bias_correction, "bias_correction")
        )

    @checked_update
    def update(self, grads, state: State, params=None):
        grads, t, alpha = self._begin(grads, state)
        beta1, beta2, eps = self.beta1, self.beta2, self.eps
        v = [beta1 * v + (1 - beta1) * g for v, g in zip(state.v, grads)]  # v ← β₁ v + (1 − β₁) ∇C
        s = [
            beta2 * s + (1 - beta2) * g * g for s, g in zip(state.s, grads)
        ]  # s ← β₂ s + (1 − β₂)(∇C)²
        v_hat, s_hat = v, s
        if self.bias_correction:
            v_hat = [v / (1 - beta1**t) for v in v]  # v̂ = v / (1 − β₁ᵗ)
            s_hat = [s / (1 - beta2**t) for s in s]  # ŝ = s / (1 − β₂ᵗ)
        steps = [
            -alpha * v / (np.sqrt(s) + eps) for v, s in zip(v_hat, s_hat)
        ]  # Δw = −α v̂ / (√ŝ + ε)
        return steps, State(t, state.like, v=frozen(v), s=frozen(s))
