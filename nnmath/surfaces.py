"""Cost surfaces to run the optimizers on: value, gradient, Hessian and minimum of each.

A point is a vector ``w`` of shape ``(n,)`` (n = 2 for the plotted surfaces). ``value`` is
vectorised over trailing axes, so a grid evaluates in one call::

    bowl = ill_conditioned_bowl(condition=20)
    W1, W2, C = bowl.grid()                       # for ax.contour(W1, W2, C)
    path = trajectory(Momentum(0.05, 0.8), bowl.gradient, bowl.start, 50)

``gradient(w)`` is ∇C(w), shape ``(n,)``; ``hessian(w)`` is H(w), shape ``(n, n)``; ``minimum`` is
the minimiser w* (None where there is none, as on the saddle) and ``minimum_value`` is C(w*).
``window`` is a plotting window ``((w1_lo, w1_hi), (w2_lo, w2_hi))`` and ``start`` a starting point
the chapters use.

Surfaces: ``Quadratic`` (any Hessian; ``bowl``, ``ill_conditioned_bowl``, ``saddle``),
``Rosenbrock``, ``Beale``, and ``NetworkLoss``, the cost of an ``nnmath.Network`` on a data set as
a function of its parameters (``neuron_loss`` makes a two-parameter one that can be drawn).
"""

from __future__ import annotations

import copy
from functools import cached_property

import numpy as np

from . import datasets
from ._validate import as_count, as_positive_number, as_real_array, as_real_number, require_finite
from .network import Network
from .optimizers.second_order import newton_minimize

__all__ = [
    "Surface",
    "Quadratic",
    "Rosenbrock",
    "Beale",
    "NetworkLoss",
    "bowl",
    "ill_conditioned_bowl",
    "saddle",
    "neuron_loss",
]


class Surface:
    """A cost C(w) of an n-vector w. Subclasses define ``n``, ``_value``, ``gradient``, ``hessian``."""

    name = "surface"
    n = 2
    minimum: np.ndarray | None = None
    window = ((-2.0, 2.0), (-2.0, 2.0))
    start: np.ndarray | None = None

    def _point(self, w, vectorised=False) -> np.ndarray:
        w = as_real_array(w, f"{self.name}: the point w", float)
        if w.ndim == 0 or w.shape[0] != self.n or (not vectorised and w.ndim != 1):
            expected = f"({self.n},)" + (f" or ({self.n}, ...)" if vectorised else "")
            raise ValueError(f"{self.name}: a point must have shape {expected}, got {w.shape}")
        return w

    def value(self, w):
        """C(w) for w of shape (n,) (a float), or of shape (n, ...) (an array of the trailing shape)."""
        w = self._point(w, vectorised=True)
        c = self._value(w)
        return float(c) if w.ndim == 1 else c

    __call__ = value

    @property
    def minimum_value(self) -> float | None:
        return None if self.minimum is None else self.value(self.minimum)

    def grid(self, points: int = 200, window=None):
        """``(W1, W2, C)`` on a ``points × points`` grid over ``window`` (default ``self.window``)."""
        if self.n != 2:
            raise ValueError(
                f"{self.name} has {self.n} coordinates; grid() draws 2-D surfaces only"
            )
        points = as_count(points, "points")
        (lo1, hi1), (lo2, hi2) = self.window if window is None else window
        W1, W2 = np.meshgrid(np.linspace(lo1, hi1, points), np.linspace(lo2, hi2, points))
        return W1, W2, self.value(np.stack([W1, W2]))

    def __repr__(self):
        return f"<{type(self).__name__}: {self.name}>"


class Quadratic(Surface):
    """C(w) = ½ (w − c)ᵀ H (w − c) + C₀, for a symmetric Hessian H (n × n) and a centre c.

    ∇C = H (w − c) and the Hessian is H everywhere. The centre is the only stationary point: the
    minimum when H is positive definite, a saddle when H has eigenvalues of both signs (then
    ``minimum`` is None; ``center`` is still there).
    """

    def __init__(
        self,
        hessian,
        center=None,
        offset: float = 0.0,
        *,
        name="quadratic",
        window=None,
        start=None,
    ):
        H = as_real_array(hessian, "hessian", float).copy()
        if H.ndim != 2 or H.shape[0] != H.shape[1] or H.shape[0] < 1:
            raise ValueError(f"hessian must be a square matrix, got shape {H.shape}")
        require_finite(H, "hessian")
        if not np.allclose(H, H.T):
            raise ValueError(f"hessian must be symmetric, got {H.tolist()}")
        self.H, self.n, self.name = H, H.shape[0], name
        self.center = np.zeros(self.n) if center is None else self._point(center)
        if not np.isfinite(as_real_number(offset, "offset")):
            raise ValueError(f"offset must be finite, got {offset!r}")
        self.offset = float(offset)
        self.eigenvalues = np.linalg.eigvalsh(H)
        self.minimum = self.center.copy() if self.eigenvalues[0] > 0 else None
        if window is not None:
            self.window = window
        self.start = np.array(start, dtype=float) if start is not None else None

    @property
    def condition(self) -> float:
        """κ = λ_max / λ_min (of a positive definite H)."""
        lam_min, lam_max = self.eigenvalues[0], self.eigenvalues[-1]
        return float(lam_max / lam_min) if lam_min > 0 else float("inf")

    def _value(self, w):
        d = w - self.center.reshape((self.n,) + (1,) * (w.ndim - 1))
        return 0.5 * np.einsum("i...,ij,j...->...", d, self.H, d) + self.offset

    def gradient(self, w):
        return self.H @ (self._point(w) - self.center)

    def hessian(self, w=None):
        if w is not None:
            self._point(w)
        return self.H.copy()


