"""Self-checks for readers: run your own implementation against nnmath and say what is wrong.

Each ``check_*`` function calls your code on several random inputs, computes the right answer
with nnmath (and confirms that answer with central differences), and returns a
:class:`CheckResult`. A correct implementation passes with the error measured; a wrong one gets
a diagnosis in words — wrong shape (and which), transposed, off by a constant factor (which),
wrong sign, the activation derivative missing or applied twice, f' evaluated at a instead of z,
the bias gradient not summed over the batch, averaged instead of summed (or the reverse), the
learning rate applied twice, the optimizer's state not carried, …

How a diagnosis is made: every known mistake is itself computed from the same inputs (the
"wrong variants"), and a mistake is named only when your output matches that variant to the
tolerance on *every* random input, and the variant differs from the right answer (a mistake
that gives the right answer for this activation, such as f'(z)² for ReLU, is never named).

Notation is the book's: examples are columns; ``W`` of layer l has shape (n_l, n_{l-1}); the
error δ^l = ∂C/∂z^l has shape (n_l, batch); a network's gradients are ``grads.W[l]``,
``grads.b[l]`` for l = 1..L.

Examples
--------
A layer's backward pass, ``backward(W, b, a_prev, grad_a) -> (delta, grad_W, grad_b, grad_a_prev)``::

    def backward(W, b, a_prev, grad_a):
        z = W @ a_prev + b
        a = 1 / (1 + np.exp(-z))
        delta = grad_a * a * (1 - a)                  # δ^l = ∂C/∂a^l ⊙ σ'(z^l)
        return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta

    check_layer_backward(backward, "sigmoid")        # ✓ … correct

A whole network's gradients, ``backprop(net, x, t) -> grads`` with ``grads.W[l]``, ``grads.b[l]``::

    check_network_gradients(my_backprop, sizes=[3, 4, 2], activations="sigmoid")

An optimizer step, ``step(w, g, state) -> (w_new, state)`` (``state`` is ``None`` on the first
call unless you pass ``init``)::

    def momentum(w, g, v):
        v = np.zeros_like(w) if v is None else v
        v = 0.9 * v - 0.1 * g                         # v ← μv − α∇C
        return w + v, v                               # w ← w + v

    check_optimizer_step(momentum, "momentum", learning_rate=0.1, momentum=0.9)

The derivative of a composition f(g(x)), for plain Python/numpy functions (or sympy expressions)::

    check_chain_rule(lambda x: 2 * np.tanh(x**2) * (1 - np.tanh(x**2)**2) * 2 * x,
                     outer=lambda u: u**2, inner=lambda x: np.tanh(x**2))

For an autograder, ``result.assert_passed()`` raises ``AssertionError`` with the diagnosis.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .activations import Softmax, get_activation
from .gradcheck import network_numerical_gradients, numerical_gradient, relative_error
from .losses import get_loss
from .network import ByLayer, Network

__all__ = [
    "CheckResult", "Problem", "check_layer_backward", "check_network_gradients",
    "check_optimizer_step", "check_chain_rule", "check_derivative", "OPTIMIZERS",
]

TOLERANCE = 1e-7  # two exact computations of the same float64 quantity agree far better than this


# -- the result ------------------------------------------------------------------------------------
@dataclass
class Problem:
    """One thing that is wrong: which part (``"δ"``, ``"W^2"``, …) and what, in words."""

    part: str
    words: str

    def __str__(self):
        return f"{self.part}: {self.words}"


@dataclass
class CheckResult:
    """The outcome of a check: ``passed``, ``diagnosis`` (words) and ``max_relative_error``.

    ``max_relative_error`` is the largest relative error ‖yours − right‖ / (‖yours‖ + ‖right‖)
    over every part and every random input (``inf`` when a shape is wrong). ``notes`` are
    measured facts, such as how well the right answer agrees with central differences.
    """

    title: str
    problems: list[Problem]
    max_relative_error: float
    tolerance: float
    inputs: int
    notes: list[str] = field(default_factory=list)
    against: str = "nnmath"
    input_words: str = "random inputs"

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def diagnosis(self) -> str:
        if self.passed:
            return "correct"
        return "\n".join(str(p) for p in self.problems)

    def __bool__(self):
        return self.passed

    def _measure(self) -> str:
        return (f"largest relative error against {self.against}: {self.max_relative_error:.1e} "
                f"(tolerance {self.tolerance:.0e}, {self.inputs} {self.input_words})")

    def __str__(self):
        if self.passed:
            lines = [f"✓ {self.title}: correct."]
        else:
            count = len(self.problems)
            lines = [f"✗ {self.title}: {count} problem{'s' if count > 1 else ''}."]
            lines += [f"  • {p}" for p in self.problems]
        lines.append(f"  {self._measure()}")
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        colour, mark = ("#009E73", "✓") if self.passed else ("#D55E00", "✗")  # Okabe-Ito green, vermillion
        if self.passed:
            body = ""
        else:
            body = "<ul>" + "".join(f"<li><b>{html.escape(p.part)}</b>: {html.escape(p.words)}</li>"
                                    for p in self.problems) + "</ul>"
        notes = "".join(f"<br>{html.escape(n)}" for n in self.notes)
        verdict = "correct" if self.passed else f"{len(self.problems)} problem(s)"
        return (f'<div class="nnmath-check" style="border-left: 4px solid {colour}; padding-left: 0.6em">'
                f'<b style="color: {colour}">{mark}</b> <b>{html.escape(self.title)}</b>: {verdict}'
                f"{body}<small>{html.escape(self._measure())}{notes}</small></div>")

    def assert_passed(self) -> CheckResult:
        """Raise ``AssertionError`` with the diagnosis unless the check passed (for autograders)."""
        if not self.passed:
            raise AssertionError(str(self))
        return self


# -- the comparison engine ---------------------------------------------------------------------------
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


# -- one layer's backward pass -------------------------------------------------------------------------
LAYER_PARTS = ("δ", "∇W", "∇b", "∂C/∂a^{l-1}")


def _layer_outputs(returned):
    if isinstance(returned, Mapping):
        keys = [("delta", "δ"), ("W", "grad_W", "∇W"), ("b", "grad_b", "∇b"), ("a_prev", "grad_a_prev", "x")]
        out = []
        for names in keys:
            found = [returned[k] for k in names if k in returned]
            out.append(found[0] if found else None)
        return out if out[0] is not None and out[1] is not None and out[2] is not None else None
    if isinstance(returned, (tuple, list)) and len(returned) in (3, 4):
        return list(returned) + [None] * (4 - len(returned))
    return None


def check_layer_backward(backward: Callable, activation="sigmoid", *, n_in: int = 3, n_out: int = 2,
                         batch: int = 3, inputs: int = 3, seed=0, tolerance: float = TOLERANCE) -> CheckResult:
    """Check one layer's backward pass ``backward(W, b, a_prev, grad_a)``.

    Your function gets the layer's weights ``W`` (n_out, n_in), biases ``b`` (n_out, 1), its input
    ``a_prev`` = a^{l-1} (n_in, batch) and ``grad_a`` = ∂C/∂a^l (n_out, batch), and returns
    ``(delta, grad_W, grad_b, grad_a_prev)``: δ^l = ∂C/∂a^l ⊙ f'(z^l) with z^l = W a^{l-1} + b,
    ∇W^l = δ^l (a^{l-1})ᵀ, ∇b^l = δ^l summed over the batch, and ∂C/∂a^{l-1} = (W^l)ᵀ δ^l. The last
    may be left out (return three things), or return a dict with keys delta, W, b, a_prev.

    ``activation`` is the layer's f (a name or ``nnmath.activations`` object).

    Example::

        def backward(W, b, a_prev, grad_a):
            z = W @ a_prev + b
            delta = grad_a * (1 - np.tanh(z) ** 2)
            return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta

        check_layer_backward(backward, "tanh", n_in=4, n_out=3).assert_passed()
    """
    _require_callable(backward, "backward", "(W, b, a_prev, grad_a) -> (delta, grad_W, grad_b, grad_a_prev)")
    f = get_activation(activation)
    n_in, n_out = _positive_int(n_in, "n_in"), _positive_int(n_out, "n_out")
    batch, inputs = _positive_int(batch, "batch"), _positive_int(inputs, "inputs")
    tolerance = _positive_float(tolerance, "tolerance")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    title = f"Layer backward pass ({f.name}, {n_in} → {n_out} units, batch of {batch})"

    cases, yours = [], []
    for _ in range(inputs):
        W = rng.standard_normal((n_out, n_in))
        b = 0.5 * rng.standard_normal((n_out, 1))
        a_prev = rng.standard_normal((n_in, batch))
        grad_a = rng.standard_normal((n_out, batch))
        cases.append((W, b, a_prev, grad_a))
        returned = backward(W.copy(), b.copy(), a_prev.copy(), grad_a.copy())
        outputs = _layer_outputs(returned)
        if outputs is None:
            words = (f"returned {type(returned).__name__}"
                     + (f" of length {len(returned)}" if isinstance(returned, (tuple, list)) else "")
                     + "; return a tuple (delta, grad_W, grad_b, grad_a_prev), or the first three.")
            return CheckResult(title, [Problem("backward", words)], np.inf, tolerance, inputs)
        yours.append(outputs)

    # The right answer, with nnmath: each line one equation.
    right = {part: [] for part in LAYER_PARTS}
    for W, b, a_prev, grad_a in cases:
        z = W @ a_prev + b                                        # z^l = W^l a^{l-1} + b^l
        delta = f.backward(z, grad_a)                             # δ^l = ∂C/∂a^l ⊙ f'(z^l)
        right["δ"].append(delta)
        right["∇W"].append(delta @ a_prev.T)                      # ∇W^l = δ^l (a^{l-1})ᵀ
        right["∇b"].append(delta.sum(axis=1, keepdims=True))      # ∇b^l = δ^l, summed over the batch
        right["∂C/∂a^{l-1}"].append(W.T @ delta)                  # ∂C/∂a^{l-1} = (W^l)ᵀ δ^l

    problems, worst = [], 0.0
    # δ: the activation-derivative mistakes, each computed from the same inputs.
    derivative_variants = _delta_variants(f, cases)
    words, error = _compare("δ", [y[0] for y in yours], right["δ"], derivative_variants,
                            tolerance=tolerance, explain=f"(δ^l has the shape of z^l: (n_l, batch) = {(n_out, batch)})",
                            factor_hints={})
    worst = max(worst, error)
    delta_words = words
    # The later parts are built from your δ when its shape is right, so a mistake in δ is not
    # blamed on them, and their own mistakes are found relative to it.
    delta_ok_shape = words is None or np.shape(yours[0][0]) == (n_out, batch)
    base = [np.asarray(y[0], dtype=np.float64) if delta_ok_shape else r for y, r in zip(yours, right["δ"])]
    follows = []

    def from_delta(part, formula, variants, **kwargs):
        nonlocal worst
        values = [y[LAYER_PARTS.index(part)] for y in yours]
        if any(v is None for v in values):
            return
        own = [formula(d, case) for d, case in zip(base, cases)]
        candidates = []
        if delta_words is not None:
            candidates.append(_Variant("follows", own))
        candidates += variants
        words, error = _compare(part, values, right[part], candidates, tolerance=tolerance, **kwargs)
        worst = max(worst, error)
        if words == "follows":
            follows.append(part)
        elif words is not None:
            problems.append(Problem(part, words))

    m = batch
    from_delta("∇W", lambda d, c: d @ c[2].T, [
        _Variant(f"is averaged over the batch (divided by m = {m}); it is the sum over the examples, "
                 "∇W^l = δ^l (a^{l-1})ᵀ — any 1/m of a mean loss is already inside ∂C/∂a^l.",
                 [d @ c[2].T / m for d, c in zip(base, cases)]),
        _Variant("uses a^l (this layer's own activation) where the layer's input a^{l-1} belongs: "
                 "∇W^l = δ^l (a^{l-1})ᵀ.",
                 [d @ f.value(c[0] @ c[2] + c[1]).T for d, c in zip(base, cases)]),
    ], explain=f"(W^l has shape (n_l, n_{{l-1}}) = {(n_out, n_in)}; ∇W^l = δ^l (a^{{l-1}})ᵀ)",
        shape_hints={(n_out, n_out): "uses a^l (this layer's own activation) where the layer's input a^{l-1} "
                     f"belongs: it has shape {(n_out, n_out)}, expected {(n_out, n_in)}; ∇W^l = δ^l (a^{{l-1}})ᵀ."}
        if n_in != n_out else {})

    bias_hints = {
        (n_out, batch): f"is not summed over the batch: it has shape {(n_out, batch)}, one column per example, "
                        f"like δ^l. ∇b^l is δ^l summed over the examples: delta.sum(axis=1, keepdims=True), "
                        f"shape {(n_out, 1)}.",
        (1, batch): f"is summed over the units (axis 0) instead of over the examples (axis 1): "
                    f"use delta.sum(axis=1, keepdims=True), shape {(n_out, 1)}.",
        (batch,): f"is summed over the units (axis 0) instead of over the examples (axis 1): "
                  f"use delta.sum(axis=1, keepdims=True), shape {(n_out, 1)}.",
        (): f"is summed over everything, to one number: sum over the examples only, "
            f"delta.sum(axis=1, keepdims=True), shape {(n_out, 1)}.",
    }
    if batch == 1:
        bias_hints.pop((n_out, batch))
    if n_out == 1:
        bias_hints.pop((1, batch), None)
        bias_hints.pop((batch,), None)
    from_delta("∇b", lambda d, c: d.sum(axis=1, keepdims=True), [
        _Variant(f"is averaged over the batch instead of summed: ∇b^l is δ^l summed over the m = {m} examples "
                 "(delta.sum(axis=1, keepdims=True)); any 1/m of a mean loss is already inside δ^l.",
                 [d.mean(axis=1, keepdims=True) for d in base]),
    ], explain=f"(b^l has shape (n_l, 1) = {(n_out, 1)})", shape_hints=bias_hints)

    from_delta("∂C/∂a^{l-1}", lambda d, c: c[0].T @ d, [
        _Variant("uses ∂C/∂a^l where δ^l belongs: ∂C/∂a^{l-1} = (W^l)ᵀ δ^l, and δ^l already includes f'(z^l).",
                 [c[0].T @ c[3] for c in cases]),
        _Variant("uses W^l where its transpose belongs: ∂C/∂a^{l-1} = (W^l)ᵀ δ^l.",
                 [c[0] @ d if n_in == n_out else None for d, c in zip(base, cases)]),
    ], explain=f"(a^{{l-1}} has shape (n_{{l-1}}, batch) = {(n_in, batch)}; ∂C/∂a^{{l-1}} = (W^l)ᵀ δ^l)")

    if delta_words is not None:
        if follows:
            delta_words += (f" ({', '.join(follows)} follow{'s' if len(follows) == 1 else ''} correctly "
                            "from your δ, so fixing δ fixes "
                            f"{'it' if len(follows) == 1 else 'them'}.)")
        problems.insert(0, Problem("δ", delta_words))

    notes = [_layer_finite_difference_note(f, cases[0], right, yours[0])]
    return CheckResult(title, problems, worst, tolerance, inputs, notes)


def _elementwise(f) -> bool:
    """Every activation but softmax acts entry by entry (softmax's derivative is a Jacobian)."""
    return not isinstance(f, Softmax)


def _delta_variants(f, cases):
    """δ computed with each activation-derivative mistake, for every input."""
    zs = [W @ a_prev + b for W, b, a_prev, _ in cases]
    grads = [c[3] for c in cases]
    variants = [_Variant("the activation derivative is missing: δ^l = ∂C/∂a^l ⊙ f'(z^l), and this is "
                         "∂C/∂a^l without the factor f'(z^l).", grads)]
    if _elementwise(f):
        d = f.derivative
        variants += [
            _Variant("the activation derivative is applied twice: it is ∂C/∂a^l ⊙ f'(z^l) ⊙ f'(z^l); "
                     "δ^l = ∂C/∂a^l ⊙ f'(z^l) has it once.", [g * d(z) ** 2 for g, z in zip(grads, zs)]),
            _Variant("f' is evaluated at a^l = f(z^l) instead of at z^l: δ^l = ∂C/∂a^l ⊙ f'(z^l)"
                     + (" (for the sigmoid, σ'(z) = σ(z)(1 − σ(z)) = a(1 − a): use a directly, not σ'(a))."
                        if f.name == "sigmoid" else "."),
                     [g * d(f.value(z)) for g, z in zip(grads, zs)]),
            _Variant("uses the activation f(z^l) = a^l where its derivative f'(z^l) belongs: "
                     "δ^l = ∂C/∂a^l ⊙ f'(z^l).", [g * f.value(z) for g, z in zip(grads, zs)]),
        ]
        if f.name == "sigmoid":
            variants.append(_Variant("writes σ'(z) as z(1 − z); the formula is σ(z)(1 − σ(z)) = a(1 − a), "
                                     "with a = σ(z).", [g * z * (1 - z) for g, z in zip(grads, zs)]))
        if f.name == "tanh":
            variants.append(_Variant("writes tanh'(z) as 1 − z²; the formula is 1 − tanh²(z) = 1 − a².",
                                     [g * (1 - z ** 2) for g, z in zip(grads, zs)]))
    else:  # softmax: its derivative is a Jacobian, not a number per unit
        s = [f.value(z) for z in zs]
        variants.append(_Variant(
            "treats softmax as elementwise, ∂C/∂a ⊙ s(1 − s), which keeps only the diagonal of its Jacobian; "
            "δ = s ⊙ (∂C/∂a − Σ_i s_i ∂C/∂a_i), the Jacobian-transpose product.",
            [g * si * (1 - si) for g, si in zip(grads, s)]))
    return variants


def _layer_finite_difference_note(f, case, right, yours):
    """How far the right answer, and yours, are from central differences of C = Σ ∂C/∂a ⊙ f(W a + b)."""
    W, b, a_prev, grad_a = case
    numeric = {
        "δ": numerical_gradient(lambda z: np.sum(grad_a * f.value(z)), W @ a_prev + b, h=1e-5),
        "∇W": numerical_gradient(lambda w: np.sum(grad_a * f.value(w @ a_prev + b)), W, h=1e-5),
        "∇b": numerical_gradient(lambda c: np.sum(grad_a * f.value(W @ a_prev + c)), b, h=1e-5),
        "∂C/∂a^{l-1}": numerical_gradient(lambda x: np.sum(grad_a * f.value(W @ x + b)), a_prev, h=1e-5),
    }
    ours = max(relative_error(right[p][0], numeric[p]) for p in LAYER_PARTS)
    mine = [relative_error(np.asarray(y, dtype=np.float64), numeric[p]) for p, y in zip(LAYER_PARTS, yours)
            if y is not None and np.shape(y) == numeric[p].shape]
    text = f"Central differences (h = 1e-5) agree with nnmath to {ours:.1e}"
    if len(mine) == sum(y is not None for y in yours):
        text += f" and with yours to {max(mine):.1e}"
    return text + "."


# -- a whole network's gradients -------------------------------------------------------------------------
def _layer_list(value, L):
    """Arrays for layers 1..L from a ByLayer, a dict {l: array} or a list with layer 1 first."""
    if isinstance(value, ByLayer):
        return [value[l] for l in range(1, L + 1)] if value.first == 1 and len(value) == L else None
    if isinstance(value, Mapping):
        return [value[l] for l in range(1, L + 1)] if all(l in value for l in range(1, L + 1)) else None
    if isinstance(value, (list, tuple)) and len(value) == L:
        return list(value)
    return None


def _gradient_lists(returned, L):
    if isinstance(returned, Mapping) and "W" in returned and "b" in returned:
        W, b = returned["W"], returned["b"]
    elif hasattr(returned, "W") and hasattr(returned, "b"):
        W, b = returned.W, returned.b
    elif isinstance(returned, (tuple, list)) and len(returned) == 2:
        W, b = returned
    else:
        return None, None
    return _layer_list(W, L), _layer_list(b, L)


def _backprop_with(net, x, t, output="right", hidden="right", bias="sum"):
    """Backprop with one of the classic mistakes in (BP1), (BP2) or (BP4); "right" is nnmath's."""
    fwd = net.forward(x)
    W, f, z, a, L = net.W, net.f, fwd.z, fwd.a, net.L
    paired = getattr(net.loss, "paired_activation", None) == f[L].name
    delta = ByLayer(1, [None] * L)
    right_output = net.loss.output_error(f[L], z[L], a[L], t)           # δ^L = ∇_a C ⊙ f'(z^L)
    if output == "right":
        delta[L] = right_output
    elif output == "missing":                                             # δ^L = ∇_a C
        delta[L] = None if paired else net.loss.gradient(a[L], t)
    elif output == "twice":                                               # δ^L = ∇_a C ⊙ f'(z^L)²
        delta[L] = right_output * f[L].derivative(z[L]) if _elementwise(f[L]) else None
    elif output == "at_a":                                                # δ^L = ∇_a C ⊙ f'(a^L)
        delta[L] = None if paired or not _elementwise(f[L]) else net.loss.gradient(a[L], t) * f[L].derivative(a[L])
    if delta[L] is None:
        return None
    for l in range(L - 1, 0, -1):
        back = W[l + 1].T @ delta[l + 1]                                  # (W^{l+1})ᵀ δ^{l+1}
        if hidden != "right" and not _elementwise(f[l]):
            return None
        delta[l] = {"right": lambda: f[l].backward(z[l], back),           # ⊙ f'(z^l)
                    "missing": lambda: back,                              # no f'
                    "twice": lambda: back * f[l].derivative(z[l]) ** 2,   # ⊙ f'(z^l)²
                    "at_a": lambda: back * f[l].derivative(a[l]),         # ⊙ f'(a^l)
                    }[hidden]()
    grad_W = [delta[l] @ a[l - 1].T for l in range(1, L + 1)]             # ∇W^l = δ^l (a^{l-1})ᵀ
    reduce = np.sum if bias == "sum" else np.mean
    grad_b = [reduce(delta[l], axis=1, keepdims=True) for l in range(1, L + 1)]  # ∇b^l = Σ δ^l
    return grad_W, grad_b


def _network_variants(net, L, reduction, m):
    """(words, output, hidden, bias) of every whole-network mistake the check knows."""
    out, last = net.f[L].name, f"f'(z^{L})"
    paired = getattr(net.loss, "paired_activation", None) == out
    twice_output = (f"δ^L is multiplied by {last} although with {net.loss.name} and a {out} output "
                    "δ^L = a^L − t (times the batch factor) already includes the activation's derivative."
                    if paired else
                    f"the activation derivative is applied twice at the output: (BP1) is "
                    f"δ^L = ∇_a C ⊙ {last}, once.")
    delta_mistakes = [
        (f"the activation derivative is missing at the output: (BP1) is δ^L = ∇_a C ⊙ {last}.",
         "missing", "right", "sum"),
        ("the activation derivative is missing in the hidden layers: (BP2) is "
         "δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l).", "right", "missing", "sum"),
        ("the activation derivative f'(z^l) is missing in every layer: (BP1) δ^L = ∇_a C ⊙ f'(z^L) and "
         "(BP2) δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l) both have it.", "missing", "missing", "sum"),
        (twice_output, "twice", "right", "sum"),
        ("the activation derivative is applied twice in the hidden layers: (BP2) is "
         "δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l), once.", "right", "twice", "sum"),
        ("the activation derivative is applied twice in every layer: δ^l = … ⊙ f'(z^l), once.",
         "twice", "twice", "sum"),
        ("f' is evaluated at a^l = f(z^l) instead of at z^l, in every layer (for the sigmoid, "
         "σ'(z) = a(1 − a): use a directly, not σ'(a)).", "at_a", "at_a", "sum"),
        ("f' is evaluated at a^l = f(z^l) instead of at z^l in the hidden layers: (BP2) uses f'(z^l).",
         "right", "at_a", "sum"),
        (f"f' is evaluated at a^L instead of at z^L at the output: (BP1) is δ^L = ∇_a C ⊙ {last}.",
         "at_a", "right", "sum"),
    ]
    bias_mean = (f"the bias gradient is averaged over the batch instead of summed: ∇b^l is δ^l summed over the "
                 f"m = {m} examples (delta.sum(axis=1, keepdims=True)); "
                 + ("this loss sums over the batch." if reduction == "sum"
                    else "the 1/m of this mean loss is already inside δ^l."))
    # Each mistake alone, then each δ mistake together with the averaged bias gradient (a
    # variant's words are a list: one problem each).
    return ([([words], output, hidden, bias) for words, output, hidden, bias in delta_mistakes]
            + [([bias_mean], "right", "right", "mean")]
            + [([words, bias_mean], output, hidden, "mean") for words, output, hidden, _ in delta_mistakes])


def check_network_gradients(backprop: Callable, sizes=(3, 4, 2), activations="sigmoid",
                            loss="half_squared_error", *, reduction=None, batch: int = 3, inputs: int = 3,
                            seed=0, tolerance: float = TOLERANCE) -> CheckResult:
    """Check a whole network's gradients ``backprop(net, x, t) -> grads``.

    Your function gets an ``nnmath.Network`` ``net`` (use ``net.W[l]``, ``net.b[l]``, ``net.f[l]``,
    ``net.loss``, ``net.forward``), inputs ``x`` (n_0, batch) and targets ``t`` (n_L, batch), and
    returns the gradients of the cost ∇W^l, ∇b^l for l = 1..L as anything with ``.W[l]`` and
    ``.b[l]`` (like ``nnmath.Gradients``), a dict ``{"W": …, "b": …}`` or a pair ``(grad_W, grad_b)``;
    each of those may be a ``ByLayer``, a dict ``{l: array}`` or a list with layer 1 first.

    Networks are built with ``nnmath.Network(sizes, activations, loss, reduction=…)`` and random
    weights and biases; the right gradients are nnmath's backprop, itself compared with central
    differences (the measured agreement is in the notes).

    Example::

        def backprop(net, x, t):
            fwd, L = net.forward(x), net.L
            delta = {L: net.loss.gradient(fwd.a[L], t) * net.f[L].derivative(fwd.z[L])}
            for l in range(L - 1, 0, -1):
                delta[l] = (net.W[l + 1].T @ delta[l + 1]) * net.f[l].derivative(fwd.z[l])
            return ({l: delta[l] @ fwd.a[l - 1].T for l in delta},
                    {l: delta[l].sum(axis=1, keepdims=True) for l in delta})

        check_network_gradients(backprop, sizes=[2, 3, 3, 2], activations="tanh")
    """
    _require_callable(backprop, "backprop", "(net, x, t) -> gradients with .W[l] and .b[l]")
    batch, inputs = _positive_int(batch, "batch"), _positive_int(inputs, "inputs")
    tolerance = _positive_float(tolerance, "tolerance")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    loss_object = get_loss(loss, reduction)
    probe = Network(sizes, activations, loss_object, seed=0)
    L, sizes = probe.L, probe.sizes
    title = (f"Network gradients ({'-'.join(map(str, sizes))}, {', '.join(f.name for f in probe.f)}, "
             f"{loss_object.name} {'summed' if loss_object.reduction == 'sum' else 'averaged'} "
             f"over a batch of {batch})")

    nets, cases, yours_W, yours_b = [], [], [], []
    for _ in range(inputs):
        net = Network(sizes, activations, loss_object, seed=rng)
        for l in range(1, L + 1):  # nonzero biases, so a bias mistake shows
            net.b[l][...] = 0.3 * rng.standard_normal(net.b[l].shape)
        x = rng.standard_normal((sizes[0], batch))
        t = _targets(loss_object.name, (sizes[-1], batch), rng)
        nets.append(net)
        cases.append((x, t))
        saved = [p.copy() for p in net.parameters()]
        returned = backprop(net, x.copy(), t.copy())
        for p, s in zip(net.parameters(), saved):  # a student's in-place update must not spoil the check
            p[...] = s
        grad_W, grad_b = _gradient_lists(returned, L)
        if grad_W is None or grad_b is None:
            words = (f"returned {type(returned).__name__}; return the gradients for layers 1..{L} as an object "
                     "with .W[l] and .b[l], a dict {'W': …, 'b': …} or a pair (grad_W, grad_b), each a dict "
                     f"{{l: array}} or a list of {L} arrays with layer 1 first.")
            return CheckResult(title, [Problem("backprop", words)], np.inf, tolerance, inputs)
        yours_W.append(grad_W)
        yours_b.append(grad_b)

    right = [_backprop_with(net, x, t) for net, (x, t) in zip(nets, cases)]
    variants = []
    for words, output, hidden, bias in _network_variants(probe, L, loss_object.reduction, batch):
        values = [_backprop_with(net, x, t, output, hidden, bias) for net, (x, t) in zip(nets, cases)]
        variants.append(("\n".join(words), None if any(v is None for v in values) else values))

    if loss_object.reduction == "sum":
        batch_factor = {1 / batch: f"is 1/m of the right gradient (m = {batch}): this loss sums over the "
                                   "batch, so the gradients sum the examples' gradients; you averaged them."}
    else:
        batch_factor = {batch: f"is m = {batch} times the right gradient: this loss averages over the batch "
                               "(reduction='mean'), so its gradient carries a factor 1/m; you summed."}
    factor_hints = dict(batch_factor)
    if loss_object.name == "half_squared_error":
        factor_hints[2.0] = "is twice the right gradient: the derivative of ½(a − t)² is (a − t), not 2(a − t)."
    factor_hints[-1.0] = ("has the wrong sign: ∇_a C of the loss is (a − t) for the squared error, not (t − a); "
                          "the minus sign belongs in the update w ← w − α∇C, not in the gradient.")

    problems, worst = _whole_network_diagnosis(yours_W, yours_b, right, variants, factor_hints, L, tolerance)
    by_words = {}
    for l in range(1, L + 1) if not problems else ():
        for kind, yours in (("W", yours_W), ("b", yours_b)):
            k = 0 if kind == "W" else 1
            explain = (f"(W^{l} has shape (n_{l}, n_{l - 1}) = {(sizes[l], sizes[l - 1])})" if kind == "W"
                       else f"(b^{l} has shape (n_{l}, 1) = {(sizes[l], 1)})")
            hints = {}
            if kind == "b":
                if batch > 1:
                    hints[(sizes[l], batch)] = (f"is not summed over the batch: it has one column per example, "
                                                f"like δ^{l}. ∇b^{l} is δ^{l} summed over the examples: "
                                                "delta.sum(axis=1, keepdims=True).")
                hints[()] = "is one number: sum δ^l over the examples only (axis=1, keepdims=True)."
            words, error = _compare(
                f"{kind}^{l}", [y[l - 1] for y in yours], [r[k][l - 1] for r in right],
                [_Variant(w, [vi[k][l - 1] for vi in v]) for w, v in variants if v is not None],
                tolerance=tolerance, explain=explain, shape_hints=hints, factor_hints=factor_hints,
                first_match=True)
            worst = max(worst, error)
            for piece in [] if words is None else words.split("\n"):
                by_words.setdefault(piece, []).append(f"∇{kind}^{l}")
    problems += [Problem(", ".join(parts), words) for words, parts in by_words.items()]

    notes = []
    net, (x, t) = nets[0], cases[0]
    if net.n_parameters <= 400:
        numeric = network_numerical_gradients(net, x, t, h=1e-5)
        ours = max(relative_error(r, n) for r, n in zip(right[0][0] + right[0][1], numeric[0::2] + numeric[1::2]))
        text = f"Central differences (h = 1e-5) agree with nnmath to {ours:.1e}"
        mine = [relative_error(np.asarray(y, dtype=np.float64), n)
                for y, n in zip(yours_W[0] + yours_b[0], numeric[0::2] + numeric[1::2])
                if np.shape(y) == n.shape]
        if len(mine) == 2 * L:
            text += f" and with yours to {max(mine):.1e}"
        notes.append(text + ".")
    return CheckResult(title, problems, worst, tolerance, inputs, notes)


def _whole_network_diagnosis(yours_W, yours_b, right, variants, factor_hints, L, tolerance):
    """Problems named by one mistake that explains every gradient array at once, or [] if none does.

    A mistake in δ^L spoils every layer below it; naming it once, for all the arrays it changes,
    is clearer than a diagnosis per array. ``variants`` are (words, values) with values[input] =
    (grad_W list, grad_b list); words with a newline are two mistakes made together.
    """
    keys = [(kind, l) for l in range(1, L + 1) for kind in ("W", "b")]
    yours = {(kind, l): [_as_array((w if kind == "W" else b)[l - 1]) for w, b in zip(yours_W, yours_b)]
             for kind, l in keys}
    at = {key: [r[0 if key[0] == "W" else 1][key[1] - 1] for r in right] for key in keys}
    if any(y is None or y.shape != r.shape or not np.all(np.isfinite(y))
           for key in keys for y, r in zip(yours[key], at[key])):
        return [], 0.0
    worst = max(relative_error(y, r) for key in keys for y, r in zip(yours[key], at[key]))
    if worst <= tolerance:
        return [], worst

    def pick(values, key):
        return [v[0 if key[0] == "W" else 1][key[1] - 1] for v in values]

    def changed(values):
        """The arrays a variant changes, or None if yours does not match it everywhere."""
        for key in keys:
            if any(relative_error(y, v) > tolerance for y, v in zip(yours[key], pick(values, key))):
                return None
        return [f"∇{kind}^{l}" for kind, l in keys
                if any(relative_error(v, r) > tolerance for v, r in zip(pick(values, (kind, l)), at[(kind, l)]))]

    singles = dict(variants)
    for c, words in factor_hints.items():
        variants = variants + [(words, [([c * g for g in W], [c * g for g in b]) for W, b in right])]
    for words, values in variants:
        if values is None:
            continue
        parts = changed(values)
        if not parts:
            continue
        pieces = words.split("\n")
        if len(pieces) == 1:
            return [Problem(", ".join(parts), words)], worst
        # Two mistakes together: each is named for the arrays it changes on its own.
        return [Problem(", ".join(p for p in parts if p in (_changed_alone(singles[piece], right, keys, tolerance))),
                        piece) for piece in pieces], worst
    return [], worst


def _changed_alone(values, right, keys, tolerance):
    return [f"∇{kind}^{l}" for kind, l in keys
            if any(relative_error(v[0 if kind == "W" else 1][l - 1], r[0 if kind == "W" else 1][l - 1]) > tolerance
                   for v, r in zip(values, right))]


def _targets(loss, shape, rng):
    if loss == "cross_entropy":
        return np.eye(shape[0])[:, rng.integers(0, shape[0], shape[1])]
    if loss == "binary_cross_entropy":
        return rng.uniform(0, 1, shape)
    return rng.standard_normal(shape)


# -- an optimizer step -----------------------------------------------------------------------------------
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _optimizer_steps(method, w0, grads, hp, mistake=None):
    """The steps Δw_k of ``method`` for the gradients g_1, g_2, …, with one known ``mistake`` (or none).

    The update equations, one line each (state names as in nnmath.optimizers: v, s, t).
    """
    a, mu, rho, b1, b2, eps = hp["learning_rate"], hp["momentum"], hp["rho"], hp["beta1"], hp["beta2"], hp["eps"]
    if mistake == "lr_twice":
        a = a * a
    w, v, s, t = w0.copy(), np.zeros_like(w0), np.zeros_like(w0), 0
    steps = []
    for g in grads:
        if mistake == "not_carried":
            v, s, t = np.zeros_like(w0), np.zeros_like(w0), 0
        w_old = w.copy()
        if method == "sgd":
            w = w - a * g                                    # w ← w − α∇C
        elif method == "momentum":
            if mistake == "velocity_after":
                w = w + v                                    # (mistake: w moves with the old v)
            if mistake == "ema":
                v = mu * v - a * (1 - mu) * g                # (mistake: v ← μv − α(1 − μ)∇C)
            elif mistake == "no_mu":
                v = v - a * g                                # (mistake: v ← v − α∇C)
            else:
                v = mu * v - a * g                           # v ← μv − α∇C
            if mistake != "velocity_after":
                w = w + v                                    # w ← w + v
        elif method == "rmsprop":
            if mistake == "no_one_minus_rho":
                s = rho * s + g ** 2                         # (mistake: s ← ρs + ∇C²)
            else:
                s = rho * s + (1 - rho) * g ** 2             # s ← ρs + (1 − ρ)∇C²
            root = s if mistake == "no_sqrt" else np.sqrt(s)
            w = w - a * g / (root + eps)                     # w ← w − α∇C / (√s + ε)
        elif method == "adam":
            m1, m2 = (b2, b1) if mistake == "betas_swapped" else (b1, b2)
            t = 1 if mistake == "t_not_carried" else t + 1   # t ← t + 1
            v = m1 * v + (1 - m1) * g                        # v ← β₁v + (1 − β₁)∇C
            s = m2 * s + (1 - m2) * g ** 2                   # s ← β₂s + (1 − β₂)∇C²
            if mistake == "no_bias_correction":
                v_hat, s_hat = v, s
            else:
                v_hat = v / (1 - m1 ** t)                    # v̂ = v / (1 − β₁ᵗ)
                s_hat = s / (1 - m2 ** t)                    # ŝ = s / (1 − β₂ᵗ)
            root = s_hat if mistake == "no_sqrt" else np.sqrt(s_hat)
            w = w - a * v_hat / (root + eps)                 # w ← w − α v̂ / (√ŝ + ε)
        steps.append(w - w_old)
    return np.stack(steps)


_OPTIMIZER_MISTAKES = {
    "sgd": {},
    "momentum": {
        "not_carried": "the momentum state is not carried: v starts again from zero at every step, so this is "
                       "plain gradient descent. Return the new v as the state and use the state you are given.",
        "velocity_after": "w moves with the old velocity: update v ← μv − α∇C first, then w ← w + v.",
        "ema": "uses v ← μv − α(1 − μ)∇C; the book's momentum is v ← μv − α∇C (no 1 − μ).",
        "no_mu": "the momentum coefficient μ is missing: v ← μv − α∇C, not v ← v − α∇C.",
    },
    "rmsprop": {
        "not_carried": "the state s is not carried: it starts again from zero at every step. Return the new s "
                       "as the state and use the state you are given.",
        "no_sqrt": "divides by s + ε; RMSprop divides by the root mean square, √s + ε.",
        "no_one_minus_rho": "uses s ← ρs + ∇C²; the running average is s ← ρs + (1 − ρ)∇C².",
    },
    "adam": {
        "not_carried": "the state (v, s, t) is not carried: it starts again from zero at every step. Return the "
                       "new state and use the state you are given.",
        "t_not_carried": "the step count t is not carried: the bias correction uses t = 1 at every step "
                         "(t ← t + 1 before v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)).",
        "no_bias_correction": "the bias correction is missing: use v̂ = v / (1 − β₁ᵗ) and ŝ = s / (1 − β₂ᵗ).",
        "betas_swapped": "β₁ and β₂ are swapped: v ← β₁v + (1 − β₁)∇C averages the gradient, "
                         "s ← β₂s + (1 − β₂)∇C² its square.",
        "no_sqrt": "divides by ŝ + ε; Adam divides by √ŝ + ε.",
    },
}


def check_optimizer_step(step: Callable, method="sgd", *, learning_rate: float = 0.1, momentum: float = 0.9,
                         rho: float = 0.9, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                         init: Callable | None = None, shape=(3, 2), steps: int = 5, inputs: int = 3, seed=0,
                         tolerance: float = TOLERANCE) -> CheckResult:
    """Check an optimizer step ``step(w, g, state) -> (w_new, state)`` over several steps in a row.

    ``method`` is one of ``"sgd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``; the hyperparameters
    are the ones your step uses (it closes over them). Starting from a random ``w`` of ``shape``,
    the check feeds ``steps`` random gradients in a row, passing back the state your step returned;
    the first call gets ``init(w)`` if you give ``init``, else ``None``. The right steps follow
    the update equations:

    - sgd:       w ← w − α∇C
    - momentum:  v ← μv − α∇C;  w ← w + v
    - rmsprop:   s ← ρs + (1 − ρ)∇C²;  w ← w − α∇C / (√s + ε)
    - adam:      t ← t + 1;  v ← β₁v + (1 − β₁)∇C;  s ← β₂s + (1 − β₂)∇C²;
                 w ← w − α v̂ / (√ŝ + ε) with v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)

    Example::

        def sgd(w, g, state):
            return w - 0.1 * g, state

        check_optimizer_step(sgd, "sgd", learning_rate=0.1)
    """
    _require_callable(step, "step", "(w, g, state) -> (w_new, state)")
    if init is not None:
        _require_callable(init, "init", "(w) -> state")
    if method not in OPTIMIZERS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(OPTIMIZERS)}")
    hp = {"learning_rate": _positive_float(learning_rate, "learning_rate"),
          "momentum": float(momentum), "rho": float(rho), "beta1": float(beta1), "beta2": float(beta2),
          "eps": _positive_float(eps, "eps")}
    for name in ("momentum", "rho", "beta1", "beta2"):
        if not 0 <= hp[name] < 1:
            raise ValueError(f"{name} must lie in [0, 1), got {hp[name]!r}")
    steps, inputs = _positive_int(steps, "steps", 2), _positive_int(inputs, "inputs")
    tolerance = _positive_float(tolerance, "tolerance")
    shape = tuple(_positive_int(n, "shape entry") for n in np.atleast_1d(shape))
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    alpha = hp["learning_rate"]
    title = f"Optimizer step ({method}, α = {alpha:g}, {steps} steps in a row)"

    starts, gradients, yours = [], [], []
    for _ in range(inputs):
        w0 = rng.standard_normal(shape)
        grads = rng.standard_normal((steps,) + shape)
        starts.append(w0)
        gradients.append(grads)
        w, state = w0.copy(), (None if init is None else init(w0.copy()))
        taken = []
        for k, g in enumerate(grads, start=1):
            returned = step(w.copy(), g.copy(), state)
            if not (isinstance(returned, tuple) and len(returned) == 2):
                words = (f"returned {type(returned).__name__}"
                         + (f" of length {len(returned)}" if isinstance(returned, tuple) else "")
                         + " at step 1; return (w_new, state) — the state is what the next call gets"
                         + (" (for SGD, return the state you were given)." if method == "sgd" else "."))
                return CheckResult(title, [Problem("step", words)], np.inf, tolerance, inputs)
            w_new, state = returned
            w_new = _as_array(w_new)
            if w_new is None or w_new.shape != shape:
                words = (f"w_new at step {k} has shape {np.shape(returned[0])}, expected {shape}, the shape of w."
                         if w_new is not None else f"w_new at step {k} is not a numeric array.")
                return CheckResult(title, [Problem("step", words)], np.inf, tolerance, inputs)
            taken.append(w_new - w)
            w = w_new
        yours.append(np.stack(taken))

    right = [_optimizer_steps(method, w0, g, hp) for w0, g in zip(starts, gradients)]
    variants = [_Variant(f"the learning rate is applied twice: the steps are α = {alpha:g} times too small "
                         "(α appears once in the update).",
                         [_optimizer_steps(method, w0, g, hp, "lr_twice") for w0, g in zip(starts, gradients)])]
    variants += [_Variant(words, [_optimizer_steps(method, w0, g, hp, mistake) for w0, g in zip(starts, gradients)])
                 for mistake, words in _OPTIMIZER_MISTAKES[method].items()]
    factor_hints = {-1.0: "the steps go uphill: a descent step subtracts the gradient"
                          + (" (v ← μv − α∇C)." if method == "momentum" else " (w ← w − α …)."),
                    1 / alpha: "the learning rate is missing: the steps are 1/α times the right ones."}
    words, worst = _compare("steps", yours, right, variants, tolerance=tolerance,
                            explain="", factor_hints=factor_hints)
    problems = [] if words is None else [Problem("the steps Δw = w_new − w", words)]
    return CheckResult(title, problems, worst, tolerance, inputs, against="the update equations")


