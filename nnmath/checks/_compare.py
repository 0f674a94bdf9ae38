"""The comparison engine: yours against the right answer and against every known mistake."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..gradcheck import relative_error

# The default tolerance: 1000 float32 epsilons. Correct work agrees far better (float64 to ~1e-13,
# float32, or float64 fed a float32 intermediate, to ~1e-6), and every mistake a check names
# differs from the right answer by far more.
TOLERANCE = float(1000 * np.finfo(np.float32).eps)


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
        return f"is transposed: it has shape {yours.shape}, expected {right.shape} {explain}."
    if (
        yours.size == right.size
        and np.squeeze(np.empty(yours.shape)).shape == np.squeeze(np.empty(right.shape)).shape
    ):
        return (
            f"has shape {yours.shape}, expected {right.shape} {explain}: keep it a column "
            f"(for example keepdims=True in a sum, or .reshape({', '.join(map(str, right.shape))}))."
        )
    return f"has the wrong shape {yours.shape}, expected {right.shape} {explain}."


def _factor_words(c, factor_hints):
    for value, words in factor_hints.items():
        if np.isclose(c, value, rtol=1e-6, atol=0):
            return words
    if np.isclose(c, -1, rtol=1e-6):
        return "has the wrong sign: it is −1 times the right answer."
    return f"is off by a constant factor: it is {c:.6g} times the right answer."


def tolerance_for(values, given=None):
    """The tolerance: ``given`` if the caller set one, else 1000 ε of the dtype returned, and at
    least ``TOLERANCE`` = 1000 ε₃₂ ≈ 1.2e-4 (float64 results often carry a float32 step).
    """
    if given is not None:
        return _positive_float(given, "tolerance")
    eps = float(np.finfo(np.float32).eps)
    for value in values:
        dtype = getattr(value, "dtype", None)
        if dtype is not None and np.issubdtype(dtype, np.floating):
            eps = max(eps, float(np.finfo(dtype).eps))
    return float(min(1e-2, max(TOLERANCE, 1000 * eps)))


def flat_arrays(value):
    """Every array inside ``value`` (nested lists, tuples, dicts, objects with .W and .b)."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        return [a for v in value.values() for a in flat_arrays(v)]
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in flat_arrays(v)]
    if hasattr(value, "W") and hasattr(value, "b"):
        return flat_arrays([value.W, value.b])
    if hasattr(value, "items") and callable(value.items):
        return [a for _, v in value.items() for a in flat_arrays(v)]
    return []


def raised_words(error):
    """What a reader's function raised, in one line."""
    text = str(error).strip().splitlines()
    return f"raised {type(error).__name__}" + (f": {text[0]}" if text else "") + "."


def call_reader(function, *args):
    """``(function(*args), None)``, or ``(None, what it raised, in words)``: a reader's bug is
    reported, not raised. A stub's ``NotImplementedError`` goes through: it is the reader's own
    "write this", not a mistake to diagnose."""
    try:
        return function(*args), None
    except NotImplementedError:
        raise
    except Exception as raised:
        return None, raised_words(raised)


def _digits(y, r):
    """Enough significant digits to show where y and r part (never "0.109115, right 0.109115")."""
    gap = abs(y - r) / max(abs(y), abs(r), np.finfo(float).tiny)
    return int(min(17, max(4, np.ceil(-np.log10(gap)) + 2))) if gap > 0 else 6


def _listed(indices):
    return ", ".join(map(str, indices))


