"""Losses C(a, t) of the output activations ``a`` and targets ``t`` (shape ``(n_L, batch)``).

Each loss sums over output units; over the batch (m columns) it either sums or averages, as
``reduction`` says: ``"sum"`` adds the examples' costs, so the gradient ∂C/∂a (and with it
every δ^l, ∇W^l, ∇b^l of a network) is the sum of the single-example gradients; ``"mean"``
divides the cost and every gradient by m, so that a learning rate means the same for any batch
size. ``None`` takes the loss's default reduction:

==========================  ==========================================  =================
name                        per example                                 default reduction
==========================  ==========================================  =================
``half_squared_error``      ½ Σ_i (a_i − t_i)²   (the sources' loss)    ``"sum"``
``mean_squared_error``      (1/n_L) Σ_i (a_i − t_i)²                    ``"mean"``
``cross_entropy``           −Σ_i t_i log a_i     (with softmax)         ``"mean"``
``binary_cross_entropy``    −Σ_i [t_i log a_i + (1−t_i) log(1−a_i)]     ``"mean"``
                            (with sigmoid)
==========================  ==========================================  =================

With its paired output activation a cross-entropy is computed from the weighted input z
(log-softmax, softplus), so it stays finite where a rounds to 0 or 1, and
δ^L = ∂C/∂z^L takes its famous form (a − t) times the batch factor.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import as_real_array, choose
from .activations import Activation

__all__ = [
    "Loss",
    "HalfSquaredError",
    "MeanSquaredError",
    "CrossEntropy",
    "BinaryCrossEntropy",
    "get_loss",
    "LOSSES",
]

REDUCTIONS = ("sum", "mean")


class Loss:
    name = "loss"
    default_reduction = "mean"

    def __init__(self, reduction: str | None = None):
        """``reduction``: ``"sum"`` or ``"mean"`` over the batch, ``None`` for this loss's default."""
        reduction = self.default_reduction if reduction is None else reduction
        if reduction not in REDUCTIONS:
            raise ValueError(f"unknown reduction {reduction!r}; known: {', '.join(REDUCTIONS)}")
        self.reduction = reduction

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reduction={self.reduction!r})"

    def _batch_factor(self, a: np.ndarray):
        return 1 if self.reduction == "sum" else 1 / a.shape[1]

    def _check(self, a, t):
        a = as_real_array(a, f"{self.name}: output")
        t = as_real_array(t, f"{self.name}: target")
        if a.ndim != 2:
            raise ValueError(f"{self.name}: output must be 2-D (n_L, batch), got shape {a.shape}")
        if a.shape[1] == 0 and self.reduction == "mean":
            raise ValueError(
                f"{self.name}: the mean over an empty batch (output shape {a.shape}) "
                f"is undefined; give at least one example"
            )
        if t.shape != a.shape:
            raise ValueError(
                f"{self.name}: target shape {t.shape} does not match output shape {a.shape}"
            )
        if not (math.isfinite(np.vdot(t, t)) or np.all(np.isfinite(t))):  # one pass if finite
            raise ValueError(f"{self.name}: target contains non-finite values")
        t = t.astype(a.dtype, copy=False)
        self.check_target(t)
        return a, t

    def check_target(self, t) -> None:
        """Refuse targets this loss cannot take; shape and finiteness are checked with the output."""

    # Per-example terms, summed over the batch then scaled: subclasses give these two.
    def _terms(self, a, t):
        raise NotImplementedError

    def _term_gradient(self, a, t):
        raise NotImplementedError

    def value(self, a, t) -> float:
        """C(a, t), a scalar."""
        a, t = self._check(a, t)
        return self._terms(a, t).sum() * self._batch_factor(a)

    def gradient(self, a, t) -> np.ndarray:
        """∂C/∂a, the shape of ``a``."""
        a, t = self._check(a, t)
        return self._term_gradient(a, t) * self._batch_factor(a)

    # At the output layer: these may use z for a stable paired form.
    def value_at_output(self, activation: Activation, z, a, t) -> float:
        """C from the output layer's z^L and a^L = f(z^L)."""
        a, t = self._check(a, t)
        return self._value_at_output(activation, z, a, t)

    def output_error(self, activation: Activation, z, a, t) -> np.ndarray:
        """δ^L = ∂C/∂z^L = ∇_a C ⊙ f'(z^L)."""
        a, t = self._check(a, t)
        return self._output_error(activation, z, a, t)

    # The same two for a (a, t) that ``_check`` has passed: the network checks its target once
    # per pass and calls these (a subclass with its own output layer overrides these two).
    def _value_at_output(self, activation: Activation, z, a, t) -> float:
        return self._terms(a, t).sum() * self._batch_factor(a)

    def _output_error(self, activation: Activation, z, a, t) -> np.ndarray:
        return activation.backward(z, self._term_gradient(a, t) * self._batch_factor(a))


