"""A whole network's gradients ∇W^l, ∇b^l, and the mistakes made in (BP1)–(BP4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ..gradcheck import network_numerical_gradients, relative_error
from ..losses import get_loss
from ..network import ByLayer, Network
from ._compare import (
    _as_array,
    _compare,
    _positive_float,
    _positive_int,
    _require_callable,
    _Variant,
    call_reader,
    flat_arrays,
    tolerance_for,
)
from ._result import CheckResult, Problem
from .layer import _elementwise


# -- a whole network's gradients -------------------------------------------------------------------------
def _layer_list(value, L):
    """Arrays for layers 1..L from a ByLayer, a dict {l: array} or a list with layer 1 first."""
    if isinstance(value, ByLayer):
        return [value[l] for l in range(1, L + 1)] if value.first == 1 and len(value) == L else None
    if isinstance(value, Mapping):
        return (
            [value[l] for l in range(1, L + 1)]
            if all(l in value for l in range(1, L + 1))
            else None
        )
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


def _missing_layers(returned, L) -> str | None:
    """Which layers a recognisable return value lacks, in words; ``None`` when the shape of the
    return value itself is not recognisable (the return-format message then applies)."""
    if isinstance(returned, Mapping) and "W" in returned and "b" in returned:
        parts = {"W": returned["W"], "b": returned["b"]}
    elif hasattr(returned, "W") and hasattr(returned, "b"):
        parts = {"W": returned.W, "b": returned.b}
    elif isinstance(returned, (tuple, list)) and len(returned) == 2:
        parts = dict(zip("Wb", returned))
    else:
        return None
    found = []
    for name, value in parts.items():
        if isinstance(value, Mapping):
            missing = [l for l in range(1, L + 1) if l not in value]
            if missing:
                keys = sorted(value, key=str)
                found.append(
                    f"∇{name} has no layer {', '.join(map(str, missing))} (its keys are {keys}; "
                    f"the network's layers with weights are 1..{L}"
                    + ("; layers are counted from 1, layer 0 is the input)" if 0 in value else ")")
                )
        elif isinstance(value, (list, tuple, ByLayer)) and len(value) != L:
            found.append(
                f"∇{name} holds {len(value)} array{'s' * (len(value) != 1)} for {L} layers with weights (1..{L}): "
                f"{'a layer is missing' if len(value) < L else 'there are too many'}"
            )
    if not found:
        return None
    return "; ".join(found) + ": every layer l = 1..L has a gradient ∇W^l and ∇b^l."


def _backprop_mistake(
    net, x, t, output="right", hidden="right", bias="sum", weights="right", grad_w="right"
):
    """Backprop with classic mistakes in (BP1)–(BP4), or None where a mistake cannot be made.

    Only the mistakes are this module's own: the right gradients are ``net.backward``'s.
    """
    fwd = net.forward(x)
    W, f, z, a, L = net.W, net.f, fwd.z, fwd.a, net.L
    paired = getattr(net.loss, "paired_activation", None) == f[L].name
    delta = ByLayer(1, [None] * L)
    right_output = net.loss.output_error(f[L], z[L], a[L], t)  # δ^L = ∇_a C ⊙ f'(z^L)
    if output == "right":
        delta[L] = right_output
    elif output == "missing":  # δ^L = ∇_a C
        delta[L] = None if paired else net.loss.gradient(a[L], t)
    elif output == "twice":  # J_f(z^L)ᵀ δ^L again
        delta[L] = f[L].backward(z[L], right_output)
    elif output == "at_a":  # δ^L = ∇_a C ⊙ f'(a^L)
        delta[L] = (
            None
            if paired or not _elementwise(f[L])
            else net.loss.gradient(a[L], t) * f[L].derivative(a[L])
        )
    if delta[L] is None:
        return None
    for l in range(L - 1, 0, -1):
        W_back = W[l] if weights == "own_layer" else W[l + 1]  # (mistake: W^l)
        if W_back.shape[0] != delta[l + 1].shape[0] or W_back.shape[1] != z[l].shape[0]:
            return None
        back = W_back.T @ delta[l + 1]  # (W^{l+1})ᵀ δ^{l+1}
        if hidden != "right" and not _elementwise(f[l]):
            return None
        if hidden == "output_derivative" and (not _elementwise(f[L]) or f[L].name == f[l].name):
            return None
        delta[l] = {
            "right": lambda: f[l].backward(z[l], back),  # ⊙ f'(z^l)
            "missing": lambda: back,  # no f'
            "twice": lambda: back * f[l].derivative(z[l]) ** 2,  # ⊙ f'(z^l)²
            "at_a": lambda: back * f[l].derivative(a[l]),  # ⊙ f'(a^l)
            "output_derivative": lambda: back * f[L].derivative(z[l]),  # ⊙ f_L'(z^l)
        }[hidden]()
    if grad_w == "a_l" and any(a[l].shape[0] != a[l - 1].shape[0] for l in range(1, L + 1)):
        return None
    inputs = [a[l if grad_w == "a_l" else l - 1] for l in range(1, L + 1)]  # (mistake: a^l)
    grad_W = [delta[l] @ inputs[l - 1].T for l in range(1, L + 1)]  # ∇W^l = δ^l (a^{l-1})ᵀ
    reduce = np.sum if bias == "sum" else np.mean
    grad_b = [reduce(delta[l], axis=1, keepdims=True) for l in range(1, L + 1)]  # ∇b^l = Σ δ^l
    return grad_W, grad_b


def _network_variants(net, L, reduction, m):
    """(words, output, hidden, bias) of every whole-network mistake the check knows."""
    out, last = net.f[L].name, f"f'(z^{L})"
    paired = getattr(net.loss, "paired_activation", None) == out
    twice_output = (
        f"an extra derivative after {out} + {net.loss.name}: δ^L is multiplied by "
        f"{last} "
        f"(the {out}'s Jacobian) although δ^L = a^L − t (times the batch factor) "
        "already "
        "includes the activation's derivative."
        if paired
        else f"the activation derivative is applied twice at the output: (BP1) is "
        f"δ^L = ∇_a C ⊙ {last}, once."
    )
    delta_mistakes = [
        (
            f"the activation derivative is missing at the output: (BP1) is δ^L = ∇_a C ⊙ {last}.",
            "missing",
            "right",
            "sum",
        ),
        (
            "the activation derivative is missing in the hidden layers: (BP2) is "
            "δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l).",
            "right",
            "missing",
            "sum",
        ),
        (
            "the activation derivative f'(z^l) is missing in every layer: (BP1) δ^L = ∇_a C ⊙ f'(z^L) and "
            "(BP2) δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l) both have it.",
            "missing",
            "missing",
            "sum",
        ),
        (twice_output, "twice", "right", "sum"),
        (
            "the activation derivative is applied twice in the hidden layers: (BP2) is "
            "δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l), once.",
            "right",
            "twice",
            "sum",
        ),
        (
            "the activation derivative is applied twice in every layer: δ^l = … ⊙ f'(z^l), once.",
            "twice",
            "twice",
            "sum",
        ),
        (
            "f' is evaluated at a^l = f(z^l) instead of at z^l, in every layer (for the sigmoid, "
            "σ'(z) = a(1 − a): use a directly, not σ'(a)).",
            "at_a",
            "at_a",
            "sum",
        ),
        (
            "f' is evaluated at a^l = f(z^l) instead of at z^l in the hidden layers: (BP2) uses f'(z^l).",
            "right",
            "at_a",
            "sum",
        ),
        (
            f"f' is evaluated at a^L instead of at z^L at the output: (BP1) is δ^L = ∇_a C ⊙ {last}.",
            "at_a",
            "right",
            "sum",
        ),
        (
            f"the output layer's derivative ({out}') is used in the hidden layers: (BP2) uses each "
            "layer's "
            "own f'(z^l).",
            "right",
            "output_derivative",
            "sum",
        ),
    ]
    structure = [
        (
            "the wrong layer's weights in the recursion: δ^l = ((W^l)ᵀ δ^{l+1}) ⊙ f'(z^l) uses W^l; "
            "(BP2) "
            "carries δ^{l+1} back through the weights it came through, (W^{l+1})ᵀ.",
            dict(weights="own_layer"),
        ),
        (
            "uses a^l where a^{l-1} belongs: (BP4) is ∇W^l = δ^l (a^{l-1})ᵀ, the layer's input.",
            dict(grad_w="a_l"),
        ),
    ]
    bias_mean = (
        f"the bias gradient is averaged over the batch instead of summed: ∇b^l is δ^l summed over the "
        f"m = {m} examples (delta.sum(axis=1, keepdims=True)); "
        + (
            "this loss sums over the batch."
            if reduction == "sum"
            else "the 1/m of this mean loss is already inside δ^l."
        )
    )
    # Each mistake alone, then each δ mistake together with the averaged bias gradient (a
    # variant's words are a list: one problem each).
    return (
        [
            ([words], dict(output=output, hidden=hidden, bias=bias))
            for words, output, hidden, bias in delta_mistakes
        ]
        + [([words], options) for words, options in structure]
        + [([bias_mean], dict(bias="mean"))]
        + [
            ([words, bias_mean], dict(output=output, hidden=hidden, bias="mean"))
            for words, output, hidden, _ in delta_mistakes
        ]
    )


def check_network_gradients(
    backprop: Callable,
    sizes=(3, 4, 2),
    activations="sigmoid",
    loss="half_squared_error",
    *,
    reduction=None,
    batch: int = 3,
    inputs: int = 3,
    seed=0,
    tolerance: float | None = None,
) -> CheckResult:
    """Check a whole network's gradients ``backprop(net, x, t) -> grads``.

    Your function gets an ``nnmath.Network`` ``net`` (use ``net.W[l]``, ``net.b[l]``, ``net.f[l]``,
    ``net.loss``, ``net.forward``), inputs ``x`` (n_0, batch) and targets ``t`` (n_L, batch), and
    returns the gradients of the cost ∇W^l, ∇b^l for l = 1..L as anything with ``.W[l]`` and
    ``.b[l]`` (like ``nnmath.Gradients``), a dict ``{"W": …, "b": …}`` or a pair ``(grad_W, grad_b)``;
    each of those may be a ``ByLayer``, a dict ``{l: array}`` or a list with layer 1 first.

    Networks are built with ``nnmath.Network(sizes, activations, loss, reduction=…)`` and random
    weights and biases; the right gradients are nnmath's backprop, itself compared with central
    differences (the measured agreement is in the notes).

    ``tolerance`` defaults to one that follows the dtype you return (float32 passes).

    Example (``my_backprop`` is yours)::

        check_network_gradients(my_backprop, sizes=[2, 3, 3, 2], activations="tanh")
    """
    _require_callable(backprop, "backprop", "(net, x, t) -> gradients with .W[l] and .b[l]")
    batch, inputs = _positive_int(batch, "batch"), _positive_int(inputs, "inputs")
    given = None if tolerance is None else _positive_float(tolerance, "tolerance")
    rng = np.random.default_rng(seed)
    loss_object = get_loss(loss, reduction)
    probe = Network(sizes, activations, loss_object, seed=0)
    L, sizes = probe.L, probe.sizes
    title = (
        f"Network gradients ({'-'.join(map(str, sizes))}, {', '.join(f.name for f in probe.f)}, "
        f"{loss_object.name} {'summed' if loss_object.reduction == 'sum' else 'averaged'} "
        f"over a batch of {batch})"
    )

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
        returned, raised = call_reader(backprop, net, x.copy(), t.copy())
        if raised:
            problem = Problem("backprop", raised)
            return CheckResult(title, [problem], np.inf, tolerance_for([], given), inputs)
        for p, s in zip(
            net.parameters(), saved
        ):  # a student's in-place update must not spoil the check
            p[...] = s
        grad_W, grad_b = _gradient_lists(returned, L)
        if grad_W is None or grad_b is None:
            words = _missing_layers(returned, L) or (
                f"returned {type(returned).__name__}; return the gradients for layers 1..{L} as an object "
                "with .W[l] and .b[l], a dict {'W': …, 'b': …} or a pair (grad_W, grad_b), each a dict "
                f"{{l: array}} or a list of {L} arrays with layer 1 first."
            )
            return CheckResult(
                title, [Problem("backprop", words)], np.inf, tolerance_for([], given), inputs
            )
        yours_W.append(grad_W)
        yours_b.append(grad_b)
    tolerance = tolerance_for(flat_arrays([yours_W, yours_b]), given)

    right = []
    for net, (x, t) in zip(nets, cases):
        grads = net.backward(x, t, input_gradient=False)  # nnmath's own backprop
        right.append(([grads.W[l] for l in range(1, L + 1)], [grads.b[l] for l in range(1, L + 1)]))
    variants = []
    for words, options in _network_variants(probe, L, loss_object.reduction, batch):
        values = [_backprop_mistake(net, x, t, **options) for net, (x, t) in zip(nets, cases)]
        variants.append(("\n".join(words), None if any(v is None for v in values) else values))

    if loss_object.reduction == "sum":
        batch_factor = {
            1 / batch: f"is 1/m of the right gradient (m = {batch}): this loss sums over the "
            "batch, so the gradients sum the examples' gradients; you averaged them."
        }
    else:
        batch_factor = {
            batch: f"is m = {batch} times the right gradient: this loss averages over the batch "
            "(reduction='mean'), so its gradient carries a factor 1/m; you "
            "summed.",
            1 / batch: f"is 1/m of the right gradient (m = {batch}): the batch is "
            "averaged twice. "
            "The mean loss's ∇_a C already carries 1/m (so δ^L does); "
            "dividing ∇W, ∇b "
            "by m again averages a second time.",
        }
    factor_hints = dict(batch_factor)
    if loss_object.name == "half_squared_error":
        factor_hints[2.0] = (
            "is twice the right gradient: the derivative of ½(a − t)² is (a − t), not 2(a − t)."
        )
    factor_hints[-1.0] = (
        "has the wrong sign: ∇_a C of the loss is (a − t) for the squared error, not (t − a); "
        "the minus sign belongs in the update w ← w − α∇C, not in the gradient."
    )

    problems, worst = _whole_network_diagnosis(
        yours_W, yours_b, right, variants, factor_hints, L, tolerance
    )
    by_words: dict[str, list[str]] = {}
    for l in range(1, L + 1) if not problems else ():
        for kind, yours in (("W", yours_W), ("b", yours_b)):
            k = 0 if kind == "W" else 1
            explain = (
                f"(W^{l} has shape (n_{l}, n_{l - 1}) = {(sizes[l], sizes[l - 1])})"
                if kind == "W"
                else f"(b^{l} has shape (n_{l}, 1) = {(sizes[l], 1)})"
            )
            hints: dict[tuple, str] = {}
            if kind == "W" and sizes[l] != sizes[l - 1]:
                hints[(sizes[l], sizes[l])] = (
                    f"uses a^{l} where a^{l - 1} belongs: it has shape "
                    f"{(sizes[l], sizes[l])}, "
                    f"expected {(sizes[l], sizes[l - 1])}; (BP4) is "
                    f"∇W^{l} = δ^{l} (a^{l - 1})ᵀ, the layer's input."
                )
            if kind == "b":
                if batch > 1:
                    hints[(sizes[l], batch)] = (
                        f"is not summed over the batch: it has one column per example, "
                        f"like δ^{l}. ∇b^{l} is δ^{l} summed over the examples: "
                        "delta.sum(axis=1, keepdims=True)."
                    )
                hints[()] = "is one number: sum δ^l over the examples only (axis=1, keepdims=True)."
            words, error = _compare(
                f"{kind}^{l}",
                [y[l - 1] for y in yours],
                [r[k][l - 1] for r in right],
                [_Variant(w, [vi[k][l - 1] for vi in v]) for w, v in variants if v is not None],
                tolerance=tolerance,
                explain=explain,
                shape_hints=hints,
                factor_hints=factor_hints,
                first_match=True,
            )
            worst = max(worst, error)
            for piece in [] if words is None else words.split("\n"):
                by_words.setdefault(piece, []).append(f"∇{kind}^{l}")
    problems += [Problem(", ".join(parts), words) for words, parts in by_words.items()]

    notes = []
    net, (x, t) = nets[0], cases[0]
    if net.n_parameters <= 400:
        numeric = network_numerical_gradients(net, x, t, h=1e-5)
        ours = max(
            relative_error(r, n)
            for r, n in zip(right[0][0] + right[0][1], numeric[0::2] + numeric[1::2])
        )
        text = f"Central differences (h = 1e-5) agree with nnmath to {ours:.1e}"
        mine = [
            relative_error(np.asarray(y, dtype=np.float64), n)
            for y, n in zip(yours_W[0] + yours_b[0], numeric[0::2] + numeric[1::2])
            if np.shape(y) == n.shape
        ]
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
    yours = {
        (kind, l): [_as_array((w if kind == "W" else b)[l - 1]) for w, b in zip(yours_W, yours_b)]
        for kind, l in keys
    }
    at = {key: [r[0 if key[0] == "W" else 1][key[1] - 1] for r in right] for key in keys}
    if any(
        y is None or y.shape != r.shape or not np.all(np.isfinite(y))
        for key in keys
        for y, r in zip(yours[key], at[key])
    ):
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
        return [
            f"∇{kind}^{l}"
            for kind, l in keys
            if any(
                relative_error(v, r) > tolerance
                for v, r in zip(pick(values, (kind, l)), at[(kind, l)])
            )
        ]

    singles = dict(variants)
    for c, words in factor_hints.items():
        variants = variants + [
            (words, [([c * g for g in W], [c * g for g in b]) for W, b in right])
        ]
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
        return [
            Problem(
                ", ".join(
                    p
                    for p in parts
                    if p in (_changed_alone(singles[piece], right, keys, tolerance))
                ),
                piece,
            )
            for piece in pieces
        ], worst
    return [], worst


def _changed_alone(values, right, keys, tolerance):
    return [
        f"∇{kind}^{l}"
        for kind, l in keys
        if any(
            relative_error(v[0 if kind == "W" else 1][l - 1], r[0 if kind == "W" else 1][l - 1])
            > tolerance
            for v, r in zip(values, right)
        )
    ]


def _targets(loss, shape, rng):
    if loss == "cross_entropy":
        return np.eye(shape[0])[:, rng.integers(0, shape[0], shape[1])]
    if loss == "binary_cross_entropy":
        return rng.uniform(0, 1, shape)
    return rng.standard_normal(shape)
