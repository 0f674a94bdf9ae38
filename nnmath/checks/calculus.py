"""Derivatives of functions of one number, and of compositions (the chain rule)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..gradcheck import relative_error
from ._compare import _compare, _positive_float, _require_callable, _Variant, call_reader
from ._result import CheckResult, Problem


# -- derivatives of functions and compositions -----------------------------------------------------------
def _is_sympy(f):
    return type(f).__module__.startswith("sympy")


def _value_and_derivative(f, name, h):
    """Numeric callables for f and f'. A sympy expression in one symbol is differentiated exactly."""
    if _is_sympy(f):
        import sympy  # only when a sympy expression is given: nnmath's import stays numpy-only

        symbols = sorted(f.free_symbols, key=str)
        if len(symbols) != 1:
            raise ValueError(
                f"{name} must be an expression in one symbol, got free symbols {symbols}"
            )
        x = symbols[0]
        value, slope = sympy.lambdify(x, f, "numpy"), sympy.lambdify(x, sympy.diff(f, x), "numpy")
        return (lambda u: float(value(u))), (lambda u: float(slope(u)))
    _require_callable(f, name, "of one number")

    def value(u):
        return float(f(u))

    return value, (lambda u: (value(u + h) - value(u - h)) / (2 * h))  # central difference


def _listed(values):
    return "[" + ", ".join(f"{v:.4g}" for v in values) + ", …]"


def _points(points, seed):
    if points is None:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        return rng.uniform(-2, 2, 8)
    points = np.asarray(points, dtype=np.float64).ravel()
    if points.size < 3 or not np.all(np.isfinite(points)):
        raise ValueError(f"points must be at least 3 finite numbers, got {points}")
    return points


def check_derivative(
    derivative: Callable, function, points=None, *, h: float = 1e-5, seed=0, tolerance: float = 1e-6
) -> CheckResult:
    """Check ``derivative(x)`` against f'(x) of ``function`` at several points (8 random ones in
    [−2, 2] unless ``points`` is given). ``function`` is a Python/numpy function of one number (its
    derivative is a central difference with step ``h``) or a sympy expression (differentiated exactly).

    Example::

        check_derivative(lambda x: 1 - np.tanh(x) ** 2, np.tanh)
    """
    _require_callable(derivative, "derivative", "of one number")
    xs = _points(points, seed)
    f, df = _value_and_derivative(function, "function", _positive_float(h, "h"))
    right = np.array([df(x) for x in xs])
    yours = np.array([float(derivative(x)) for x in xs])
    variants = [
        _Variant("is the function itself, not its derivative.", [np.array([f(x) for x in xs])])
    ]
    words, error = _compare(
        "derivative", [yours], [right], variants, tolerance=_positive_float(tolerance, "tolerance")
    )
    problems = [] if words is None else [Problem("derivative", words)]
    return CheckResult(
        f"Derivative at {xs.size} points",
        problems,
        error,
        tolerance,
        xs.size,
        against="f'(x)" + (" (sympy)" if _is_sympy(function) else " (central differences)"),
        input_words="points",
    )