# -- derivatives of functions and compositions -----------------------------------------------------------
def _is_sympy(f):
    return type(f).__module__.startswith("sympy")


def _value_and_derivative(f, name, h):
    """Numeric callables for f and f'. A sympy expression in one symbol is differentiated exactly."""
    if _is_sympy(f):
        import sympy  # only when a sympy expression is given: nnmath's import stays numpy-only

        symbols = sorted(f.free_symbols, key=str)
        if len(symbols) != 1:
            raise ValueError(f"{name} must be an expression in one symbol, got free symbols {symbols}")
        x = symbols[0]
        value, slope = sympy.lambdify(x, f, "numpy"), sympy.lambdify(x, sympy.diff(f, x), "numpy")
        return (lambda u: float(value(u))), (lambda u: float(slope(u)))
    _require_callable(f, name, "of one number")

    def value(u):
        return float(f(u))

    return value, (lambda u: (value(u + h) - value(u - h)) / (2 * h))   # central difference


def _points(points, seed):
    if points is None:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        return rng.uniform(-2, 2, 8)
    points = np.asarray(points, dtype=np.float64).ravel()
    if points.size < 3 or not np.all(np.isfinite(points)):
        raise ValueError(f"points must be at least 3 finite numbers, got {points}")
    return points


def check_derivative(derivative: Callable, function, points=None, *, h: float = 1e-5, seed=0,
                     tolerance: float = 1e-6) -> CheckResult:
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
    variants = [_Variant("is the function itself, not its derivative.", [np.array([f(x) for x in xs])])]
    words, error = _compare("derivative", [yours], [right], variants, tolerance=_positive_float(tolerance, "tolerance"))
    problems = [] if words is None else [Problem("derivative", words)]
    return CheckResult(f"Derivative at {xs.size} points", problems, error, tolerance, xs.size,
                       against="f'(x)" + (" (sympy)" if _is_sympy(function) else " (central differences)"),
                       input_words="points")


