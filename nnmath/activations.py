"""Activation functions f(z): value, derivative f'(z), and the backward product.

Every function works column-wise on a matrix ``z`` of shape ``(n_l, batch)`` and keeps
its dtype (float32 stays float32). ``backward(z, grad_a)`` returns ∂C/∂z given ∂C/∂a:
for an elementwise activation that is ``grad_a ⊙ f'(z)``; for softmax, whose
derivative is a Jacobian, it is the Jacobian-transpose product.

A new activation needs only ``value`` and ``derivative``.
"""

from __future__ import annotations

import numpy as np

from ._validate import choose

__all__ = [
    "Activation",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "Identity",
    "Softmax",
    "sigmoid",
    "tanh",
    "relu",
    "identity",
    "softmax",
    "get_activation",
    "ACTIVATIONS",
]


class Activation:
    """Base class: subclasses define ``value`` and ``derivative`` (elementwise)."""

    name = "activation"

    def value(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, z: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """∂C/∂z = ∂C/∂a ⊙ f'(z)."""
        return grad_a * self.derivative(z)

    def __call__(self, z):
        return self.value(np.asarray(z))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^{−z}); σ'(z) = σ(z)(1 − σ(z))."""

    name = "sigmoid"

    def value(self, z):
        z = np.asarray(z)
        # e^{-|z|} never overflows; both branches equal σ(z) on their half-line.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def derivative(self, z):
        s = self.value(z)
        return s * (1 - s)


class Tanh(Activation):
    """tanh(z); tanh'(z) = 1 − tanh²(z)."""

    name = "tanh"

    def value(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1 - np.tanh(z) ** 2


class ReLU(Activation):
    """max(0, z); the derivative at the kink z = 0 is taken to be 0."""

    name = "relu"

    def value(self, z):
        z = np.asarray(z)
        # against an array of zeros, not the scalar 0: numpy's SIMD loop for maximum skips a
        # broadcast scalar (3-4x slower on the book's 256x128 layers)
        return np.maximum(z, np.zeros(z.shape, z.dtype)).astype(z.dtype, copy=False)

    def derivative(self, z):
        z = np.asarray(z)
        return (z > 0).astype(z.dtype if z.dtype.kind == "f" else np.float64)


class Identity(Activation):
    """f(z) = z; f'(z) = 1 (a linear output layer)."""

    name = "identity"

    def value(self, z):
        return np.asarray(z)

    def derivative(self, z):
        z = np.asarray(z)
        return np.ones_like(z, dtype=z.dtype if z.dtype.kind == "f" else np.float64)


class Softmax(Activation):
    """softmax(z)_i = e^{z_i} / Σ_j e^{z_j}, per column.

    Not elementwise: ``derivative(z)`` returns the Jacobian of each column,
    shape ``(batch, n, n)``, with entries s_i (δ_ij − s_j).
    """

    name = "softmax"

    def value(self, z):
        z = np.asarray(z)
        # Subtracting the column maximum changes nothing mathematically and keeps e^z ≤ 1.
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    def derivative(self, z):
        s = self.value(z).T  # (batch, n)
        return s[:, :, None] * np.eye(s.shape[1], dtype=s.dtype) - s[:, :, None] * s[:, None, :]

    def backward(self, z, grad_a):
        s = self.value(z)
        # J^T g with J = diag(s) − s sᵀ, column by column, without forming J.
        return s * (grad_a - (grad_a * s).sum(axis=0, keepdims=True))


sigmoid, tanh, relu, identity, softmax = Sigmoid(), Tanh(), ReLU(), Identity(), Softmax()

ACTIVATIONS = {f.name: f for f in (sigmoid, tanh, relu, identity, softmax)}
ACTIVATIONS["linear"] = identity


def get_activation(spec) -> Activation:
    """An ``Activation`` from a name (``"sigmoid"``, ``"tanh"``, …) or an ``Activation`` object."""
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        return choose(spec, ACTIVATIONS, "activation")
    raise ValueError(f"activation must be a name or an Activation, got {spec!r}")
