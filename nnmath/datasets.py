"""Small 2-D data sets made with numpy from a seed, and the 8×8 handwritten digits that ship
inside scikit-learn (nothing is downloaded).

Each returns ``(X, y)``: inputs ``X`` of shape ``(n_0, n)`` (examples are columns) and integer
labels ``y`` of shape ``(n,)``. ``one_hot(y)`` turns labels into targets of shape ``(k, n)``;
``split`` keeps a random fraction of the examples apart (for validation or a held-out split).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_count, as_nonnegative_number, as_real_array, as_real_number

__all__ = ["xor", "two_moons", "spirals", "blobs", "digits", "one_hot", "Split", "split"]


def xor(n_per_corner: int = 1, noise: float = 0.0, seed=None):
    """The four XOR corners (0/1 inputs, label = x₁ XOR x₂), each repeated with Gaussian noise."""
    n, noise = as_count(n_per_corner, "n_per_corner"), as_nonnegative_number(noise, "noise")
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    X = np.repeat(corners, n, axis=0).T
    y = np.repeat([0, 1, 1, 0], n)
    if noise:
        X = X + noise * np.random.default_rng(seed).standard_normal(X.shape)
    return X, y


def two_moons(n: int = 200, noise: float = 0.1, seed=None):
    """Two interleaving half circles, ⌈n/2⌉ and ⌊n/2⌋ points."""
    n, noise = as_count(n, "n"), as_nonnegative_number(noise, "noise")
    rng = np.random.default_rng(seed)
    n_upper = (n + 1) // 2
    angle = np.concatenate([np.linspace(0, np.pi, n_upper), np.linspace(0, np.pi, n - n_upper)])
    upper = np.arange(n) < n_upper
    x1 = np.where(upper, np.cos(angle), 1 - np.cos(angle))
    x2 = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    X = np.vstack([x1, x2]) + noise * rng.standard_normal((2, n))
    return X, (~upper).astype(int)


def spirals(n_per_class: int = 100, classes: int = 2, noise: float = 0.2, seed=None):
    """``classes`` interleaved spiral arms around the origin, radius growing to 1."""
    n, k = as_count(n_per_class, "n_per_class"), as_count(classes, "classes")
    noise = as_nonnegative_number(noise, "noise")
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n), k)
    label = np.repeat(np.arange(k), n)
    theta = label * 2 * np.pi / k + radius * 4 + noise * rng.standard_normal(n * k)
    X = np.vstack([radius * np.sin(theta), radius * np.cos(theta)])
    return X, label


def blobs(n: int = 200, centers=((-1.0, -1.0), (1.0, 1.0)), spread: float = 0.5, seed=None):
    """Gaussian clouds around ``centers`` (shape ``(k, 2)``), examples dealt out in turn."""
    n, spread = as_count(n, "n"), as_nonnegative_number(spread, "spread")
    centers = as_real_array(centers, "centers", float)
    if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) < 1:
        raise ValueError(f"centers must have shape (k, 2), got {centers.shape}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(centers)
    X = centers[y].T + spread * rng.standard_normal((2, n))
    return X, y


def digits():
    """The 1,797 handwritten digits of scikit-learn's ``load_digits``, 8×8 pixels each.

    Returns ``X`` of shape ``(64, 1797)``, one image per column with its pixel rows laid end to
    end and grey levels 0..16 scaled to [0, 1], and the digits ``y`` (0..9) of shape ``(1797,)``.
    ``X[:, i].reshape(8, 8)`` is image i again. The data ship inside scikit-learn (a copy of the
    UCI optical-digits test set, ``alpaydin1998``); nothing is downloaded.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "nnmath.datasets.digits needs scikit-learn, which ships the digits: "
            "pip install scikit-learn"
        ) from None
    data = load_digits()
    return data.data.T / 16.0, data.target.astype(int)


def one_hot(y, classes: int | None = None) -> np.ndarray:
    """Integer labels ``(n,)`` → one-hot targets ``(classes, n)``."""
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got {type(y).__name__} of dtype {y.dtype}")
    if y.ndim != 1 or (y.size and y.min() < 0):
        raise ValueError(
            f"labels must be a 1-D array of non-negative integers, got {y.dtype} {y.shape}"
        )
    k = int(y.max()) + 1 if classes is None else as_count(classes, "classes")
    if y.size and y.max() >= k:
        raise ValueError(f"label {int(y.max())} does not fit in {k} classes")
    return np.eye(k)[:, y]


@dataclass(frozen=True)
class Split:
    """Examples as columns ``x``, their classes ``labels``, and the one-hot targets ``t``.

    ``classes`` is stated, not inferred from the labels: a small subset may lack the highest class.
    """

    x: np.ndarray
    labels: np.ndarray
    classes: int

    def __post_init__(self):
        if np.ndim(self.x) != 2 or np.ndim(self.labels) != 1 or self.x.shape[1] != self.labels.size:
            raise ValueError(
                "a Split needs examples as the columns of a 2-D x and one label per column, "
                f"got x of shape {np.shape(self.x)} and labels of shape {np.shape(self.labels)}"
            )

    @property
    def t(self) -> np.ndarray:
        return one_hot(self.labels, classes=self.classes)


def split(x, labels, *, apart: float, seed, classes: int) -> tuple[Split, Split]:
    """A random fraction ``apart`` of the examples kept apart (returned second), the rest first.

    The permutation comes from ``seed``, so the same call gives the same two splits.
    """
    whole = Split(as_real_array(x, "x"), np.asarray(labels), as_count(classes, "classes"))
    apart = as_real_number(apart, "apart")
    if not 0 < apart < 1:
        raise ValueError(f"apart is the fraction kept apart, in (0, 1), got {apart!r}")
    one_hot(whole.labels, classes=whole.classes)  # labels must be integers that fit in ``classes``
    order = np.random.default_rng(seed).permutation(whole.labels.size)
    cut = int(round(apart * whole.labels.size))
    rest, kept_apart = order[cut:], order[:cut]
    return (
        Split(whole.x[:, rest], whole.labels[rest], whole.classes),
        Split(whole.x[:, kept_apart], whole.labels[kept_apart], whole.classes),
    )
