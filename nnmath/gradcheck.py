"""Finite-difference derivatives and gradient checks.

forward difference  (f(x + h e_i) − f(x)) / h              error O(h)
central difference  (f(x + h e_i) − f(x − h e_i)) / (2h)     error O(h²)

How closely must backprop and central differences agree? Each central difference errs by about
h²|C‴|/6 (truncation) plus ε|C|/h (round-off: C(w ± h) each carry a relative error of about ε).
Beside a gradient whose entries are about g_rms = ‖g‖/√m in size, and with the constants of order
one dropped, a correct array is expected to show a relative error near

    h² + ε |C| / (h g_rms),

large when the gradient is small beside the cost (the first layers of a deep network). A check
passes an array when its relative error is within SAFETY times that. A wrong entry off by d shows
as a relative error of about d / (2‖g‖): passing bounds any mistake by what finite differences can
resolve, and says nothing finer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_positive_number, as_real_array, require_callable
from .network import Network

__all__ = [
    "numerical_gradient",
    "network_numerical_gradients",
    "relative_error",
    "check_network",
    "expected_relative_error",
    "LayerCheck",
    "NetworkCheck",
    "DEFAULT_STEP",
    "SAFETY",
]

METHODS = ("central", "forward")
DEFAULT_STEP = 1e-5  # near ε^(1/3), the best step of a central difference
SAFETY = 10  # room for the dropped constants (|C‴|/|C′|, the cost's own rounding)
EPS = float(np.finfo(np.float64).eps)


def _settings(h, method) -> float:
    """The finite-difference step h and method, checked: TypeError for a wrong type."""
    if not isinstance(method, str):
        raise TypeError(f"method must be a string, one of {', '.join(METHODS)}; got {method!r}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    return as_positive_number(h, "step h")


def _require_network(network) -> None:
    if not isinstance(network, Network):
        raise TypeError(f"network must be an nnmath.Network, got {type(network).__name__}")


def numerical_gradient(f, x, h: float = 1e-6, method: str = "central") -> np.ndarray:
    """∂f/∂x by finite differences, for a scalar function ``f`` of the array ``x``.

    ``x`` is perturbed one entry at a time in a float64 copy, and restored.
    """
    require_callable(f, "f", "a scalar function of the array x")
    h = _settings(h, method)
    x = as_real_array(x, "x", np.float64).copy()
    grad = np.zeros_like(x)
    f0 = float(f(x)) if method == "forward" else 0.0  # the forward difference's base value
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = float(f(x))
        if method == "central":
            x[i] = original - h
            grad[i] = (f_plus - float(f(x))) / (2 * h)
        else:
            grad[i] = (f_plus - f0) / h
        x[i] = original
    return grad


def relative_error(analytic, numeric) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖), 0 when both are zero; scale-free, so it reads the same for any loss."""
    analytic = as_real_array(analytic, "analytic", np.float64)
    numeric = as_real_array(numeric, "numeric", np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"shapes differ: analytic {analytic.shape}, numeric {numeric.shape}")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


@dataclass
class LayerCheck:
    """The check of one parameter array: its relative error and its worst entry."""

    layer: int
    parameter: str  # "W" or "b"
    relative_error: float
    worst_index: tuple
    analytic: float
    numeric: float
    expected_error: float  # h² + ε|C|/(h g_rms): what a correct backward pass is expected to show

    @property
    def allowed_error(self) -> float:
        return SAFETY * self.expected_error