def bowl(hessian=((2.0, 1.0), (1.0, 6.0)), center=None) -> Quadratic:
    """A quadratic bowl; by default C = w₁² + 3w₂² + w₁w₂ of chapter *Steepest descent*."""
    return Quadratic(
        hessian, center, name="bowl", window=((-2.6, 2.6), (-1.6, 1.6)), start=(2.2, 1.0)
    )


def ill_conditioned_bowl(
    condition: float = 20.0, smallest: float = 1.0, angle: float = 0.0
) -> Quadratic:
    """A bowl with eigenvalues ``smallest`` and ``smallest · condition`` (κ = condition), its axes
    turned by ``angle`` radians: a long narrow valley, where gradient descent zig-zags."""
    condition = as_real_number(condition, "condition")
    smallest = as_real_number(smallest, "smallest")
    angle = as_real_number(angle, "angle")
    if not (np.isfinite(condition) and condition >= 1):
        raise ValueError(f"condition must be a finite number ≥ 1, got {condition!r}")
    if not (np.isfinite(smallest) and smallest > 0):
        raise ValueError(f"smallest must be a positive finite number, got {smallest!r}")
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    H = R @ np.diag([smallest, smallest * condition]) @ R.T
    return Quadratic(
        (H + H.T) / 2,
        name=f"ill-conditioned bowl (κ = {condition:g})",
        window=((-3.0, 3.0), (-1.5, 1.5)),
        start=R @ np.array([-2.5, 1.0]),
    )


def saddle() -> Quadratic:
    """C = w₁² − w₂²: a saddle at the origin (no minimum; C falls without bound along w₂).
    Its start, (1, 10⁻³), sits almost on the ridge, where gradient descent stalls."""
    return Quadratic(
        np.diag([2.0, -2.0]),
        name="saddle w₁² − w₂²",
        window=((-1.5, 1.5), (-1.5, 1.5)),
        start=(1.0, 1e-3),
    )


class Rosenbrock(Surface):
    """C = (a − w₁)² + b (w₂ − w₁²)²: a curved, flat-bottomed valley; minimum (a, a²) where C = 0."""

    def __init__(self, a: float = 1.0, b: float = 100.0):
        a, b = as_real_number(a, "a"), as_real_number(b, "b")
        if not (np.isfinite(a) and np.isfinite(b) and b > 0):
            raise ValueError(f"Rosenbrock needs finite a and b > 0, got a={a!r}, b={b!r}")
        self.a, self.b = float(a), float(b)
        self.name = f"Rosenbrock (a = {a:g}, b = {b:g})"
        self.minimum = np.array([self.a, self.a**2])
        self.window = ((self.a - 3.0, self.a + 1.5), (self.a**2 - 2.0, self.a**2 + 3.0))
        self.start = np.array([self.a - 2.2, self.a**2])

    def _value(self, w):
        x, y = w
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def gradient(self, w):
        x, y = self._point(w)
        a, b = self.a, self.b
        return np.array([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)])

    def hessian(self, w):
        x, y = self._point(w)
        b = self.b
        return np.array([[2 - 4 * b * (y - x**2) + 8 * b * x**2, -4 * b * x], [-4 * b * x, 2 * b]])


class Beale(Surface):
    """C = Σ_{i=1}^{3} (c_i − w₁ + w₁ w₂^i)², c = (1.5, 2.25, 2.625): flat plateaus and steep
    ridges; minimum (3, 0.5) where C = 0."""

    name = "Beale"
    c = (1.5, 2.25, 2.625)

    def __init__(self):
        self.minimum = np.array([3.0, 0.5])
        self.window = ((-4.5, 4.5), (-4.5, 4.5))
        self.start = np.array([1.0, 1.5])

    def _terms(self, x, y):
        """u_i = c_i − x + x yⁱ with its first and second derivatives, i = 1, 2, 3."""
        for i, c in enumerate(self.c, start=1):
            u = c - x + x * y**i
            du = np.array([y**i - 1, i * x * y ** (i - 1)])
            d2u = np.array(
                [[0.0, i * y ** (i - 1)], [i * y ** (i - 1), i * (i - 1) * x * y ** max(i - 2, 0)]]
            )
            yield u, du, d2u

    def _value(self, w):
        x, y = w
        return sum((c - x + x * y**i) ** 2 for i, c in enumerate(self.c, start=1))

    def gradient(self, w):
        x, y = self._point(w)
        return sum(2 * u * du for u, du, _ in self._terms(x, y))  # ∇C = Σ 2 u_i ∇u_i

    def hessian(self, w):
        x, y = self._point(w)
        return sum(
            2 * (np.outer(du, du) + u * d2u) for u, du, d2u in self._terms(x, y)
        )  # H = Σ 2(∇u_i ∇u_iᵀ + u_i ∇²u_i)


