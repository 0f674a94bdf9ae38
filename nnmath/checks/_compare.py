"""The comparison engine: yours against the right answer and against every known mistake."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..gradcheck import relative_error

TOLERANCE = 1e-7  # two exact computations of the same float64 quantity agree far better than this


@dataclass
class _Variant:
    """A known mistake: its words and its output on each random input (``None`` if not applicable)."""

    words: str
    values: list


def _as_array(value):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _shape_words(yours, right, explain, shape_hints):
    if yours.shape in shape_hints:
        return shape_hints[yours.shape]
    if yours.ndim == 2 and yours.shape == right.shape[::-1]:
        return (f"is transposed: it has shape {yours.shape}, expected {right.shape} {explain}.")
    if yours.size == right.size and np.squeeze(np.empty(yours.shape)).shape == np.squeeze(np.empty(right.shape)).shape:
        return (f"has shape {yours.shape}, expected {right.shape} {explain}: keep it a column "
                f"(for example keepdims=True in a sum, or .reshape({', '.join(map(str, right.shape))})).")
    return f"has the wrong shape {yours.shape}, expected {right.shape} {explain}."


def _factor_words(c, factor_hints):
    for value, words in factor_hints.items():
        if np.isclose(c, value, rtol=1e-6, atol=0):
            return words
    if np.isclose(c, -1, rtol=1e-6):
        return "has the wrong sign: it is −1 times the right answer."
    return f"is off by a constant factor: it is {c:.6g} times the right answer."


def _compare(name, yours, right, variants=(), *, tolerance, explain="", shape_hints=None,
             factor_hints=None, first_match=False):
    """Diagnose one part over every random input. Returns (words or None, max relative error).

    ``yours`` and ``right`` are lists with one array per random input. When several variants
    match, all are named, unless ``first_match`` (the variants are in order of preference).
    """
    shape_hints, factor_hints = shape_hints or {}, factor_hints or {}
    arrays = [_as_array(y) for y in yours]
    for y in arrays:
        if y is None or y.dtype.kind != "f":
            return f"is not a numeric array (got {type(yours[0]).__name__}).", np.inf
    for y, r in zip(arrays, right):
        if y.shape != r.shape:
            return _shape_words(y, r, explain, shape_hints), np.inf
    if not all(np.all(np.isfinite(y)) for y in arrays):
        return "contains inf or nan.", np.inf
    errors = [relative_error(y, r) for y, r in zip(arrays, right)]
    if max(errors) <= tolerance:
        return None, max(errors)

    def matches(candidates):
        return all(v is not None and v.shape == y.shape and relative_error(y, v) <= tolerance
                   for y, v in zip(arrays, candidates))

    all_variants = list(variants)
    for r in right[:1]:
        if r.ndim == 2 and r.shape[0] == r.shape[1] and r.shape[0] > 1:
            all_variants.append(_Variant(f"is transposed {explain}.", [x.T for x in right]))
    named = []
    for variant in all_variants:
        if any(v is None or np.shape(v) != r.shape for v, r in zip(variant.values, right)):
            continue  # not applicable here, or a shape that the shape check above already rules out
        indistinguishable = all(relative_error(v, r) <= tolerance for v, r in zip(variant.values, right))
        if not indistinguishable and matches(variant.values) and variant.words not in named:
            named.append(variant.words)
    if len(named) == 1 or (named and (named[0] == "follows" or first_match)):
        return named[0], max(errors)
    if named:  # two mistakes that give the same numbers with these settings: name both
        return (named[0] + " Or: " + " Or: ".join(named[1:])
                + " (With these settings they give the same numbers.)"), max(errors)

    # A constant multiple of the right answer, the same multiple on every input.
    factors = [float(np.vdot(y, r) / np.vdot(r, r)) for y, r in zip(arrays, right) if np.vdot(r, r) > 0]
    if factors and all(relative_error(y, c * r) <= tolerance
                       for y, r, c in zip(arrays, [r for r in right if np.vdot(r, r) > 0], factors)):
        if np.allclose(factors, factors[0], rtol=1e-6, atol=0):
            return _factor_words(factors[0], factor_hints), max(errors)
        listed = ", ".join(f"{c:.3g}" for c in factors)
        return (f"points in the right direction but its size is wrong by a factor that changes from "
                f"input to input ({listed})."), max(errors)

    worst_input = int(np.argmax(errors))
    y, r = arrays[worst_input], right[worst_input]
    gap = np.abs(y - r)
    index = tuple(int(i) for i in np.unravel_index(np.argmax(gap), gap.shape))
    return (f"does not match, and it is none of the common mistakes this check knows. "
            f"Largest difference at index {index}: yours {y[index]:.6g}, right {r[index]:.6g}."), max(errors)


def _positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return int(value)


def _positive_float(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _require_callable(value, name, signature):
    if not callable(value):
        raise TypeError(f"{name} must be a function {signature}, got {type(value).__name__}")

