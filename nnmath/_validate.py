"""Input checks shared by the core modules: each names what was wrong and where.

The type is checked before any conversion: a string, a complex number or an object is refused
(``TypeError``) instead of being parsed or having its imaginary part dropped; a wrong shape or
value gets a ``ValueError``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "NonFiniteError",
    "as_real_array",
    "as_float_matrix",
    "as_real_number",
    "as_positive_number",
    "as_nonnegative_number",
    "as_rate",
    "as_count",
    "as_flag",
    "require_callable",
    "require_finite",
    "all_finite",
    "first_non_finite",
    "non_finite_gradient",
    "overflowing_step",
    "require_shape",
    "as_array_list",
    "match_like",
    "choose",
]


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
    if type(value) is np.ndarray and value.dtype.kind == "f" and dtype in (None, value.dtype):
        return value  # already what the checks below would return: skip them
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind == "c":
        raise TypeError(
            f"{name} must be real, got complex values (dtype {array.dtype}); "
            f"take .real explicitly if the imaginary part is meant to be dropped"
        )
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"{name} must be numeric, got {type(value).__name__} of dtype {array.dtype}"
        )
    target = (
        np.dtype(dtype)
        if dtype is not None
        else (array.dtype if array.dtype.kind == "f" else np.dtype(np.float64))
    )
    with np.errstate(
        over="ignore"
    ):  # a float64 too large for float32 becomes inf: reported by name below
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


def as_real_number(value, name: str) -> float:
    """A real number (a Python or numpy scalar, not a bool), or ``TypeError`` naming ``name``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        return float(value)
    except OverflowError:  # an int too large for a float
        return math.inf if value > 0 else -math.inf


def as_positive_number(value, name: str) -> float:
    """A positive finite real number (a Python or numpy scalar), or an error naming ``name``."""
    number = as_real_number(value, name)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def as_nonnegative_number(value, name: str) -> float:
    """A finite real number ≥ 0, or an error naming ``name``."""
    number = as_real_number(value, name)
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}")
    return number


def as_rate(value, name: str) -> float:
    """An averaging coefficient (μ, β, β₁, β₂): a real number with 0 ≤ value < 1."""
    number = as_real_number(value, name)
    if not 0 <= number < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


