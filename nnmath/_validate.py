"""Input checks shared by the core modules: each names what was wrong and where.

The type is checked before any conversion: a string, a complex number or an object is refused
(``TypeError``) instead of being parsed or having its imaginary part dropped; a wrong shape or
value gets a ``ValueError``.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["NonFiniteError", "as_real_array", "as_float_matrix", "as_positive_number",
           "require_finite", "require_shape", "choose"]


class NonFiniteError(FloatingPointError, ValueError):
    """A computation produced inf or NaN (an overflow); the message names the quantity and layer.

    It is a ``ValueError`` (the values given led there) and a ``FloatingPointError``. When an
    optimizer refuses a step, ``parameter`` is the position of the first parameter that would
    have become non-finite (so a caller can name it in its own terms), else ``None``.
    """

    def __init__(self, message, parameter: int | None = None):
        super().__init__(message)
        self.parameter = parameter


def as_real_array(value, name: str, dtype=None) -> np.ndarray:
    """``value`` as a real floating array (of ``dtype`` if given), checking the type first.

    Booleans, integers and floats are accepted; strings, complex numbers, ``None`` and other
    objects raise ``TypeError`` naming ``name``; a ragged nested list raises ``ValueError``.
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got complex values (dtype {array.dtype}); "
                        f"take .real explicitly if the imaginary part is meant to be dropped")
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be numeric, got {type(value).__name__} of dtype {array.dtype}")
    target = np.dtype(dtype) if dtype is not None else (
        array.dtype if array.dtype.kind == "f" else np.dtype(np.float64))
    with np.errstate(over="ignore"):  # a float64 too large for float32 becomes inf: reported by name below
        return array.astype(target, copy=False)


def as_float_matrix(value, name: str, dtype=None) -> np.ndarray:
    """``value`` as a finite 2-D real array, or an error naming ``name``."""
    array = as_real_array(value, name, dtype)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array with one column per example, got shape {array.shape}"
            + (" (use .reshape(-1, 1) for a single example)" if array.ndim == 1 else "")
        )
    require_finite(array, name)
    return array


def as_positive_number(value, name: str) -> float:
    """A positive finite real number (a Python or numpy scalar), or an error naming ``name``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not (finite and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def require_finite(array: np.ndarray, name: str, error=ValueError) -> None:
    """Raise ``error`` naming ``name`` and the first non-finite entry, if there is one."""
    finite = np.isfinite(array)
    if not np.all(finite):
        bad = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise error(f"{name} contains non-finite values (first at index {bad}: {array[bad]})")


def require_shape(array: np.ndarray, shape: tuple, name: str) -> None:
    if array.shape != tuple(shape):
        raise ValueError(f"{name} has shape {array.shape}, expected {tuple(shape)}")


def choose(name: str, known: dict, what: str):
    """Look ``name`` up in ``known``; an unknown name lists the known ones."""
    key = name.lower().replace("-", "_").replace(" ", "_")
    if key not in known:
        raise ValueError(f"unknown {what} {name!r}; known: {', '.join(sorted(known))}")
    return known[key]