def where_and_how(y, r, tolerance, axis_names=None):
    """Where yours differs from the right answer (entries, rows, steps), how (ratio, sign, …)."""
    diff = y - r
    scale = max(
        float(np.abs(r).max(initial=0)), float(np.abs(y).max(initial=0)), np.finfo(float).tiny
    )
    bad = np.abs(diff) > tolerance * scale
    if not bad.any():
        bad = np.abs(diff) == np.abs(diff).max()
    n_bad, n = int(bad.sum()), bad.size
    names = axis_names or (("row", "column") if y.ndim == 2 else ("entry",) * y.ndim)
    where = ""
    if n_bad == n:
        where = f"every entry differs ({n})"
    elif y.ndim >= 1:
        first = np.flatnonzero(bad.reshape(bad.shape[0], -1).any(axis=1))
        cols = np.flatnonzero(bad.any(axis=0)) if y.ndim == 2 else None
        if names[0] == "step" and first.size and first[0] > 0:
            k = first[0]
            where = (
                "step 1 is right; from step 2 on they differ"
                if k == 1
                else f"steps 1–{k} are right; from step {k + 1} on they differ"
            )
        elif y.ndim == 2 and bad[first].all() and first.size < y.shape[0]:
            where = (
                f"{names[0]}{'s' if first.size > 1 else ''} {_listed(first)} "
                f"differ{'' if first.size > 1 else 's'}, the rest are right"
            )
        elif y.ndim == 2 and bad[:, cols].all() and cols.size < y.shape[1]:
            where = (
                f"{names[1]}{'s' if cols.size > 1 else ''} {_listed(cols)} "
                f"differ{'' if cols.size > 1 else 's'}, the rest are right"
            )
        else:
            where = f"{n_bad} of {n} entries differ"
    nz = bad & (np.abs(r) > 1e-12 * scale)
    how = ""
    ratios = y[nz] / r[nz]
    if ratios.size and np.allclose(ratios, ratios[0], rtol=1e-3, atol=0):
        c = float(ratios[0])
        if abs(c - 1) < 1e-3:
            gap = float(np.abs(ratios - 1).max())
            how = f"there it differs by a relative {gap:.1e}, rounding-sized"
        elif np.isclose(c, -1, rtol=1e-3):
            how = "there it has the opposite sign"
        else:
            how = (
                "there it is zero"
                if abs(c) < 1e-12
                else f"there it is {c:.4g} times the right value"
            )
    elif n_bad > 1 and np.allclose(diff[bad], diff[bad].flat[0], rtol=1e-3, atol=0):
        how = f"there it is off by the same amount, {float(diff[bad].flat[0]):+.4g}"
    elif (
        y.ndim == 2
        and y.shape[0] == y.shape[1]
        and np.allclose(y, r.T, rtol=1e-3, atol=1e-12 * scale)
    ):
        how = "it is the right answer transposed"
    elif ratios.size and np.all(ratios < 0):
        how = (
            f"there it has the opposite sign and a different size "
            f"(ratios {ratios.min():.3g} to {ratios.max():.3g})"
        )
    elif np.abs(y).max(initial=0) <= 1e-12 * scale:
        how = "it is zero everywhere"
    elif ratios.size:
        how = f"there the ratio yours/right runs from {ratios.min():.3g} to {ratios.max():.3g}"
    gap = np.where(bad, np.abs(diff), -1)
    index = tuple(int(i) for i in np.unravel_index(np.argmax(gap), gap.shape))
    d = _digits(float(y[index]), float(r[index]))
    worst = f"largest difference at index {index}: yours {y[index]:.{d}g}, right {r[index]:.{d}g}"
    return "; ".join(w for w in (where, how, worst) if w)


def _compare(
    name,
    yours,
    right,
    variants=(),
    *,
    tolerance,
    explain="",
    shape_hints=None,
    factor_hints=None,
    first_match=False,
    axis_names=None,
):
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
        return all(
            v is not None and v.shape == y.shape and relative_error(y, v) <= tolerance
            for y, v in zip(arrays, candidates)
        )

    all_variants = list(variants)
    for r in right[:1]:
        if r.ndim == 2 and r.shape[0] == r.shape[1] and r.shape[0] > 1:
            all_variants.append(_Variant(f"is transposed {explain}.", [x.T for x in right]))
    named = []
    for variant in all_variants:
        if any(v is None or np.shape(v) != r.shape for v, r in zip(variant.values, right)):
            continue  # not applicable here, or a shape that the shape check above already rules out
        indistinguishable = all(
            relative_error(v, r) <= tolerance for v, r in zip(variant.values, right)
        )
        if not indistinguishable and matches(variant.values) and variant.words not in named:
            named.append(variant.words)
    if len(named) == 1 or (named and (named[0] == "follows" or first_match)):
        return named[0], max(errors)
    if named:  # two mistakes that give the same numbers with these settings: name both
        return (
            named[0]
            + " Or: "
            + " Or: ".join(named[1:])
            + " (With these settings they give the same numbers.)"
        ), max(errors)

    found = f"relative error {max(errors):.1e}, tolerance {tolerance:.0e}"
    if max(errors) < 1e-3:  # no mistake is this small: a precision question, not a wrong formula
        rounding = max(float(np.finfo(y.dtype).eps) for y in arrays)
        if max(errors) > 1e6 * rounding:  # far above the dtype's rounding: an approximation
            return (
                f"is close to the right answer but not within the tolerance ({found}), far above "
                f"the rounding of the {arrays[0].dtype} you return (ε = {rounding:.0e}): an "
                "approximation, not rounding, such as a finite difference or a truncated constant "
                "where the exact formula belongs."
            ), max(errors)
        return (
            f"is close to the right answer but not within the tolerance ({found}): "
            f"compute in float64, or pass a larger tolerance."
        ), max(errors)
    # A constant multiple of the right answer, the same multiple on every input.
    factors = [
        float(np.vdot(y, r) / np.vdot(r, r)) for y, r in zip(arrays, right) if np.vdot(r, r) > 0
    ]
    if factors and all(
        relative_error(y, c * r) <= tolerance
        for y, r, c in zip(arrays, [r for r in right if np.vdot(r, r) > 0], factors)
    ):
        if np.allclose(factors, factors[0], rtol=1e-6, atol=0):
            return _factor_words(factors[0], factor_hints), max(errors)
        listed = ", ".join(f"{c:.3g}" for c in factors)
        return (
            f"points in the right direction but its size is wrong by a factor that changes from "
            f"input to input ({listed})."
        ), max(errors)

    worst_input = int(np.argmax(errors))
    y, r = arrays[worst_input], right[worst_input]
    words = (
        f"does not match, and it is none of the common mistakes this check knows ({found}). "
        f"On input {worst_input + 1}: {where_and_how(y, r, tolerance, axis_names)}."
    )
    return words, max(errors)


def _positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return int(value)


def _positive_float(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating, np.integer))
        or not np.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _require_callable(value, name, signature):
    if not callable(value):
        raise TypeError(f"{name} must be a function {signature}, got {type(value).__name__}")