def check_chain_rule(
    derivative: Callable,
    outer,
    inner,
    points=None,
    *,
    h: float = 1e-5,
    seed=0,
    tolerance: float = 1e-6,
) -> CheckResult:
    """Check ``derivative(x)`` of the composition f(g(x)), with f = ``outer`` and g = ``inner``,
    against the chain rule (f∘g)'(x) = f'(g(x)) · g'(x) at several points.

    ``outer`` and ``inner`` are Python/numpy functions of one number (their derivatives are
    central differences) or sympy expressions in one symbol (differentiated exactly; sympy is
    imported only then). The right answer is also compared with a central difference of f(g(x)).

    Example::

        # d/dx sin(x²) = cos(x²) · 2x
        check_chain_rule(lambda x: np.cos(x**2) * 2 * x, outer=np.sin, inner=lambda x: x**2)
    """
    _require_callable(derivative, "derivative", "of one number")
    tolerance, h = _positive_float(tolerance, "tolerance"), _positive_float(h, "h")
    xs = _points(points, seed)
    f, df = _value_and_derivative(outer, "outer", h)
    g, dg = _value_and_derivative(inner, "inner", h)
    gx, dgx = np.array([g(x) for x in xs]), np.array([dg(x) for x in xs])
    df_at_g, df_at_x = np.array([df(u) for u in gx]), np.array([df(x) for x in xs])
    right = df_at_g * dgx  # (f∘g)'(x) = f'(g(x)) · g'(x)
    yours, raised = call_reader(lambda: np.array([float(derivative(x)) for x in xs]))
    if raised:
        problem = Problem("(f∘g)'", raised)
        return CheckResult(
            f"Chain rule at {xs.size} points",
            [problem],
            np.inf,
            tolerance,
            xs.size,
            against="f'(g(x)) · g'(x)",
            input_words="points",
        )
    variants = [
        _Variant(
            "the inner derivative is missing: this is f'(g(x)); the chain rule multiplies it by g'(x).",
            [df_at_g],
        ),
        _Variant(
            "f' is evaluated at x instead of at the inner value g(x): (f∘g)'(x) = f'(g(x)) · g'(x) "
            "(the same slip as σ'(a) for σ'(z) in backprop).",
            [df_at_x * dgx],
        ),
        _Variant(
            "is f'(x): the outer derivative at x, without the inner derivative; the chain rule gives "
            "f'(g(x)) · g'(x).",
            [df_at_x],
        ),
        _Variant(
            "is only the inner derivative g'(x): the outer factor f'(g(x)) is missing.", [dgx]
        ),
        _Variant(
            "the inner derivative is applied twice: f'(g(x)) · g'(x)²; it appears once.",
            [df_at_g * dgx**2],
        ),
        _Variant(
            "adds the derivatives, f'(g(x)) + g'(x); the chain rule multiplies them.",
            [df_at_g + dgx],
        ),
        _Variant(
            "uses f(g(x)), the outer function itself, where its derivative f'(g(x)) belongs.",
            [np.array([f(u) for u in gx]) * dgx],
        ),
        _Variant(
            "composes the derivatives, f'(g'(x)); the chain rule is f'(g(x)) · g'(x).",
            [np.array([df(u) for u in dgx])],
        ),
        _Variant(
            "the inner derivative is wrong: this is f'(g(x)) · g(x), with the inner function "
            "where its "
            "derivative g'(x) belongs.",
            [df_at_g * gx],
        ),
        _Variant(
            "the inner derivative is evaluated at the wrong point, g'(g(x)); the chain rule "
            "uses g'(x).",
            [df_at_g * np.array([dg(u) for u in gx])],
        ),
        _Variant(
            "the outer derivative is evaluated at the wrong point, f'(g'(x)) · g'(x); it "
            "belongs at the "
            "inner value: f'(g(x)) · g'(x).",
            [np.array([df(u) for u in dgx]) * dgx],
        ),
        _Variant(
            "the outer derivative is evaluated at the wrong point, f'(f(x)) · g'(x); it "
            "belongs at the "
            "inner value g(x): f'(g(x)) · g'(x).",
            [np.array([df(f(x)) for x in xs]) * dgx],
        ),
        _Variant(
            "divides by the inner derivative, f'(g(x)) / g'(x); the chain rule multiplies: "
            "f'(g(x)) · g'(x).",
            [df_at_g / np.where(dgx == 0, np.nan, dgx)],
        ),
    ]
    variants = [v for v in variants if np.all(np.isfinite(v.values[0]))]
    words, error = _compare("derivative", [yours], [right], variants, tolerance=tolerance)
    if words is not None and "none of the common mistakes" in words and np.all(df_at_g != 0):
        shown = slice(0, 4)  # the outer factor may be right and the inner one wrong: show both
        words += (
            " If your outer factor f'(g(x)) is right, your inner derivative is yours / "
            "f'(g(x)) = "
            f"{_listed(yours[shown] / df_at_g[shown])} at x = {_listed(xs[shown])}, where "
            "g'(x) = "
            f"{_listed(dgx[shown])}."
        )
    problems = [] if words is None else [Problem("(f∘g)'", words)]
    numeric = np.array([(f(g(x + h)) - f(g(x - h))) / (2 * h) for x in xs])
    notes = [
        f"The chain rule agrees with a central difference of f(g(x)) (h = {h:g}) to "
        f"{relative_error(right, numeric):.1e}."
    ]
    return CheckResult(
        f"Chain rule at {xs.size} points",
        problems,
        error,
        tolerance,
        xs.size,
        notes,
        against="f'(g(x)) · g'(x)",
        input_words="points",
    )
