"""sympy versions of the network, for exact derivatives to check the numeric ones against.

Imports sympy, so ``import nnmath`` does not import this module; import it explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = [
    "ACTIVATIONS",
    "exact",
    "parameter_symbols",
    "exact_gradients",
    "Equality",
    "equal",
    "SymbolicNetwork",
]

ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + sp.exp(-z)),
    "tanh": sp.tanh,
    "identity": lambda z: z,
}


def exact(value) -> sp.Rational:
    """The rational number a float was typed as: 0.15 → 3/20 (via its shortest repr)."""
    return sp.Rational(repr(float(value)))


def parameter_symbols(sizes):
    """Symbol matrices W^l (n_l × n_{l-1}) and b^l (n_l × 1) for l = 1..L, named like ``W2_01``."""
    W = [
        sp.Matrix(sizes[l], sizes[l - 1], lambda j, k: sp.Symbol(f"W{l}_{j}{k}", real=True))
        for l in range(1, len(sizes))
    ]
    b = [
        sp.Matrix(sizes[l], 1, lambda j, _: sp.Symbol(f"b{l}_{j}", real=True))
        for l in range(1, len(sizes))
    ]
    return W, b


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(
            f"unknown symbolic activation {name!r}; known: {', '.join(sorted(ACTIVATIONS))}"
        )
    return ACTIVATIONS[name]


def exact_gradients(network, x, t, digits: int = 30):
    """∂C/∂W^l and ∂C/∂b^l of a numeric ``nnmath.Network`` at one example, by sympy.

    The network is rebuilt from symbols (``SymbolicNetwork``); its parameters, input and target
    are replaced by the exact rationals they were typed as, the cost is differentiated
    symbolically and each derivative evaluated to ``digits`` significant digits. Returns
    ``(grad_W, grad_b)``: lists (layer 1 first) of sympy Float matrices.
    """
    if network.loss.name != "half_squared_error" or network.loss.reduction != "sum":
        raise ValueError(
            "exact_gradients supports half_squared_error with reduction='sum', "
            f"got {network.loss.name} ({network.loss.reduction})"
        )
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    if x.shape != (network.sizes[0], 1) or t.shape != (network.sizes[-1], 1):
        raise ValueError(
            f"exact_gradients takes one example: x {(network.sizes[0], 1)}, "
            f"t {(network.sizes[-1], 1)}; got x {x.shape}, t {t.shape}"
        )
    symbolic = SymbolicNetwork(network.sizes, [f.name for f in network.f])
    values = {s: exact(v) for s, v in zip(symbolic.x, x[:, 0])}
    values.update({s: exact(v) for s, v in zip(symbolic.t, t[:, 0])})
    for l in range(1, network.L + 1):
        values.update({s: exact(v) for s, v in zip(symbolic.W[l], network.W[l].ravel())})
        values.update({s: exact(v) for s, v in zip(symbolic.b[l], network.b[l].ravel())})

    grad_W, grad_b = symbolic.direct_gradients()
    return (
        [g.subs(values).evalf(digits) for g in grad_W[1:]],
        [g.subs(values).evalf(digits) for g in grad_b[1:]],
    )


# -- deciding equality ------------------------------------------------------------------------
@dataclass
class Equality:
    """Whether two expressions are equal, and how that was decided."""

    equal: bool
    method: str  # "simplify" (proved) or "numeric" (agreed at random points)
    detail: str = ""

    def __bool__(self):
        return self.equal


def equal(
    left,
    right,
    *,
    points: int = 8,
    seed: int = 0,
    tolerance: float = 1e-10,
    max_ops_to_simplify: int = 40,
) -> Equality:
    """Are ``left`` and ``right`` (expressions or matrices) equal?

    First ``simplify(left − right) == 0``: a proof. If that does not settle it, or the
    difference is too large for ``simplify`` to finish quickly (more than
    ``max_ops_to_simplify`` operations), both sides are evaluated in float64 at ``points``
    random points in [−1.5, 1.5]: agreement to ``tolerance`` there is strong evidence, and
    the result says ``method="numeric"``. A difference that ``simplify`` leaves non-zero and
    that holds undefined functions (``sp.Function("f")``) cannot be evaluated: ValueError.
    """
    left, right = sp.sympify(left), sp.sympify(right)
    if getattr(left, "shape", ()) != getattr(right, "shape", ()):
        raise ValueError(
            f"shapes differ: {getattr(left, 'shape', ())} and {getattr(right, 'shape', ())}"
        )
    difference = left - right
    is_zero = (lambda e: e.is_zero_matrix) if hasattr(difference, "shape") else (lambda e: e == 0)
    if is_zero(difference) or (
        sp.count_ops(difference) <= max_ops_to_simplify and is_zero(sp.simplify(difference))
    ):
        return Equality(True, "simplify")
    unevaluable = difference.atoms(AppliedUndef, sp.Derivative, sp.Subs)
    if unevaluable:
        names = ", ".join(sorted(map(str, unevaluable))[:3])
        raise ValueError(
            f"cannot decide: simplify did not reduce the difference to zero, and it contains "
            f"undefined functions or unevaluated derivatives ({names}), which cannot be evaluated "
            f"at random points; the identity is false or needs a stronger simplification"
        )
    symbols = sorted(difference.free_symbols | getattr(left, "free_symbols", set()), key=str)
    evaluate = sp.lambdify(symbols, [left, right], "numpy")
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(points):
        lhs, rhs = (
            np.asarray(v, dtype=complex) for v in evaluate(*rng.uniform(-1.5, 1.5, len(symbols)))
        )
        worst = max(worst, float(np.max(np.abs(lhs - rhs) / np.maximum(1.0, np.abs(lhs)))))
    return Equality(
        worst <= tolerance, "numeric", f"largest relative gap {worst:.1e} at {points} random points"
    )


# -- a network made of symbols ----------------------------------------------------------------
class SymbolicNetwork:
    """A fully connected network whose weights, biases, input and target are sympy symbols.

    ``z[l]``, ``a[l]`` are the forward expressions (``a[0]`` is the input), ``cost`` the half
    squared error, and two ways to the gradient are offered for comparison:
    ``direct_gradients()`` differentiates ``cost`` by each parameter;
    ``backprop_gradients()`` runs the four backprop equations on the symbolic matrices.
    Lists are indexed by layer like ``nnmath.Network`` (index 0 unused for W, b, z, δ).
    """

    def __init__(self, sizes, activations="sigmoid"):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least two layer sizes, got {sizes}")
        L = len(sizes) - 1
        names = [activations] * L if isinstance(activations, str) else list(activations)
        if len(names) != L:
            raise ValueError(f"activations has {len(names)} entries, expected {L}")
        self.sizes, self.L = sizes, L
        self.f = [None] + [_activation(n) for n in names]
        W, b = parameter_symbols(sizes)
        self.W, self.b = [None, *W], [None, *b]
        self.x = sp.Matrix(sizes[0], 1, lambda j, _: sp.Symbol(f"x_{j}", real=True))
        self.t = sp.Matrix(sizes[-1], 1, lambda j, _: sp.Symbol(f"t_{j}", real=True))
        self.z, self.a = [None], [self.x]
        for l in range(1, L + 1):
            self.z.append(self.W[l] * self.a[l - 1] + self.b[l])
            self.a.append(self.z[l].applyfunc(self.f[l]))
        self.cost = sum((self.a[L] - self.t).applyfunc(lambda e: e**2)) / 2

    def _f_prime(self, l):
        u = sp.Dummy("u")
        derivative = sp.diff(self.f[l](u), u)
        return self.z[l].applyfunc(lambda e: derivative.subs(u, e))

    def direct_gradients(self):
        """(∂C/∂W^l, ∂C/∂b^l) for each l, by differentiating the cost directly."""
        grad_W = [None] + [
            sp.Matrix(Wl.rows, Wl.cols, [sp.diff(self.cost, w) for w in Wl]) for Wl in self.W[1:]
        ]
        grad_b = [None] + [
            sp.Matrix(bl.rows, 1, [sp.diff(self.cost, v) for v in bl]) for bl in self.b[1:]
        ]
        return grad_W, grad_b

    def error_by_definition(self, l):
        """δ^l = ∂C/∂z^l from its definition: run the network on from fresh symbols in place of
        z^l, differentiate the cost by them, and put z^l back."""
        z_free = sp.Matrix(self.sizes[l], 1, lambda j, _: sp.Symbol(f"zeta_{j}", real=True))
        a = z_free.applyfunc(self.f[l])
        for k in range(l + 1, self.L + 1):
            a = (self.W[k] * a + self.b[k]).applyfunc(self.f[k])
        cost = sum((a - self.t).applyfunc(lambda e: e**2)) / 2
        gradient = sp.Matrix([sp.diff(cost, zj) for zj in z_free])
        return gradient.subs(dict(zip(z_free, self.z[l])))

    def backprop_gradients(self):
        """(δ^l, ∂C/∂W^l, ∂C/∂b^l) for each l, by the four backprop equations."""
        L, W, a = self.L, self.W, self.a
        delta = [None] * (L + 1)
        delta[L] = (a[L] - self.t).multiply_elementwise(self._f_prime(L))
        for l in range(L - 1, 0, -1):
            delta[l] = (W[l + 1].T * delta[l + 1]).multiply_elementwise(self._f_prime(l))
        grad_W = [None] + [delta[l] * a[l - 1].T for l in range(1, L + 1)]
        grad_b = [None] + [delta[l] for l in range(1, L + 1)]
        return delta, grad_W, grad_b