@dataclass
class NetworkCheck:
    rows: list[LayerCheck]

    @property
    def max_relative_error(self) -> float:
        return max(r.relative_error for r in self.rows)

    def passed(self, tolerance: float | None = None) -> bool:
        """By default, every array within its own allowance SAFETY × (h² + ε|C|/(h g_rms));
        given ``tolerance``, every array's relative error at most that one number."""
        if tolerance is None:
            return not self.failures()
        if not (np.isfinite(tolerance) and tolerance > 0):
            raise ValueError(
                f"tolerance must be a positive finite number or None, got {tolerance!r}"
            )
        return self.max_relative_error <= tolerance

    def failures(self) -> list[LayerCheck]:
        """The arrays over their own allowance (what ``passed()`` rejects)."""
        return [r for r in self.rows if r.relative_error > r.allowed_error]

    def __str__(self):
        lines = [
            f"{'param':>6} {'rel. error':>11} {'worst entry':>12} {'backprop':>13} {'numeric':>13} {'allowed':>9}"
        ]
        for r in self.rows:
            lines.append(
                f"{r.parameter + '^' + str(r.layer):>6} {r.relative_error:11.2e} "
                f"{str(r.worst_index):>12} {r.analytic:13.6e} {r.numeric:13.6e} {r.allowed_error:9.1e}"
            )
        return "\n".join(lines)

    def _repr_html_(self):
        head = "".join(
            f"<th>{h}</th>"
            for h in (
                "parameter",
                "relative error",
                "worst entry",
                "backprop",
                "central difference",
                "allowed error",
            )
        )
        body = "".join(
            f"<tr><td>{r.parameter}<sup>{r.layer}</sup></td><td>{r.relative_error:.2e}</td>"
            f"<td>{r.worst_index}</td><td>{r.analytic:.6e}</td><td>{r.numeric:.6e}</td>"
            f"<td>{r.allowed_error:.1e}</td></tr>"
            for r in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def network_numerical_gradients(
    network, x, t, h: float = DEFAULT_STEP, method: str = "central"
) -> list[np.ndarray]:
    """Finite differences of the cost for every parameter array, in the order of
    ``network.parameters()`` ([W^1, b^1, …]); each array is restored afterwards, also on an error."""
    _require_network(network)
    h = _settings(h, method)
    network.cost(x, t)  # bad x or t raise their named error here, before any parameter is touched
    gradients = []
    for param in network.parameters():
        original = param.copy()

        def cost_at(values, param=param):
            param[...] = values
            return network.cost(x, t)

        try:
            gradients.append(numerical_gradient(cost_at, original, h=h, method=method))
        finally:
            param[...] = original
    return gradients


def expected_relative_error(
    analytic, numeric, cost: float, h: float, method: str = "central"
) -> float:
    """The relative error a correct gradient array is expected to show: truncation (h² central,
    h forward) plus round-off ε|C|/(h g_rms), g_rms the root-mean-square size of its entries."""
    analytic, numeric = (
        np.asarray(analytic, dtype=np.float64),
        np.asarray(numeric, dtype=np.float64),
    )
    g_rms = (np.linalg.norm(analytic) + np.linalg.norm(numeric)) / (2 * np.sqrt(analytic.size))
    truncation = h**2 if method == "central" else h
    # a zero gradient on both sides has relative error 0; any allowance passes it
    return float(truncation + EPS * abs(cost) / (h * g_rms)) if g_rms > 0 else float("inf")


def check_network(network, x, t, h: float = DEFAULT_STEP, method: str = "central") -> NetworkCheck:
    """Compare backprop's ∇W^l, ∇b^l with finite differences of the cost, layer by layer;
    each row also holds the error a correct array is expected to show at this ``h``."""
    _require_network(network)
    _settings(h, method)
    analytic = network.backward(x, t).as_list()
    numeric = network_numerical_gradients(network, x, t, h=h, method=method)
    cost = network.cost(x, t)
    rows = []
    for k, (a, n) in enumerate(zip(analytic, numeric)):
        gap = np.abs(a - n)
        worst = np.unravel_index(np.argmax(gap), gap.shape)
        rows.append(
            LayerCheck(
                k // 2 + 1,
                "Wb"[k % 2],
                relative_error(a, n),
                tuple(int(i) for i in worst),
                float(a[worst]),
                float(n[worst]),
                expected_relative_error(a, n, cost, h, method),
            )
        )
    return NetworkCheck(rows)
