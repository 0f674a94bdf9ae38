"""Training a network: one step of an optimizer, and ``fit``, the loop over epochs and batches.

``Network`` holds the structure, the parameters and the two passes; this module joins it to the
methods of ``nnmath.optimizers``. One step on a batch (x_B, t_B) is

    ∇C_B = backward(x_B, t_B)           (no ∇x: training never needs it)
    w    ← w + Δw,   Δw from the optimizer (−α ∇C_B for plain SGD)

and ``fit`` repeats it: every epoch deals the examples out in a fresh random order
(``nnmath.optimizers.minibatches``), one step per batch; ``batch_size=None`` takes the whole
data set as one batch every epoch (full-batch gradient descent, no shuffling needed). What a
chapter wants to record (the cost on the whole data, an accuracy, copies of the parameters) it
records in ``callback``, which ``fit`` calls before the first step and after every step with a
``Progress``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np

from ._validate import NonFiniteError
from .network import Network
from .optimizers import SGD, State, minibatches

__all__ = ["Progress", "History", "train_step", "fit"]


@dataclass(frozen=True)
class Progress:
    """Where training stands when ``fit`` calls its callback.

    ``fit`` calls its callback once before the first step and once after every step.
    ``step`` updates have been taken (0 before the first); ``epoch`` epochs are complete;
    ``cost`` is the batch cost C_B just before the latest step (``None`` at step 0);
    ``end_of_epoch`` is true at step 0 and after the last step of every epoch, so
    ``if progress.end_of_epoch: record()`` records once before training and once per epoch,
    and ``if progress.step % k == 0: record()`` once before training and every k steps.
    """

    net: Network
    epoch: int
    step: int
    cost: float | None
    end_of_epoch: bool
    state: State | None


@dataclass(frozen=True)
class History:
    """What ``fit`` did: the batch cost before every step, the counts, and the final state.

    ``diverged_in_epoch`` is the epoch in which a step was refused as non-finite (only with
    ``stop_on_overflow=True``), else ``None``.
    """

    costs: np.ndarray
    steps: int
    epochs: int
    state: State | None
    diverged_in_epoch: int | None = None


def train_step(net: Network, x, t, optimizer, state: State | None = None) -> tuple[float, State]:
    """One step of ``optimizer`` on the batch ``(x, t)``: returns (C_B before the step, new state).

    ``state=None`` starts the optimizer afresh. A step that would make a parameter non-finite
    raises ``NonFiniteError`` and changes nothing (as the optimizer and ``backward`` promise).
    """
    gradients = net.backward(x, t, input_gradient=False)  # ∇C_B
    if type(optimizer) is SGD and not callable(optimizer.learning_rate):
        # w ← w − α ∇C_B: SGD's own arithmetic, fused in place by the network (no Δw allocated)
        return gradients.cost, _sgd_step(net, gradients, optimizer, state)
    try:
        state = optimizer.step(net.parameters(), gradients.as_list(), state)  # w ← w + Δw
    except NonFiniteError as refused:
        raise _in_network_terms(refused, net) from None
    return gradients.cost, state


def _in_network_terms(refused: NonFiniteError, net: Network) -> NonFiniteError:
    """An optimizer's refusal, which can only say "parameter k", naming the network's W^l or b^l
    as the fused path does."""
    k = refused.parameter
    if k is None:
        return refused
    named = f"{net.parameter_names()[k]} (parameter {k})"
    message = str(refused).replace(f"parameter {k}", named, 1)
    return NonFiniteError(message, parameter=k)


def _sgd_step(net: Network, gradients, sgd: SGD, state: State | None) -> State:
    """``sgd.step`` through ``Network.gradient_step``: the same checks of the state, the same
    new values to the last bit, the same refusals, and the state ``sgd.step`` would return."""
    parameters = net.parameters()
    state = sgd.init(parameters) if state is None else state
    sgd.check_state(state, parameters)
    alpha = cast(float, sgd.learning_rate)  # a number: as_learning_rate made it a float
    net.gradient_step(gradients, alpha, at_step=state.t + 1)
    return State(state.t + 1, state.like, method="SGD")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def fit(
    net: Network,
    x,
    t,
    *,
    optimizer,
    epochs: int,
    batch_size: int | None = None,
    seed=None,
    callback: Callable[[Progress], object] | None = None,
    stop_on_overflow: bool = False,
) -> History:
    """Train ``net`` in place on the examples (columns) of ``x`` with targets ``t``.

    optimizer : a method of ``nnmath.optimizers`` (``SGD(0.5)``, ``Adam(1e-3)``, …).
    epochs : passes over the data.
    batch_size : examples per step; ``None`` is the full batch (one step per epoch, the columns
        in their given order). An integer deals them out in a fresh random order every epoch,
        drawn from ``seed`` (``minibatches``); the last batch of an epoch holds what is left.
    callback : called with a ``Progress`` before the first step and after every step
        (what it returns is ignored).
    stop_on_overflow : if a step is refused as non-finite (too large a learning rate), stop and
        say when in ``History.diverged_in_epoch`` instead of raising ``NonFiniteError``.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a nnmath Network, got {type(net).__name__}")
    if not (
        callable(getattr(optimizer, "step", None)) and callable(getattr(optimizer, "init", None))
    ):
        raise TypeError(
            f"optimizer must be a method of nnmath.optimizers (SGD, Adam, …), "
            f"got {type(optimizer).__name__} {optimizer!r}"
        )
    epochs = _positive_int(epochs, "epochs")
    if batch_size is not None:
        batch_size = _positive_int(batch_size, "batch_size")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function of a Progress, got {type(callback).__name__}")
    if batch_size is None:  # the whole data set every epoch; backward checks x and t
        per_epoch, stream = 1, iter(lambda: (x, t), None)
    else:  # minibatches checks the shapes, and batch_size against the number of examples
        stream = minibatches(x, t, batch_size, seed=seed, epochs=epochs)
        per_epoch = -(-np.shape(x)[1] // batch_size)

    state, step = None, 0
    costs: list[float] = []
    if callback is not None:
        callback(Progress(net, 0, 0, None, True, state))
    for epoch in range(1, epochs + 1):
        for k in range(1, per_epoch + 1):
            x_B, t_B = next(stream)
            try:
                cost, state = train_step(net, x_B, t_B, optimizer, state)
            except NonFiniteError:  # the refused step changed nothing
                if not stop_on_overflow:
                    raise
                return History(np.array(costs), step, epoch - 1, state, diverged_in_epoch=epoch)
            costs.append(cost)
            step += 1
            if callback is not None:
                last = k == per_epoch
                callback(Progress(net, epoch if last else epoch - 1, step, cost, last, state))
    return History(np.array(costs), step, epochs, state)
