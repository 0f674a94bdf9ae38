"""One layer's backward pass: δ, ∇W, ∇b, ∂C/∂a^{l-1}, and the mistakes made in each."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ..activations import ACTIVATIONS, Softmax, get_activation
from ..gradcheck import numerical_gradient, relative_error
from ..network import Network
from ._compare import (
    _compare,
    _positive_float,
    _positive_int,
    _require_callable,
    _Variant,
    call_reader,
    tolerance_for,
)
from ._result import CheckResult, Problem

# -- one layer's backward pass -------------------------------------------------------------------------
LAYER_PARTS = ("δ", "∇W", "∇b", "∂C/∂a^{l-1}")


def _layer_outputs(returned):
    if isinstance(returned, Mapping):
        keys = [
            ("delta", "δ"),
            ("W", "grad_W", "∇W"),
            ("b", "grad_b", "∇b"),
            ("a_prev", "grad_a_prev", "x"),
        ]
        out = []
        for names in keys:
            found = [returned[k] for k in names if k in returned]
            out.append(found[0] if found else None)
        return out if out[0] is not None and out[1] is not None and out[2] is not None else None
    if isinstance(returned, (tuple, list)) and len(returned) in (3, 4):
        return list(returned) + [None] * (4 - len(returned))
    return None


def check_layer_backward(
    backward: Callable,
    activation="sigmoid",
    *,
    n_in: int = 3,
    n_out: int = 2,
    batch: int = 3,
    inputs: int = 3,
    seed=0,
    tolerance: float | None = None,
) -> CheckResult:
    """Check one layer's backward pass ``backward(W, b, a_prev, grad_a)``.

    Your function gets the layer's weights ``W`` (n_out, n_in), biases ``b`` (n_out, 1), its input
    ``a_prev`` = a^{l-1} (n_in, batch) and ``grad_a`` = ∂C/∂a^l (n_out, batch), and returns
    ``(delta, grad_W, grad_b, grad_a_prev)``: δ^l = ∂C/∂a^l ⊙ f'(z^l) with z^l = W a^{l-1} + b,
    ∇W^l = δ^l (a^{l-1})ᵀ, ∇b^l = δ^l summed over the batch, and ∂C/∂a^{l-1} = (W^l)ᵀ δ^l. The last
    may be left out (return three things), or return a dict with keys delta, W, b, a_prev.

    ``activation`` is the layer's f (a name or ``nnmath.activations`` object).

    ``tolerance`` defaults to one that follows the dtype you return (float32 passes).

    Example (``my_backward`` is yours)::

        check_layer_backward(my_backward, "tanh", n_in=4, n_out=3).assert_passed()
    """
    _require_callable(
        backward, "backward", "(W, b, a_prev, grad_a) -> (delta, grad_W, grad_b, grad_a_prev)"
    )
    f = get_activation(activation)
    n_in, n_out = _positive_int(n_in, "n_in"), _positive_int(n_out, "n_out")
    batch, inputs = _positive_int(batch, "batch"), _positive_int(inputs, "inputs")
    given = None if tolerance is None else _positive_float(tolerance, "tolerance")
    rng = np.random.default_rng(seed)
    title = f"Layer backward pass ({f.name}, {n_in} → {n_out} units, batch of {batch})"

    cases, yours = [], []
    for _ in range(inputs):
        W = rng.standard_normal((n_out, n_in))
        b = 0.5 * rng.standard_normal((n_out, 1))
        a_prev = rng.standard_normal((n_in, batch))
        grad_a = rng.standard_normal((n_out, batch))
        cases.append((W, b, a_prev, grad_a))
        returned, raised = call_reader(backward, W.copy(), b.copy(), a_prev.copy(), grad_a.copy())
        if raised:
            problem = Problem("backward", raised)
            return CheckResult(title, [problem], np.inf, tolerance_for([], given), inputs)
        outputs = _layer_outputs(returned)
        if outputs is None:
            words = (
                f"returned {type(returned).__name__}"
                + (f" of length {len(returned)}" if isinstance(returned, (tuple, list)) else "")
                + "; return a tuple (delta, grad_W, grad_b, grad_a_prev), or the first three."
            )
            return CheckResult(
                title, [Problem("backward", words)], np.inf, tolerance_for([], given), inputs
            )
        yours.append(outputs)
    tolerance = tolerance_for([o for y in yours for o in y if o is not None], given)

    # The right answer is nnmath's own backprop, on a one-layer network whose cost has
    # ∂C/∂a = grad_a: half the squared error, summed, against the target a − grad_a.
    right: dict[str, list] = {part: [] for part in LAYER_PARTS}
    for W, b, a_prev, grad_a in cases:
        net = Network(
            [n_in, n_out], [f], "half_squared_error", reduction="sum", weights=[W], biases=[b]
        )
        grads = net.backward(a_prev, net.forward(a_prev).output - grad_a)
        for part, value in zip(LAYER_PARTS, (grads.delta[1], grads.W[1], grads.b[1], grads.x)):
            right[part].append(value)

    problems, worst = [], 0.0
    # δ: the activation-derivative mistakes, each computed from the same inputs.
    derivative_variants = _delta_variants(f, cases)
    words, error = _compare(
        "δ",
        [y[0] for y in yours],
        right["δ"],
        derivative_variants,
        tolerance=tolerance,
        explain=f"(δ^l has the shape of z^l: (n_l, batch) = {(n_out, batch)})",
        factor_hints={},
    )
    worst = max(worst, error)
    delta_words = words
    # The later parts are built from your δ when its shape is right, so a mistake in δ is not
    # blamed on them, and their own mistakes are found relative to it.
    delta_ok_shape = words is None or np.shape(yours[0][0]) == (n_out, batch)
    base = [
        np.asarray(y[0], dtype=np.float64) if delta_ok_shape else r
        for y, r in zip(yours, right["δ"])
    ]
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
        words, error = _compare(
            part, values, right[part], candidates, tolerance=tolerance, **kwargs
        )
        worst = max(worst, error)
        if words == "follows":
            follows.append(part)
        elif words is not None:
            problems.append(Problem(part, words))

    m = batch
    from_delta(
        "∇W",
        lambda d, c: d @ c[2].T,
        [
            _Variant(
                f"is averaged over the batch (divided by m = {m}); it is the sum over the examples, "
                "∇W^l = δ^l (a^{l-1})ᵀ — any 1/m of a mean loss is already inside ∂C/∂a^l.",
                [d @ c[2].T / m for d, c in zip(base, cases)],
            ),
            _Variant(
                "uses a^l (this layer's own activation) where the layer's input a^{l-1} belongs: "
                "∇W^l = δ^l (a^{l-1})ᵀ.",
                [d @ f.value(c[0] @ c[2] + c[1]).T for d, c in zip(base, cases)],
            ),
            _Variant(
                "uses ∂C/∂a^l where δ^l belongs: ∇W^l = δ^l (a^{l-1})ᵀ, and δ^l includes f'(z^l).",
                [c[3] @ c[2].T for c in cases],
            ),
            *_extra_derivative(f, base, cases, "∇W^l", lambda d, c: d @ c[2].T),
        ],
        explain=f"(W^l has shape (n_l, n_{{l-1}}) = {(n_out, n_in)}; ∇W^l = δ^l (a^{{l-1}})ᵀ)",
        shape_hints={
            (
                n_out,
                n_out,
            ): "uses a^l (this layer's own activation) where the layer's input a^{l-1} "
            f"belongs: it has shape {(n_out, n_out)}, expected {(n_out, n_in)}; ∇W^l = δ^l (a^{{l-1}})ᵀ."
        }
        if n_in != n_out
        else {},
    )

    bias_hints = {
        (
            n_out,
            batch,
        ): f"is not summed over the batch: it has shape {(n_out, batch)}, one column per example, "
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
    from_delta(
        "∇b",
        lambda d, c: d.sum(axis=1, keepdims=True),
        [
            _Variant(
                f"is averaged over the batch instead of summed: ∇b^l is δ^l summed over the m = {m} examples "
                "(delta.sum(axis=1, keepdims=True)); any 1/m of a mean loss is already inside δ^l.",
                [d.mean(axis=1, keepdims=True) for d in base],
            ),
            _Variant(
                "uses ∂C/∂a^l where δ^l belongs: ∇b^l is δ^l summed over the batch, and δ^l "
                "includes f'(z^l).",
                [c[3].sum(axis=1, keepdims=True) for c in cases],
            ),
            *_extra_derivative(f, base, cases, "∇b^l", lambda d, c: d.sum(axis=1, keepdims=True)),
        ],
        explain=f"(b^l has shape (n_l, 1) = {(n_out, 1)})",
        shape_hints=bias_hints,
    )

    from_delta(
        "∂C/∂a^{l-1}",
        lambda d, c: c[0].T @ d,
        [
            _Variant(
                "uses ∂C/∂a^l where δ^l belongs: ∂C/∂a^{l-1} = (W^l)ᵀ δ^l, and δ^l already includes f'(z^l).",
                [c[0].T @ c[3] for c in cases],
            ),
            _Variant(
                "uses W^l where its transpose belongs: ∂C/∂a^{l-1} = (W^l)ᵀ δ^l.",
                [c[0] @ d if n_in == n_out else None for d, c in zip(base, cases)],
            ),
            *_extra_derivative(f, base, cases, "∂C/∂a^{l-1}", lambda d, c: c[0].T @ d),
            *(
                [
                    _Variant(
                        "multiplies by f'(a^{l-1}): the previous layer's derivative belongs to that "
                        "layer's own "
                        "backward pass (its δ^{l-1}); this layer returns ∂C/∂a^{l-1} = (W^l)ᵀ δ^l.",
                        [(c[0].T @ d) * f.derivative(c[2]) for d, c in zip(base, cases)],
                    )
                ]
                if _elementwise(f)
                else []
            ),
        ],
        explain=f"(a^{{l-1}} has shape (n_{{l-1}}, batch) = {(n_in, batch)}; ∂C/∂a^{{l-1}} = (W^l)ᵀ δ^l)",
    )

    if delta_words is not None:
        if follows:
            delta_words += (
                f" ({', '.join(follows)} follow{'s' if len(follows) == 1 else ''} correctly "
                "from your δ, so fixing δ fixes "
                f"{'it' if len(follows) == 1 else 'them'}.)"
            )
        problems.insert(0, Problem("δ", delta_words))

    notes = [_layer_finite_difference_note(f, cases[0], right, yours[0])]
    return CheckResult(title, problems, worst, tolerance, inputs, notes)


def _elementwise(f) -> bool:
    """Every activation but softmax acts entry by entry (softmax's derivative is a Jacobian)."""
    return not isinstance(f, Softmax)


def _extra_derivative(f, base, cases, name, formula):
    """A part built from δ ⊙ f'(z): the activation derivative applied again, after δ had it."""
    if not _elementwise(f):
        return []
    return [
        _Variant(
            f"multiplies by f'(z^l) again: δ^l already includes it, and {name} is built "
            "from δ^l "
            "as it is.",
            [formula(d * f.derivative(c[0] @ c[2] + c[1]), c) for d, c in zip(base, cases)],
        )
    ]


def _delta_variants(f, cases):
    """δ computed with each activation-derivative mistake, for every input."""
    zs = [W @ a_prev + b for W, b, a_prev, _ in cases]
    grads = [c[3] for c in cases]
    variants = [
        _Variant(
            "the activation derivative is missing: δ^l = ∂C/∂a^l ⊙ f'(z^l), and this is "
            "∂C/∂a^l without the factor f'(z^l).",
            grads,
        ),
        _Variant(
            "the bias is missing from z: f' is evaluated at W^l a^{l-1}; z^l = W^l a^{l-1} + b^l.",
            [f.backward(W @ a_prev, g) for (W, b, a_prev, g) in cases],
        ),
    ]
    if _elementwise(f):
        d = f.derivative
        variants.append(
            _Variant(
                "the incoming gradient is missing: this is f'(z^l) alone; δ^l = ∂C/∂a^l ⊙ f'(z^l).",
                [d(z) for z in zs],
            )
        )
        for other in dict.fromkeys(ACTIVATIONS.values()):
            if other.name not in (f.name, "identity") and _elementwise(other):  # identity: missing
                variants.append(
                    _Variant(
                        f"uses the derivative of {other.name} where this layer's activation is "
                        f"{f.name}: "
                        f"δ^l = ∂C/∂a^l ⊙ f'(z^l) with f = {f.name}.",
                        [g * other.derivative(z) for g, z in zip(grads, zs)],
                    )
                )
        variants += [
            _Variant(
                "the activation derivative is applied twice: it is ∂C/∂a^l ⊙ f'(z^l) ⊙ f'(z^l); "
                "δ^l = ∂C/∂a^l ⊙ f'(z^l) has it once.",
                [g * d(z) ** 2 for g, z in zip(grads, zs)],
            ),
            _Variant(
                "f' is evaluated at a^l = f(z^l) instead of at z^l: δ^l = ∂C/∂a^l ⊙ f'(z^l)"
                + (
                    " (for the sigmoid, σ'(z) = σ(z)(1 − σ(z)) = a(1 − a): use a directly, not σ'(a))."
                    if f.name == "sigmoid"
                    else "."
                ),
                [g * d(f.value(z)) for g, z in zip(grads, zs)],
            ),
            _Variant(
                "uses the activation f(z^l) = a^l where its derivative f'(z^l) belongs: "
                "δ^l = ∂C/∂a^l ⊙ f'(z^l).",
                [g * f.value(z) for g, z in zip(grads, zs)],
            ),
        ]
        if f.name == "sigmoid":
            variants.append(
                _Variant(
                    "writes σ'(z) as z(1 − z); the formula is σ(z)(1 − σ(z)) = a(1 − a), "
                    "with a = σ(z).",
                    [g * z * (1 - z) for g, z in zip(grads, zs)],
                )
            )
        if f.name == "sigmoid":
            a = [f.value(z) for z in zs]
            variants += [
                _Variant(
                    "writes σ'(z) as 1 − a; the formula is σ(z)(1 − σ(z)) = a(1 − a).",
                    [g * (1 - ai) for g, ai in zip(grads, a)],
                ),
                _Variant(
                    "writes σ'(z) as a(1 + a); the formula is σ(z)(1 − σ(z)) = a(1 − a).",
                    [g * ai * (1 + ai) for g, ai in zip(grads, a)],
                ),
            ]
        if f.name == "tanh":
            a = [f.value(z) for z in zs]
            variants += [
                _Variant(
                    "writes tanh'(z) as 1 − z²; the formula is 1 − tanh²(z) = 1 − a².",
                    [g * (1 - z**2) for g, z in zip(grads, zs)],
                ),
                _Variant(
                    "writes tanh'(z) as 1 − a (the square is missing); the formula is 1 − "
                    "tanh²(z) = 1 − a².",
                    [g * (1 - ai) for g, ai in zip(grads, a)],
                ),
                _Variant(
                    "writes tanh'(z) as a(1 − a), the sigmoid's formula; tanh'(z) = 1 − a².",
                    [g * ai * (1 - ai) for g, ai in zip(grads, a)],
                ),
            ]
    else:  # softmax: its derivative is a Jacobian, not a number per unit
        s = [f.value(z) for z in zs]
        variants.append(
            _Variant(
                "treats softmax as elementwise, ∂C/∂a ⊙ s(1 − s), which keeps only the diagonal of its Jacobian; "
                "δ = s ⊙ (∂C/∂a − Σ_i s_i ∂C/∂a_i), the Jacobian-transpose product.",
                [g * si * (1 - si) for g, si in zip(grads, s)],
            )
        )
        jacobian = (
            "δ = s ⊙ (∂C/∂a − Σ_i s_i ∂C/∂a_i), the sum over the units (axis 0) of each example."
        )
        variants += [
            _Variant(
                "sums over the batch (axis 1) where the sum runs over the units (axis 0): "
                "" + jacobian,
                [si * (g - (si * g).sum(axis=1, keepdims=True)) for g, si in zip(grads, s)],
            ),
            _Variant(
                "leaves s out of the sum, s ⊙ (∂C/∂a − Σ_i ∂C/∂a_i): " + jacobian,
                [si * (g - g.sum(axis=0, keepdims=True)) for g, si in zip(grads, s)],
            ),
            _Variant(
                "adds the sum instead of subtracting it, s ⊙ (∂C/∂a + Σ_i s_i ∂C/∂a_i): "
                "" + jacobian,
                [si * (g + (si * g).sum(axis=0, keepdims=True)) for g, si in zip(grads, s)],
            ),
            _Variant(
                "keeps only the off-diagonal part −s sᵀ of the Jacobian diag(s) − s sᵀ: "
                "" + jacobian,
                [-si * (si * g).sum(axis=0, keepdims=True) for g, si in zip(grads, s)],
            ),
            _Variant(
                "builds s sᵀ from the whole batch at once (s @ s.T sums the examples' outer "
                "products); "
                "each example has its own Jacobian: " + jacobian,
                [si * g - (si @ si.T) @ g for g, si in zip(grads, s)],
            ),
        ]
    return variants


def _layer_finite_difference_note(f, case, right, yours):
    """How far the right answer, and yours, are from central differences of C = Σ ∂C/∂a ⊙ f(W a + b)."""
    W, b, a_prev, grad_a = case
    numeric = {
        "δ": numerical_gradient(lambda z: np.sum(grad_a * f.value(z)), W @ a_prev + b, h=1e-5),
        "∇W": numerical_gradient(lambda w: np.sum(grad_a * f.value(w @ a_prev + b)), W, h=1e-5),
        "∇b": numerical_gradient(lambda c: np.sum(grad_a * f.value(W @ a_prev + c)), b, h=1e-5),
        "∂C/∂a^{l-1}": numerical_gradient(
            lambda x: np.sum(grad_a * f.value(W @ x + b)), a_prev, h=1e-5
        ),
    }
    ours = max(relative_error(right[p][0], numeric[p]) for p in LAYER_PARTS)
    mine = [
        relative_error(np.asarray(y, dtype=np.float64), numeric[p])
        for p, y in zip(LAYER_PARTS, yours)
        if y is not None and np.shape(y) == numeric[p].shape
    ]
    text = f"Central differences (h = 1e-5) agree with nnmath to {ours:.1e}"
    if len(mine) == sum(y is not None for y in yours):
        text += f" and with yours to {max(mine):.1e}"
    return text + "."