class NetworkLoss(Surface):
    """The cost C(w) of a network on a data set ``(x, t)``, as a function of all its parameters.

    A point w is the parameters ``[W^1, b^1, …, W^L, b^L]`` flattened into one vector of length
    P (``flatten``/``unflatten`` convert). ``value`` and ``gradient`` run the network's forward and
    backward passes on a private copy of ``network`` (the one given is never changed);
    ``gradient(w, batch=(x_B, t_B))`` is the gradient on a minibatch (see
    ``nnmath.optimizers.minibatches``). ``hessian`` is central differences of the exact gradient
    (P backward-pass pairs: small networks only). ``minimum`` is found by Newton's method from
    ``start`` when P ≤ 20 and it converges to a point with a positive definite Hessian, else None.
    """

    def __init__(self, network: Network, x, t, *, name="network loss", window=None):
        if not isinstance(network, Network):
            raise TypeError(f"network must be an nnmath.Network, got {type(network).__name__}")
        self.net = copy.deepcopy(network)
        self.x = self.net._input(x)
        self.t = self.net._target(t, self.x.shape[1])
        self.shapes = [p.shape for p in self.net.parameters()]
        self.n = sum(int(np.prod(s)) for s in self.shapes)
        self.name = name
        self.start = self.flatten(self.net.parameters())
        if window is not None:
            self.window = window

    def flatten(self, params) -> np.ndarray:
        """[W^1, b^1, …] → one vector w."""
        return np.concatenate([np.ravel(p) for p in params]).astype(float)

    def unflatten(self, w) -> list[np.ndarray]:
        """One vector w → [W^1, b^1, …] with the network's shapes."""
        w = self._point(w)
        out, start = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            out.append(w[start : start + size].reshape(shape))
            start += size
        return out

    def _set(self, w) -> None:
        for p, value in zip(self.net.parameters(), self.unflatten(w)):
            p[...] = value

    def _value(self, w):
        points = w.reshape(self.n, -1)
        costs = np.empty(points.shape[1])
        for k in range(points.shape[1]):
            self._set(points[:, k])
            costs[k] = self.net.cost(self.x, self.t)
        return costs.reshape(w.shape[1:])

    def gradient(self, w, batch=None):
        """∇C(w) on the whole data set, or on ``batch = (x_B, t_B)``."""
        self._set(w)
        x, t = (self.x, self.t) if batch is None else batch
        return self.flatten(self.net.backward(x, t).as_list())

    def hessian(self, w, h: float = 1e-5):
        """H(w) by central differences of the backprop gradient, symmetrised."""
        w, h = self._point(w), as_positive_number(h, "h")
        H = np.empty((self.n, self.n))
        for j in range(self.n):
            e = np.zeros(self.n)
            e[j] = h
            H[:, j] = (self.gradient(w + e) - self.gradient(w - e)) / (2 * h)
        return (H + H.T) / 2

    @cached_property
    def minimum(self):
        if self.n > 20:
            return None
        w = newton_minimize(self.gradient, self.hessian, self.start, cost=self.value)
        if w is None:
            return None
        return w if np.all(np.linalg.eigvalsh(self.hessian(w)) > 0) else None


def neuron_loss(n: int = 100, spread: float = 0.8, seed=0) -> NetworkLoss:
    """A two-parameter surface from a real network: one sigmoid neuron a = σ(w x + b) with the
    binary cross-entropy, on the first coordinate of ``datasets.blobs`` (two overlapping classes).
    The point is (w, b); the cost is convex with a single minimum."""
    X, y = datasets.blobs(n, spread=spread, seed=seed)
    net = Network([1, 1], "sigmoid", "binary_cross_entropy", weights=[[[0.0]]], biases=[[0.0]])
    loss = NetworkLoss(net, X[:1], y[None, :].astype(float), name="one sigmoid neuron on blobs")
    loss.start = np.array([-4.0, 3.0])
    w_star = loss.minimum
    loss.window = (
        (float(w_star[0]) - 8, float(w_star[0]) + 8),
        (float(w_star[1]) - 6, float(w_star[1]) + 6),
    )
    return loss
