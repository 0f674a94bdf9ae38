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

The package: ``base`` (the state, ``init``/``step``, the checks of ``update``, ``apply``),
``first_order`` (the methods), ``schedules``, ``second_order`` (Newton, also used by
``nnmath.surfaces``) and ``running`` (``trajectory``, ``minibatches``).

Chapters deriving the rules: *Stochastic and minibatch gradient descent* (book/sgd.md),
*Momentum* (book/momentum.md), *Nesterov's momentum* (book/nesterov.md), *Adagrad and
RMSprop* (book/adaptive.md), *Adam* (book/adam.md), *Second-order methods* (book/newton.md).
"""

from __future__ import annotations

# Each module's __all__ is the one list of its public names; the package exports them all.
from . import base, first_order, running, schedules, second_order
from .base import *  # noqa: F403
from .first_order import *  # noqa: F403
from .running import *  # noqa: F403
from .schedules import *  # noqa: F403
from .second_order import *  # noqa: F403

METHODS = {
    "sgd": first_order.SGD,
    "momentum": first_order.Momentum,
    "nesterov": first_order.Nesterov,
    "adagrad": first_order.Adagrad,
    "rmsprop": first_order.RMSprop,
    "adam": first_order.Adam,
    "newton": second_order.Newton,
}

__all__ = [
    *base.__all__,
    *first_order.__all__,
    *schedules.__all__,
    *second_order.__all__,
    *running.__all__,
    "METHODS",
]