def check_chain_rule(derivative: Callable, outer, inner, points=None, *, h: float = 1e-5, seed=0,
                     tolerance: float = 1e-6) -> CheckResult:
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
    right = df_at_g * dgx                                               # (f∘g)'(x) = f'(g(x)) · g'(x)
    yours = np.array([float(derivative(x)) for x in xs])
    variants = [
        _Variant("the inner derivative is missing: this is f'(g(x)); the chain rule multiplies it by g'(x).",
                 [df_at_g]),
        _Variant("f' is evaluated at x instead of at the inner value g(x): (f∘g)'(x) = f'(g(x)) · g'(x) "
                 "(the same slip as σ'(a) for σ'(z) in backprop).", [df_at_x * dgx]),
        _Variant("is f'(x): the outer derivative at x, without the inner derivative; the chain rule gives "
                 "f'(g(x)) · g'(x).", [df_at_x]),
        _Variant("is only the inner derivative g'(x): the outer factor f'(g(x)) is missing.", [dgx]),
        _Variant("the inner derivative is applied twice: f'(g(x)) · g'(x)²; it appears once.", [df_at_g * dgx ** 2]),
        _Variant("adds the derivatives, f'(g(x)) + g'(x); the chain rule multiplies them.", [df_at_g + dgx]),
        _Variant("uses f(g(x)), the outer function itself, where its derivative f'(g(x)) belongs.",
                 [np.array([f(u) for u in gx]) * dgx]),
        _Variant("composes the derivatives, f'(g'(x)); the chain rule is f'(g(x)) · g'(x).",
                 [np.array([df(u) for u in dgx])]),
    ]
    words, error = _compare("derivative", [yours], [right], variants, tolerance=tolerance)
    problems = [] if words is None else [Problem("(f∘g)'", words)]
    numeric = np.array([(f(g(x + h)) - f(g(x - h))) / (2 * h) for x in xs])
    notes = [f"The chain rule agrees with a central difference of f(g(x)) (h = {h:g}) to "
             f"{relative_error(right, numeric):.1e}."]
    return CheckResult(f"Chain rule at {xs.size} points", problems, error, tolerance, xs.size, notes,
                       against="f'(g(x)) · g'(x)", input_words="points")
