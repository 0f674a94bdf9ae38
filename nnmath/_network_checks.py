"""The checks of a ``Network``: its parameters, inputs, targets, gradients and forward passes
handed back, and the finiteness of everything a pass or a step computes.

``NetworkChecks`` is the half of ``Network`` that vets; ``nnmath.network`` holds the other half
(structure, parameters, the passes, the step). Each check raises the named error of
CONTRIBUTING's policy: ``TypeError`` for a wrong type, ``ValueError`` naming the argument, the
layer and the expected shape, ``NonFiniteError`` naming the quantity, layer and entries. The
finiteness of a pass is paid for with one sum of squares per array (``_all_finite``); the
entry-by-entry search for what to name runs only when that sum is not finite.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._validate import (
    NonFiniteError,
    as_float_matrix,
    as_real_array,
    non_finite_gradient,
    overflowing_step,
    require_finite,
)
from .by_layer import ByLayer, ForwardPass, Gradients

if TYPE_CHECKING:
    from .losses import Loss

__all__ = ["NetworkChecks"]


class NetworkChecks:
    """The checks ``Network`` runs before it changes anything or hands a result out."""

    if TYPE_CHECKING:  # what the checks read of the network (``Network`` defines it)
        _sizes: tuple[int, ...]
        _dtype: np.dtype

        @property
        def sizes(self) -> list[int]: ...
        @property
        def L(self) -> int: ...
        @property
        def dtype(self) -> np.dtype: ...
        @property
        def f(self) -> ByLayer: ...
        @property
        def loss(self) -> Loss: ...
        def parameters(self) -> list[np.ndarray]: ...
        def parameter_names(self) -> list[str]: ...

    def _checked_parameter(self, kind: str, l: int, value) -> np.ndarray:
        """``value`` as a new array for W^l or b^l of this network's dtype, or a named error."""
        n_out, n_in = self.sizes[l], self.sizes[l - 1]
        name = f"{kind}^{l}"
        array = as_real_array(value, name, dtype=self.dtype)
        expected = (n_out, n_in) if kind == "W" else (n_out, 1)
        if kind == "b" and array.shape == (n_out,):
            array = array.reshape(n_out, 1)
        if array.shape != expected:
            raise ValueError(
                f"{name} has shape {array.shape}, expected {expected} "
                f"(layer {l}: {n_in} inputs → {n_out} units)"
            )
        require_finite(array, name)
        return (
            array.copy()
        )  # the network owns its parameters: later edits of `value` do not leak in

    def check_gradients(self, gradients) -> list[np.ndarray]:
        """The arrays [∇W^1, ∇b^1, …] of ``gradients``, checked against this network's parameters.

        ``gradients`` is a ``Gradients`` or a sequence of 2L arrays in the order of
        ``parameters()``. Each must have exactly its parameter's shape (no broadcasting: the
        gradients of another network are refused), be real and finite; they come back in this
        network's dtype. Any optimizer updating the network starts here.
        """
        checked = self._gradient_arrays(gradients)
        if not _all_finite(checked):  # one pass each; the search for what to name only if it fails
            for name, g in zip(self.parameter_names(), checked):
                require_finite(g, f"gradient ∇{name}")
        return checked

    def _gradient_arrays(self, gradients) -> list[np.ndarray]:
        """The arrays of ``gradients``, their number, type and shapes checked (not their values)."""
        if isinstance(gradients, Gradients):
            if gradients.W.first != 1 or len(gradients.W) != self.L:
                raise ValueError(
                    f"gradients have {len(gradients.W)} layers, this network has "
                    f"{self.L} (sizes {self.sizes}): gradients of another network?"
                )
            arrays = gradients.as_list()
        elif isinstance(gradients, Sequence) and not isinstance(gradients, (str, bytes)):
            arrays = list(gradients)
            if len(arrays) != 2 * self.L:
                raise ValueError(
                    f"gradients has {len(arrays)} arrays, expected {2 * self.L} "
                    f"([∇W^1, ∇b^1, …, ∇W^{self.L}, ∇b^{self.L}])"
                )
        else:
            raise TypeError(
                f"gradients must be a Gradients (from backward) or a list of arrays, "
                f"got {type(gradients).__name__}"
            )
        checked = []
        names = self.parameter_names()
        for k, (parameter, g) in enumerate(zip(self.parameters(), arrays)):
            if type(g) is np.ndarray and g.dtype == self._dtype and g.shape == parameter.shape:
                checked.append(g)  # already right: no name needed
                continue
            name = names[k]
            g = as_real_array(g, f"gradient ∇{name}", dtype=self.dtype)
            if g.shape != parameter.shape:
                raise ValueError(
                    f"gradient ∇{name} has shape {g.shape}, expected {parameter.shape} "
                    f"(the shape of {name} in a network of sizes {self.sizes})"
                )
            checked.append(g)
        return checked

    def _input(self, x) -> np.ndarray:
        return self._input_and_squared_norm(x)[0]

    def _input_and_squared_norm(self, x) -> tuple[np.ndarray, float]:
        """``x`` checked (or a named error), and ‖x‖², which the test of its finiteness computes
        and the forward pass keeps (backward bounds ∇W^1 with it)."""
        if (
            type(x) is np.ndarray
            and x.dtype == self._dtype
            and x.ndim == 2
            and x.shape[0] == self._sizes[0]
            and x.shape[1] > 0
        ):
            squared_norm = _squared_norm(x)
            if math.isfinite(squared_norm):
                return x, squared_norm
        x = as_float_matrix(x, "input x", dtype=self.dtype)  # converts, or names what is wrong
        if x.shape[0] != self.sizes[0]:
            raise ValueError(
                f"input x has {x.shape[0]} rows, expected n_0 = {self.sizes[0]} "
                f"(one row per input unit, one column per example; got shape {x.shape})"
            )
        if x.shape[1] == 0:
            raise ValueError(
                f"input x has no columns (shape {x.shape}): a batch needs at least one example"
            )
        return x, _squared_norm(x)  # finite entries; the sum may still overflow (a false alarm)

    def _target(self, t, batch: int) -> np.ndarray:
        expected = (self._sizes[-1], batch)
        if not (
            type(t) is np.ndarray
            and t.dtype == self._dtype
            and t.shape == expected
            and _all_finite([t])
        ):
            t = as_float_matrix(t, "target t", dtype=self.dtype)  # converts, or names what is wrong
            if t.shape != expected:
                raise ValueError(f"target t has shape {t.shape}, expected output shape {expected}")
        self.loss.check_target(t)  # what this loss refuses (cross-entropy: t outside [0, 1], …)
        return t

    def _fingerprint(self) -> int:
        """A checksum of the parameters and activations: it changes when any of them does."""
        crc = zlib.crc32(repr([id(f) for f in self.f]).encode())
        for p in self.parameters():
            crc = zlib.crc32(np.ascontiguousarray(p).view(np.uint8), crc)  # type: ignore[arg-type]  # a buffer
        return crc

    def _given_forward(self, forward, x) -> ForwardPass:
        """``forward`` if it is this network's forward pass of ``x`` with its current parameters."""
        if not isinstance(forward, ForwardPass):
            raise TypeError(
                f"forward must be a ForwardPass (from net.forward(x)), got {type(forward).__name__}"
            )
        if forward.parameters_fingerprint != self._fingerprint():
            raise ValueError(
                "forward was computed by another network or before this network's "
                "parameters changed; pass forward=net.forward(x) for the current ones"
            )
        if not np.array_equal(forward.a[0], x):
            raise ValueError(
                f"forward is the forward pass of another input (forward.a[0] has shape "
                f"{forward.a[0].shape} and differs from x, shape {x.shape})"
            )
        return forward

    @staticmethod
    def _require_finite(
        stage: str, by_layer: dict[str, ByLayer], backwards=False, **others
    ) -> None:
        """Name the first layer, in the order computed, where a quantity became inf or NaN.

        The test itself is one sum of squares per array (``_all_finite``); only when that is not
        finite are the arrays searched entry by entry for the name and place to report.
        """
        arrays = [v for values in by_layer.values() for v in values]
        arrays += [np.asarray(v) for v in others.values() if v is not None]
        if _all_finite(arrays):
            return
        layers = sorted(
            {l for values in by_layer.values() for l, _ in values.items()}, reverse=backwards
        )
        for l in layers:
            for symbol, values in by_layer.items():
                if values.first <= l <= values.last:
                    require_finite(
                        values[l], f"{stage}: {symbol}^{l} overflowed; it", NonFiniteError
                    )
        for symbol, value in others.items():
            if value is None:  # not computed (∇x with input_gradient=False)
                continue
            if np.ndim(value) == 0 and not np.isfinite(value):
                raise NonFiniteError(f"{stage}: {symbol} overflowed to {value}")
            require_finite(np.asarray(value), f"{stage}: {symbol} overflowed; it", NonFiniteError)

    def _refuse_non_finite_step(
        self, parameters, gradients, alpha, learning_rate, at_step=None
    ) -> None:
        """Name a non-finite gradient, or the first W^l, b^l that the step would make non-finite
        (in the words of the optimizers' refusals: ``_validate.non_finite_gradient`` and
        ``overflowing_step``)."""
        names = self.parameter_names()
        for k, (name, g) in enumerate(zip(names, gradients)):
            if not np.isfinite(g).all():
                raise non_finite_gradient(
                    f"∇{name}", g, "no parameter was changed", parameter=k, at_step=at_step
                )
        for k, (w, g) in enumerate(zip(parameters, gradients)):
            new = w - alpha * g
            if not np.isfinite(new).all():
                raise overflowing_step(
                    f"{names[k]} (parameter {k})",
                    new,
                    k,
                    at_step=at_step,
                    learning_rate=learning_rate,
                )


def _squared_norm(array: np.ndarray) -> float:
    """‖array‖², the sum of squares of its entries: one BLAS dot product (inf or NaN if an entry
    is, and inf if the sum overflows)."""
    return float(np.vdot(array, array))


def _all_finite(arrays) -> bool:
    """Whether every entry of every array is finite, at the cost of one pass over each.

    The test is the sum of squares (a BLAS dot product): inf or NaN anywhere makes it
    non-finite. So does a sum too large to represent: a false alarm, which callers clear by
    searching the arrays entry by entry, as they do to name what is not finite.
    """
    return math.isfinite(sum(_squared_norm(array) for array in arrays))


@functools.cache
def _parameter_names(L: int) -> tuple[str, ...]:
    return tuple(f"{kind}^{l}" for l in range(1, L + 1) for kind in "Wb")


def _norm(arrays) -> float:
    """‖(a_1, a_2, …)‖, the Euclidean norm of all the entries (inf or NaN if any is, or overflows)."""
    return math.sqrt(sum(_squared_norm(array) for array in arrays))
