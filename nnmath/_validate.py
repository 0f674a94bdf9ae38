"""Input checks shared by the core modules: each names what was wrong and where."""
from __future__ import annotations

import numpy as np


def as_float_matrix(value, name: str, dtype=None) -> np.ndarray:
    """Return ``value`` as a finite 2-D floating array, or raise ``ValueError`` naming ``name``."""
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {type(value).__name__}: {error}") from None
    if array.dtype.kind not in "fiub":
        raise ValueError(f"{name} must be numeric, got dtype {array.dtype}")
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array with one column per example, got shape {array.shape}"
            + (" (use .reshape(-1, 1) for a single example)" if array.ndim == 1 else "")
        )
    require_finite(array, name)
    return array


def require_finite(array: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name} contains non-finite values (first at index {tuple(int(i) for i in bad)}: "
            f"{array[tuple(bad)]})"
        )


def require_shape(array: np.ndarray, shape: tuple, name: str) -> None:
    if array.shape != tuple(shape):
        raise ValueError(f"{name} has shape {array.shape}, expected {tuple(shape)}")


def choose(name: str, known: dict, what: str):
    """Look ``name`` up in ``known``; an unknown name lists the known ones."""
    key = name.lower().replace("-", "_").replace(" ", "_")
    if key not in known:
        raise ValueError(f"unknown {what} {name!r}; known: {', '.join(sorted(known))}")
    return known[key]