class HalfSquaredError(Loss):
    """C = ½ Σ (a − t)², summed over outputs and (by default) over the batch."""

    name = "half_squared_error"
    default_reduction = "sum"

    def _terms(self, a, t):
        return 0.5 * (a - t) ** 2

    def _term_gradient(self, a, t):
        return a - t


class MeanSquaredError(Loss):
    """C = mean over outputs of (a − t)², averaged (by default) over the batch."""

    name = "mean_squared_error"

    def _terms(self, a, t):
        return (a - t) ** 2 / a.shape[0]

    def _term_gradient(self, a, t):
        return 2 * (a - t) / a.shape[0]


class _CrossEntropyBase(Loss):
    paired_activation = ""

    def check_target(self, t):
        if not (np.minimum.reduce(t, axis=None) >= 0 and np.maximum.reduce(t, axis=None) <= 1):
            raise ValueError(f"{self.name}: targets must lie in [0, 1]")

    def _check_probabilities(self, a):
        if np.any((a < 0) | (a > 1)):
            raise ValueError(
                f"{self.name}: outputs must be probabilities in [0, 1]; "
                f"use a {self.paired_activation} output layer"
            )

    def _terms(self, a, t):
        self._check_probabilities(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._log_terms(a, t)

    def _term_gradient(self, a, t):
        self._check_probabilities(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._log_term_gradient(a, t)

    def _value_at_output(self, activation, z, a, t):
        if activation.name != self.paired_activation:
            return super()._value_at_output(activation, z, a, t)
        return self._terms_from_logits(np.asarray(z), t).sum() * self._batch_factor(a)

    def _output_error(self, activation, z, a, t):
        if activation.name != self.paired_activation:
            return super()._output_error(activation, z, a, t)
        return (a - t) * self._batch_factor(a)


class CrossEntropy(_CrossEntropyBase):
    """C = −Σ t log a, paired with a softmax output (targets one-hot or distributions)."""

    name = "cross_entropy"
    paired_activation = "softmax"

    def check_target(self, t):
        super().check_target(t)
        column_sums = np.add.reduce(t, axis=0)  # each within 1e-6 + 1e-5 of 1 (np.allclose's test)
        if not (
            np.minimum.reduce(column_sums) >= 1 - 1.1e-5
            and np.maximum.reduce(column_sums) <= 1 + 1.1e-5
        ):
            raise ValueError(
                f"{self.name}: each target column must sum to 1 (one-hot or a distribution)"
            )

    def _log_terms(self, a, t):
        return -np.where(t > 0, t * np.log(a), 0)

    def _log_term_gradient(self, a, t):
        return -np.where(t > 0, t / a, 0)

    def _terms_from_logits(self, z, t):
        shifted = z - z.max(axis=0, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
        return -t * log_softmax


class BinaryCrossEntropy(_CrossEntropyBase):
    """C = −Σ [t log a + (1 − t) log(1 − a)], paired with a sigmoid output."""

    name = "binary_cross_entropy"
    paired_activation = "sigmoid"

    def _log_terms(self, a, t):
        return -(np.where(t > 0, t * np.log(a), 0) + np.where(t < 1, (1 - t) * np.log1p(-a), 0))

    def _log_term_gradient(self, a, t):
        return -np.where(t > 0, t / a, 0) + np.where(t < 1, (1 - t) / (1 - a), 0)

    def _terms_from_logits(self, z, t):
        # −[t log σ(z) + (1−t) log(1−σ(z))] = softplus(z) − t z, with softplus stable for any z.
        softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
        return softplus - t * z


LOSSES = {
    cls.name: cls for cls in (HalfSquaredError, MeanSquaredError, CrossEntropy, BinaryCrossEntropy)
}
LOSSES["mse"] = MeanSquaredError


def get_loss(spec, reduction: str | None = None) -> Loss:
    """A ``Loss`` from a name (``"half_squared_error"``, ``"cross_entropy"``, …) or a ``Loss`` object.

    ``reduction`` (``"sum"``, ``"mean"`` or ``None`` for the loss's default) says how the cost and
    its gradients combine the examples of a batch; see the module docstring.
    """
    if isinstance(spec, Loss):
        if reduction is not None and reduction != spec.reduction:
            raise ValueError(f"reduction={reduction!r} conflicts with the given {spec!r}")
        return spec
    if isinstance(spec, str):
        return choose(spec, LOSSES, "loss")(reduction)
    raise ValueError(f"loss must be a name or a Loss, got {spec!r}")