def as_count(value, name: str) -> int:
    """A positive integer (Python or numpy, not a bool), or an error naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def as_flag(value, name: str) -> bool:
    """True or False (a numpy bool too), or ``TypeError`` naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def require_callable(value, name: str, what: str) -> None:
    """``TypeError`` unless ``value`` can be called; ``what`` says what it should compute."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r}")


def all_finite(array) -> bool:
    """True if every entry is finite: one reduction, and the entry-wise test only if that is not.

    The reduction is the sum of squares, a BLAS dot product (two to three times faster than
    numpy's sum); inf or NaN anywhere makes it non-finite, and so may large finite entries,
    a false alarm the entry-wise test then clears.
    """
    array = np.asarray(array)
    if array.dtype.kind != "f":
        return bool(np.all(np.isfinite(array)))
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.vdot(array, array)
    return bool(np.isfinite(total)) or bool(np.all(np.isfinite(array)))


def first_non_finite(array: np.ndarray) -> str:
    """How many entries of ``array`` are non-finite, and the first one: index and value."""
    finite = np.isfinite(array)
    bad = tuple(int(i) for i in np.argwhere(~finite)[0])
    count = int(finite.size - np.count_nonzero(finite))
    return f"{count} of {finite.size} entries, first at index {bad}: {array[bad]}"


def require_finite(array: np.ndarray, name: str, error=ValueError) -> None:
    """Raise ``error`` naming ``name`` and the first non-finite entry, if there is one."""
    finite = np.isfinite(array)
    if not np.all(finite):
        bad = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise error(f"{name} contains non-finite values (first at index {bad}: {array[bad]})")


def non_finite_gradient(
    name: str, gradient: np.ndarray, consequence: str, *, parameter=None, at_step=None
) -> NonFiniteError:
    """The refusal of a non-finite gradient, worded alike by every path that takes a step.

    ``name`` says which gradient (``∇W^1``, ``grads[0] (parameter 0)``), ``consequence`` what
    was left as it was (no parameter changed, the state not advanced).
    """
    where = f"at step t = {at_step}, " if at_step is not None else ""
    return NonFiniteError(
        f"{where}gradient {name} contains non-finite values "
        f"({first_non_finite(gradient)}); {consequence}",
        parameter=parameter,
    )


def overflowing_step(
    name: str, new_value: np.ndarray, parameter: int, *, at_step=None, learning_rate=None
) -> NonFiniteError:
    """The refusal of a step that would make a parameter non-finite, worded alike by every path
    that updates parameters (``Network.gradient_step``, an optimizer's ``step``, ``apply``,
    ``train_step`` and ``fit``): which parameter, at which step, the entries, and that nothing
    changed."""
    where = f"at step t = {at_step}, " if at_step is not None else ""
    rate = f" with learning_rate={learning_rate!r}" if learning_rate is not None else ""
    return NonFiniteError(
        f"{where}{name} would become non-finite after the step{rate} "
        f"({first_non_finite(new_value)}); no parameter was changed "
        "(try a smaller learning rate)",
        parameter=parameter,
    )


def require_shape(array: np.ndarray, shape: tuple, name: str) -> None:
    if array.shape != tuple(shape):
        raise ValueError(f"{name} has shape {array.shape}, expected {tuple(shape)}")


def as_array_list(arrays, what: str) -> list[np.ndarray]:
    """A list (or tuple) of floating numpy arrays, e.g. a model's parameters; ``TypeError`` else."""
    if isinstance(arrays, (np.ndarray, str)) or not isinstance(arrays, Sequence):
        raise TypeError(
            f"{what} must be a list of arrays (wrap a single array as [w]), "
            f"got {type(arrays).__name__}"
        )
    arrays = list(arrays)
    for k, a in enumerate(arrays):
        if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
            kind = a.dtype if isinstance(a, np.ndarray) else type(a).__name__
            raise TypeError(f"{what}[{k}] must be a floating numpy array, got {kind}")
    return arrays


def match_like(arrays, like, what: str) -> list[np.ndarray]:
    """``arrays``, one per parameter, matching ``like`` ((shape, dtype) per parameter).

    Not a list, or an entry not an array: ``TypeError``; a wrong count, shape or dtype:
    ``ValueError`` naming the parameter. A numpy scalar counts as a 0-d array.
    """
    if isinstance(arrays, (np.ndarray, str)) or not isinstance(arrays, Sequence):
        raise TypeError(
            f"{what} must be a list of arrays, one per parameter, got {type(arrays).__name__}"
        )
    arrays = list(arrays)
    if len(arrays) != len(like):
        raise ValueError(f"{what} has {len(arrays)} arrays but there are {len(like)} parameters")
    for k, (a, (shape, dtype)) in enumerate(zip(arrays, like)):
        if isinstance(a, np.generic):  # arithmetic on a 0-d array gives a numpy scalar
            a = arrays[k] = np.asarray(a)
        if not isinstance(a, np.ndarray):
            raise TypeError(f"{what}[{k}] must be a numpy array, got {type(a).__name__}")
        if a.shape != shape:
            raise ValueError(
                f"{what}[{k}] has shape {a.shape}, but parameter {k} has shape {shape}"
            )
        if a.dtype != dtype:
            raise ValueError(
                f"{what}[{k}] has dtype {a.dtype}, but parameter {k} has dtype {dtype}"
            )
    return arrays


def choose(name: str, known: dict, what: str):
    """Look ``name`` up in ``known``; an unknown name lists the known ones."""
    key = name.lower().replace("-", "_").replace(" ", "_")
    if key not in known:
        raise ValueError(f"unknown {what} {name!r}; known: {', '.join(sorted(known))}")
    return known[key]
