"""sympy versions of the network, for exact derivatives to check the numeric ones against.

Imports sympy, so ``import nnmath`` does not import this module; import it explicitly.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["ACTIVATIONS", "LOSSES", "exact", "forward", "parameter_symbols", "exact_gradients"]

ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + sp.exp(-z)),
    "tanh": sp.tanh,
    "identity": lambda z: z,
}
LOSSES = {
    "half_squared_error": lambda a, t: sum((ai - ti) ** 2 for ai, ti in zip(a, t)) / 2,
}


def exact(value) -> sp.Rational:
    """The rational number a float was typed as: 0.15 → 3/20 (via its shortest repr)."""
    return sp.Rational(repr(float(value)))


def parameter_symbols(sizes):
    """Symbol matrices W^l (n_l × n_{l-1}) and b^l (n_l × 1) for l = 1..L, named like ``W2_01``."""
    W = [sp.Matrix(sizes[l], sizes[l - 1], lambda j, k: sp.Symbol(f"W{l}_{j}{k}", real=True))
         for l in range(1, len(sizes))]
    b = [sp.Matrix(sizes[l], 1, lambda j, _: sp.Symbol(f"b{l}_{j}", real=True)) for l in range(1, len(sizes))]
    return W, b


def forward(W, b, x, activations):
    """Symbolic a^L for sympy matrices ``W``, ``b`` (lists, layer 1 first) and column ``x``."""
    a = sp.Matrix(x)
    for Wl, bl, name in zip(W, b, activations):
        f = _activation(name)
        a = (Wl * a + bl).applyfunc(f)
    return a


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown symbolic activation {name!r}; known: {', '.join(sorted(ACTIVATIONS))}")
    return ACTIVATIONS[name]


def exact_gradients(network, x, t, digits: int = 30):
    """∂C/∂W^l and ∂C/∂b^l of a numeric ``nnmath.Network`` at one example, by sympy.

    Parameters, input and target are turned into exact rationals, the cost is differentiated
    symbolically and each derivative evaluated to ``digits`` significant digits. Returns
    ``(grad_W, grad_b)``: lists (layer 1 first) of sympy Float matrices.
    """
    loss_name = network.loss.name
    if loss_name not in LOSSES or network.loss.reduction != "sum":
        raise ValueError(f"exact_gradients supports {sorted(LOSSES)} with reduction='sum', "
                         f"got {loss_name} ({network.loss.reduction})")
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    if x.shape != (network.sizes[0], 1) or t.shape != (network.sizes[-1], 1):
        raise ValueError(f"exact_gradients takes one example: x {(network.sizes[0], 1)}, "
                         f"t {(network.sizes[-1], 1)}; got x {x.shape}, t {t.shape}")
    W, b = parameter_symbols(network.sizes)
    output = forward(W, b, sp.Matrix([exact(v) for v in x[:, 0]]), [f.name for f in network.f])
    cost = LOSSES[loss_name](list(output), [exact(v) for v in t[:, 0]])
    values = {}
    for l in range(1, network.L + 1):
        values.update({W[l - 1][j, k]: exact(network.W[l][j, k]) for j in range(W[l - 1].rows) for k in range(W[l - 1].cols)})
        values.update({b[l - 1][j, 0]: exact(network.b[l][j, 0]) for j in range(b[l - 1].rows)})

    def derivative(symbol):
        return sp.N(sp.diff(cost, symbol).subs(values), digits)

    grad_W = [sp.Matrix(Wl.rows, Wl.cols, [derivative(w) for w in Wl]) for Wl in W]
    grad_b = [sp.Matrix(bl.rows, 1, [derivative(v) for v in bl]) for bl in b]
    return grad_W, grad_b
