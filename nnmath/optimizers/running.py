"""Running a method: ``trajectory`` (the iterates from a start) and ``minibatches`` (the batches).

Used by the chapters *Steepest descent*, *Stochastic and minibatch gradient descent*,
*Momentum*, *Nesterov's momentum*, *Adagrad and RMSprop*, *Adam* and *Second-order methods*.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .._validate import NonFiniteError, as_count, require_callable, require_finite
from .base import Optimizer

__all__ = ["trajectory", "minibatches"]


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _float_copy(value) -> np.ndarray:
    array = np.array(value)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"w0 must be numeric, got {type(value).__name__} of dtype {array.dtype}")
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
    raises ``NonFiniteError`` (a ``ValueError``) naming the step and the parameter.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be one of nnmath.optimizers' methods (SGD(0.1), ...), "
            f"got {type(optimizer).__name__}"
        )
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"steps must be an integer ≥ 0, got {type(steps).__name__} {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be an integer ≥ 0, got {steps!r}")
    steps = int(steps)
    require_callable(gradient, "gradient", "a function of w returning ∇C(w)")
    if cost is not None:
        require_callable(cost, "cost", "a function of w returning C(w)")

    # a list of arrays is a model's parameters; a number, an array or a list of numbers is one point
    is_list = (
        isinstance(w0, (list, tuple)) and len(w0) > 0 and all(isinstance(p, np.ndarray) for p in w0)
    )
    if is_list:
        params = [p if in_place else _float_copy(p) for p in w0]
        for k, p in enumerate(params):
            if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
                raise TypeError(f"w0[{k}] must be a floating array to be updated in place")
    else:
        params = [_float_copy(w0)]
    for k, p in enumerate(params):
        require_finite(p, f"w0[{k}]" if is_list else "w0", NonFiniteError)

    def as_given(arrays):  # what gradient and cost see: the form w0 came in, read-only
        views = [_read_only(a) for a in arrays]
        return views if is_list else views[0]

    def as_list(g):
        g = list(g) if is_list else [g]
        if is_list and len(g) != len(params):
            raise ValueError(f"gradient returned {len(g)} arrays but w0 has {len(params)}")
        return [
            gk if isinstance(gk, np.ndarray) else np.asarray(gk, dtype=p.dtype)
            for gk, p in zip(g, params)
        ]

    state = optimizer.init(params)
    path = [[p.copy() for p in params]]
    costs = [float(cost(as_given(params)))] if cost is not None else None
    for _ in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported below
            grads = as_list(gradient(as_given(optimizer.lookahead(params, state))))
        for k, g in enumerate(grads):
            if not np.all(np.isfinite(g)):
                raise NonFiniteError(
                    f"at step t = {state.t + 1}, the gradient of parameter {k} is "
                    "non-finite (the iterates are diverging; try a smaller "
                    "learning rate)",
                    parameter=k,
                )
        state = optimizer.step(params, grads, state)
        path.append([p.copy() for p in params])
        if costs is not None:
            costs.append(float(cost(as_given(params))))

    per_parameter = [np.stack([w[k] for w in path]) for k in range(len(params))]
    iterates = per_parameter if is_list else per_parameter[0]
    return (iterates, np.array(costs)) if cost is not None else iterates


def minibatches(x, t, batch_size: int, seed=None, epochs: int | None = None) -> Iterator[tuple]:
    """Yield ``(x_B, t_B)`` batches of ``batch_size`` columns (examples are columns).

    Each epoch deals the examples out in a fresh random order drawn from ``seed`` (an int or a
    ``numpy.random.Generator``), so every example is used once per epoch; the last batch of an
    epoch holds what is left. ``epochs=None`` goes on for ever (take what you need with
    ``next`` or ``itertools.islice``). ``batch_size`` equal to the number of examples is
    full-batch gradient descent, 1 is stochastic gradient descent.
    """
    x, t = np.asarray(x), np.asarray(t)  # kept as they are (integer labels stay integers)
    for name, array in (("x", x), ("t", t)):
        if array.dtype.kind not in "fiub":
            raise TypeError(f"{name} must be numeric, got dtype {array.dtype}")
    if x.ndim != 2 or t.ndim != 2:
        raise ValueError(
            f"x and t must be 2-D (one column per example), got shapes {x.shape} and {t.shape}"
        )
    n = x.shape[1]
    if t.shape[1] != n:
        raise ValueError(f"x has {n} examples (columns) but t has {t.shape[1]}")
    batch_size = as_count(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size {batch_size} is larger than the {n} examples")
    if epochs is not None:
        epochs = as_count(epochs, "epochs")
    rng = np.random.default_rng(seed)  # an int, None or a Generator (then used as it is)

    def generate():
        epoch = 0
        while epochs is None or epoch < epochs:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                columns = order[start : start + batch_size]
                yield x[:, columns], t[:, columns]
            epoch += 1

    return generate()
