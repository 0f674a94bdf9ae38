"""nnmath.checks: every diagnosis is named for a deliberately wrong implementation, and a correct
implementation passes, for random shapes, activations, losses and optimizers (hypothesis)."""

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnmath import ByLayer
from nnmath.activations import get_activation
from nnmath.checks import (
    CheckResult,
    check_chain_rule,
    check_derivative,
    check_layer_backward,
    check_network_gradients,
    check_optimizer_step,
)


# -- a reader's layer backward pass, with one mistake switched on ---------------------------------------
def layer(activation="sigmoid", mistake=None):
    f = get_activation(activation)
    mistakes = {mistake}

    def backward(W, b, a_prev, grad_a):
        z = W @ a_prev + b
        a = f.value(z)
        delta = {
            None: lambda: f.backward(z, grad_a),
            "f' missing": lambda: grad_a,
            "f' twice": lambda: grad_a * f.derivative(z) ** 2,
            "f' at a": lambda: grad_a * f.derivative(a),
            "f instead of f'": lambda: grad_a * a,
            "z(1-z)": lambda: grad_a * z * (1 - z),
            "1-z²": lambda: grad_a * (1 - z**2),
            "softmax elementwise": lambda: grad_a * a * (1 - a),
        }.get(mistake, lambda: f.backward(z, grad_a))()
        grad_W = delta @ a_prev.T
        grad_b = delta.sum(axis=1, keepdims=True)
        grad_a_prev = W.T @ delta
        m = a_prev.shape[1]
        if "W transposed" in mistakes:
            grad_W = a_prev @ delta.T
        if mistake == "W averaged":
            grad_W = grad_W / m
        if mistake == "W from a^l":
            grad_W = delta @ a.T
        if mistake == "W times 3":
            grad_W = 3 * grad_W
        if mistake == "W sign":
            grad_W = -grad_W
        if mistake == "W junk":
            grad_W = grad_W + np.arange(grad_W.size).reshape(grad_W.shape)
        if "b not summed" in mistakes:
            grad_b = delta
        if mistake == "b axis 0":
            grad_b = delta.sum(axis=0, keepdims=True)
        if mistake == "b flat":
            grad_b = delta.sum(axis=1)
        if mistake == "b averaged":
            grad_b = delta.mean(axis=1, keepdims=True)
        if mistake == "b scalar":
            grad_b = delta.sum()
        if mistake == "a_prev from grad_a":
            grad_a_prev = W.T @ grad_a
        if mistake == "a_prev W not transposed":
            grad_a_prev = W @ delta
        if mistake == "a_prev transposed":
            grad_a_prev = delta.T @ W
        return delta, grad_W, grad_b, grad_a_prev

    return backward


LAYER_DIAGNOSES = [
    # (activation, mistake, shape n_in x n_out, part, words)
    ("sigmoid", "f' missing", (3, 2), "δ", "the activation derivative is missing"),
    ("tanh", "f' twice", (3, 2), "δ", "the activation derivative is applied twice"),
    ("sigmoid", "f' at a", (3, 2), "δ", "f' is evaluated at a^l = f(z^l) instead of at z^l"),
    ("sigmoid", "f' at a", (3, 2), "δ", "use a directly, not σ'(a)"),
    ("tanh", "f' at a", (3, 2), "δ", "f' is evaluated at a^l = f(z^l) instead of at z^l"),
    (
        "sigmoid",
        "f instead of f'",
        (3, 2),
        "δ",
        "uses the activation f(z^l) = a^l where its derivative",
    ),
    ("sigmoid", "z(1-z)", (3, 2), "δ", "writes σ'(z) as z(1 − z)"),
    ("tanh", "1-z²", (3, 2), "δ", "writes tanh'(z) as 1 − z²"),
    ("softmax", "softmax elementwise", (3, 4), "δ", "treats softmax as elementwise"),
    (
        "sigmoid",
        "W transposed",
        (3, 2),
        "∇W",
        "is transposed: it has shape (3, 2), expected (2, 3)",
    ),
    ("sigmoid", "W transposed", (3, 3), "∇W", "is transposed"),
    ("sigmoid", "W averaged", (3, 2), "∇W", "is averaged over the batch (divided by m = 3)"),
    ("sigmoid", "W from a^l", (3, 2), "∇W", "uses a^l (this layer's own activation)"),
    ("tanh", "W from a^l", (3, 3), "∇W", "uses a^l (this layer's own activation)"),
    (
        "sigmoid",
        "W times 3",
        (3, 2),
        "∇W",
        "is off by a constant factor: it is 3 times the right answer",
    ),
    ("sigmoid", "W sign", (3, 2), "∇W", "has the wrong sign"),
    ("sigmoid", "W junk", (3, 2), "∇W", "none of the common mistakes this check knows"),
    ("sigmoid", "b not summed", (3, 2), "∇b", "is not summed over the batch"),
    (
        "sigmoid",
        "b axis 0",
        (3, 2),
        "∇b",
        "is summed over the units (axis 0) instead of over the examples",
    ),
    ("sigmoid", "b flat", (3, 2), "∇b", "has shape (2,), expected (2, 1)"),
    ("sigmoid", "b flat", (3, 2), "∇b", "keepdims=True"),
    ("sigmoid", "b averaged", (3, 2), "∇b", "is averaged over the batch instead of summed"),
    ("sigmoid", "b scalar", (3, 2), "∇b", "is summed over everything"),
    ("tanh", "a_prev from grad_a", (3, 2), "∂C/∂a^{l-1}", "uses ∂C/∂a^l where δ^l belongs"),
    (
        "tanh",
        "a_prev W not transposed",
        (3, 3),
        "∂C/∂a^{l-1}",
        "uses W^l where its transpose belongs",
    ),
    (
        "tanh",
        "a_prev transposed",
        (4, 2),
        "∂C/∂a^{l-1}",
        "is transposed: it has shape (3, 4), expected (4, 3)",
    ),
]


@pytest.mark.parametrize("activation, mistake, shape, part, words", LAYER_DIAGNOSES)
def test_layer_diagnosis(activation, mistake, shape, part, words):
    result = check_layer_backward(
        layer(activation, mistake), activation, n_in=shape[0], n_out=shape[1]
    )
    assert not result.passed
    assert [p.part for p in result.problems] == [part], result.diagnosis
    assert words in result.diagnosis
    assert words in str(result) and "✗" in str(result)
    with pytest.raises(AssertionError, match="✗"):
        result.assert_passed()


def test_layer_mistake_in_delta_is_not_blamed_on_the_parts_built_from_it():
    result = check_layer_backward(layer("sigmoid", "f' missing"), "sigmoid")
    assert len(result.problems) == 1
    assert (
        "∇W, ∇b, ∂C/∂a^{l-1} follow correctly from your δ, so fixing δ fixes them"
        in result.diagnosis
    )


def test_layer_two_independent_mistakes_are_both_named():
    def backward(W, b, a_prev, grad_a):
        delta = grad_a  # f' missing
        return delta, delta @ a_prev.T, delta, W.T @ delta  # and ∇b not summed

    result = check_layer_backward(backward, "sigmoid")
    assert [p.part for p in result.problems] == ["δ", "∇b"]
    assert "the activation derivative is missing" in result.problems[0].words
    assert "∇W, ∂C/∂a^{l-1} follow correctly" in result.problems[0].words
    assert "is not summed over the batch" in result.problems[1].words


def test_layer_mistakes_that_change_nothing_are_not_named():
    # For ReLU f'(z)² = f'(z) and f'(a) = f'(z): those "mistakes" give the right answer and pass.
    assert check_layer_backward(layer("relu", "f' twice"), "relu").passed
    assert check_layer_backward(layer("relu", "f' at a"), "relu").passed
    # With a batch of one, a mean is a sum.
    assert check_layer_backward(layer("tanh", "b averaged"), "tanh", batch=1).passed


def test_layer_correct_passes_with_the_error_measured():
    result = check_layer_backward(layer("tanh"), "tanh", n_in=4, n_out=3)
    assert result.passed and bool(result) and result.diagnosis == "correct"
    assert result.max_relative_error < 1e-14
    assert result.assert_passed() is result
    assert "✓ Layer backward pass (tanh, 4 → 3 units, batch of 3): correct." in str(result)
    assert "Central differences (h = 1e-5) agree with nnmath to" in str(result)
    assert "✓" in result._repr_html_()


def test_the_marks_colours_read_as_text_on_the_page_and_the_output_card():
    """The ✓ and ✗ are text (WCAG 1.4.3: 4.5:1); the palette's green was 3.4:1 on white and
    2.3:1 on the dark mode's output card (#ced6dd, measured in the built book)."""
    import re

    from nnmath.plots import contrast_ratio

    passed = check_layer_backward(layer("tanh"), "tanh")
    failed = check_layer_backward(layer("tanh", "b averaged"), "tanh")
    for result, mark in ((passed, "✓"), (failed, "✗")):
        colour = re.search(r'<b style="color: (#[0-9A-Fa-f]{6})">' + mark, result._repr_html_())
        assert colour, result._repr_html_()
        # white (light mode) and the light-grey card of HTML outputs in the theme's dark mode
        for behind in ("#ffffff", "#ced6dd"):
            assert contrast_ratio(colour[1], behind) >= 4.5, (mark, colour[1], behind)


def test_layer_three_outputs_and_a_dict_are_accepted():
    def three(W, b, a_prev, grad_a):
        return layer("sigmoid")(W, b, a_prev, grad_a)[:3]

    def as_dict(W, b, a_prev, grad_a):
        d, gW, gb, ga = layer("sigmoid")(W, b, a_prev, grad_a)
        return {"delta": d, "W": gW, "b": gb, "a_prev": ga}

    assert check_layer_backward(three).passed
    assert check_layer_backward(as_dict).passed


def test_layer_unusable_return_is_explained():
    result = check_layer_backward(lambda W, b, a_prev, grad_a: grad_a)
    assert result.problems[0].part == "backward"
    assert (
        "returned ndarray; return a tuple (delta, grad_W, grad_b, grad_a_prev)" in result.diagnosis
    )
    result = check_layer_backward(lambda W, b, a_prev, grad_a: ("δ", "W", "b"))
    assert "is not a numeric array" in result.diagnosis


def test_layer_html_names_each_problem():
    page = check_layer_backward(layer("sigmoid", "b not summed"))._repr_html_()
    assert "<b>∇b</b>" in page and "✗" in page and "not summed over the batch" in page


def test_layer_bad_arguments():
    with pytest.raises(TypeError, match=r"backward must be a function \(W, b, a_prev, grad_a\)"):
        check_layer_backward(3)
    with pytest.raises(ValueError, match="n_in must be an integer ≥ 1, got 0"):
        check_layer_backward(layer(), n_in=0)
    with pytest.raises(ValueError, match="unknown activation 'sigmiod'"):
        check_layer_backward(layer(), "sigmiod")
    with pytest.raises(ValueError, match="tolerance must be a positive finite number"):
        check_layer_backward(layer(), tolerance=-1)


# -- a reader's network backprop, with one mistake switched on -------------------------------------------
def network(mistake=None, returns="pair"):
    mistakes = set(mistake.split(" and ")) if mistake else set()

    def backprop(net, x, t):
        fwd, L = net.forward(x), net.L
        z, a, f = fwd.z, fwd.a, net.f
        delta = {}
        if mistakes & {"BP1 missing", "all missing"}:
            delta[L] = net.loss.gradient(a[L], t)
        elif "BP1 twice" in mistakes:
            delta[L] = net.loss.output_error(f[L], z[L], a[L], t) * f[L].derivative(z[L])
        elif "at a" in mistakes:
            delta[L] = net.loss.gradient(a[L], t) * f[L].derivative(a[L])
        else:
            delta[L] = net.loss.output_error(f[L], z[L], a[L], t)
        for l in range(L - 1, 0, -1):
            back = net.W[l + 1].T @ delta[l + 1]
            if mistakes & {"BP2 missing", "all missing"}:
                delta[l] = back
            elif "BP2 twice" in mistakes:
                delta[l] = back * f[l].derivative(z[l]) ** 2
            elif "at a" in mistakes:
                delta[l] = back * f[l].derivative(a[l])
            else:
                delta[l] = f[l].backward(z[l], back)
        m = x.shape[1]
        scale = {"averaged": 1 / m, "summed": m, "times 2": 2, "sign": -1}.get(mistake or "", 1)
        grad_W = {l: scale * delta[l] @ a[l - 1].T for l in delta}
        grad_b = {l: scale * delta[l].sum(axis=1, keepdims=True) for l in delta}
        if "b averaged" in mistakes:
            grad_b = {l: delta[l].mean(axis=1, keepdims=True) for l in delta}
        if "b not summed" in mistakes:
            grad_b = dict(delta)
        if "W transposed" in mistakes:
            grad_W = {l: g.T for l, g in grad_W.items()}
        if returns == "lists":
            return [grad_W[l] for l in range(1, L + 1)], [grad_b[l] for l in range(1, L + 1)]
        if returns == "bylayer":

            class Grads:
                W = ByLayer(1, [grad_W[l] for l in range(1, L + 1)])
                b = ByLayer(1, [grad_b[l] for l in range(1, L + 1)])

            return Grads()
        if returns == "dict":
            return {"W": grad_W, "b": grad_b}
        return grad_W, grad_b

    return backprop


NETWORK_DIAGNOSES = [
    # (mistake, activations, loss, reduction, {words: parts})
    (
        "BP1 missing",
        "tanh",
        "half_squared_error",
        None,
        {
            "the activation derivative is missing at the output": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "BP2 missing",
        "sigmoid",
        "half_squared_error",
        None,
        {"the activation derivative is missing in the hidden layers": "∇W^1, ∇b^1, ∇W^2, ∇b^2"},
    ),
    (
        "all missing",
        "sigmoid",
        "half_squared_error",
        None,
        {
            "the activation derivative f'(z^l) is missing in every layer": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "BP1 twice",
        ["tanh", "tanh", "sigmoid"],
        "binary_cross_entropy",
        None,
        {
            "δ^L = a^L − t (times the batch factor) already includes the activation's derivative": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"  # noqa: E501
        },
    ),
    (
        "BP1 twice",
        "tanh",
        "half_squared_error",
        None,
        {
            "the activation derivative is applied twice at the output": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "BP2 twice",
        "tanh",
        "mean_squared_error",
        None,
        {
            "the activation derivative is applied twice in the hidden layers": "∇W^1, ∇b^1, ∇W^2, ∇b^2"
        },
    ),
    (
        "at a",
        "sigmoid",
        "half_squared_error",
        None,
        {
            "f' is evaluated at a^l = f(z^l) instead of at z^l, in every layer": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "b averaged",
        "tanh",
        "half_squared_error",
        None,
        {"the bias gradient is averaged over the batch instead of summed": "∇b^1, ∇b^2, ∇b^3"},
    ),
    (
        "BP1 missing and b averaged",
        "tanh",
        "half_squared_error",
        None,
        {
            "the activation derivative is missing at the output": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3",
            "the bias gradient is averaged over the batch instead of summed": "∇b^1, ∇b^2, ∇b^3",
        },
    ),
    (
        "averaged",
        "tanh",
        "half_squared_error",
        "sum",
        {
            "is 1/m of the right gradient (m = 3): this loss sums over the batch": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "summed",
        "sigmoid",
        "mean_squared_error",
        "mean",
        {
            "is m = 3 times the right gradient: this loss averages over the batch": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "summed",
        ["relu", "relu", "softmax"],
        "cross_entropy",
        None,
        {"is m = 3 times the right gradient": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"},
    ),
    (
        "times 2",
        "tanh",
        "half_squared_error",
        None,
        {
            "is twice the right gradient: the derivative of ½(a − t)² is (a − t)": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"
        },
    ),
    (
        "sign",
        "tanh",
        "half_squared_error",
        None,
        {"has the wrong sign": "∇W^1, ∇b^1, ∇W^2, ∇b^2, ∇W^3, ∇b^3"},
    ),
    ("b not summed", "tanh", "half_squared_error", None, {"is not summed over the batch": "∇b^1"}),
    (
        "W transposed",
        "tanh",
        "half_squared_error",
        None,
        {"is transposed: it has shape (4, 3), expected (3, 4)": "∇W^1"},
    ),
]


@pytest.mark.parametrize("mistake, activations, loss, reduction, expected", NETWORK_DIAGNOSES)
def test_network_diagnosis(mistake, activations, loss, reduction, expected):
    result = check_network_gradients(
        network(mistake),
        sizes=[4, 3, 3, 2],
        activations=activations,
        loss=loss,
        reduction=reduction,
    )
    assert not result.passed
    for words, parts in expected.items():
        named = [p for p in result.problems if words in p.words]
        assert named, result.diagnosis
        assert named[0].part.startswith(parts), result.diagnosis
    with pytest.raises(AssertionError, match=re.escape(list(expected)[0])):
        result.assert_passed()


@pytest.mark.parametrize("returns", ["pair", "lists", "bylayer", "dict"])
def test_network_correct_passes_in_every_return_form(returns):
    result = check_network_gradients(network(returns=returns), sizes=[2, 3, 2], activations="tanh")
    assert result.passed, result.diagnosis
    assert result.max_relative_error < 1e-13
    assert "and with yours to" in result.notes[0]


def test_network_nnmath_backward_passes_and_parameters_are_restored():
    def backprop(net, x, t):
        grads = net.backward(x, t)
        net.gradient_step(grads, 0.5)  # a reader who also updates in place must not spoil the check
        return grads

    assert check_network_gradients(
        backprop, sizes=[3, 5, 2], activations=["relu", "softmax"], loss="cross_entropy"
    ).passed


def test_network_unusable_return_is_explained():
    result = check_network_gradients(lambda net, x, t: 0.0)
    assert "returned float; return the gradients for layers 1..2" in result.diagnosis


def test_network_bad_arguments():
    with pytest.raises(ValueError, match=r"sizes\[1\] must be a positive integer"):
        check_network_gradients(network(), sizes=[2, 0, 1])
    with pytest.raises(ValueError, match="unknown loss 'squared'"):
        check_network_gradients(network(), loss="squared")
    with pytest.raises(ValueError, match="batch must be an integer ≥ 1"):
        check_network_gradients(network(), batch=0)


# -- a reader's optimizer step, with one mistake switched on -----------------------------------------------
HP = dict(learning_rate=0.1, momentum=0.9, beta=0.9, beta1=0.9, beta2=0.999, eps=1e-8)


def optimizer(method, mistake=None, hp=HP):
    a, mu, beta, b1, b2, eps = (
        hp[k] for k in ("learning_rate", "momentum", "beta", "beta1", "beta2", "eps")
    )
    if mistake == "lr twice":
        a_w = a
    else:
        a_w = 1.0
    if mistake == "no lr":
        a = 1.0
    sign = -1 if mistake == "uphill" else 1

    def step(w, g, state):
        if state is None or mistake == "not carried":
            state = {"v": np.zeros_like(w), "s": np.zeros_like(w), "t": 0}
        v, s, t = state["v"], state["s"], state["t"]
        if method == "sgd":
            return w - sign * a_w * a * g, state
        if method == "momentum":
            if mistake == "velocity after":
                w = w + v
            v = {"ema": lambda: mu * v - a * (1 - mu) * g, "no mu": lambda: v - a * g}.get(
                mistake, lambda: mu * v - sign * a * g
            )()
            if mistake != "velocity after":
                w = w + a_w * v
            return w, {"v": v, "s": s, "t": t}
        if method == "rmsprop":
            s = beta * s + (g**2 if mistake == "no 1-beta" else (1 - beta) * g**2)
            root = s if mistake == "no sqrt" else np.sqrt(s)
            return w - sign * a_w * a * g / (root + eps), {"v": v, "s": s, "t": t}
        m1, m2 = (b2, b1) if mistake == "betas swapped" else (b1, b2)
        t = 1 if mistake == "t not carried" else t + 1
        v = m1 * v + (1 - m1) * g
        s = m2 * s + (1 - m2) * g**2
        v_hat, s_hat = (
            (v, s) if mistake == "no bias correction" else (v / (1 - m1**t), s / (1 - m2**t))
        )
        root = s_hat if mistake == "no sqrt" else np.sqrt(s_hat)
        return w - sign * a_w * a * v_hat / (root + eps), {"v": v, "s": s, "t": t}

    return step


OPTIMIZER_DIAGNOSES = [
    ("sgd", "lr twice", "the learning rate is applied twice"),
    ("sgd", "no lr", "the learning rate is missing"),
    ("sgd", "uphill", "the steps go uphill: a descent step subtracts the gradient (w ← w − α …)"),
    (
        "momentum",
        "not carried",
        "the momentum state is not carried: v starts again from zero at every step",
    ),
    ("momentum", "lr twice", "the learning rate is applied twice"),
    ("momentum", "velocity after", "w moves with the old velocity"),
    ("momentum", "ema", "uses v ← μv − α(1 − μ)∇C"),
    ("momentum", "no mu", "the momentum coefficient μ is missing"),
    (
        "momentum",
        "uphill",
        "the steps go uphill: a descent step subtracts the gradient (v ← μv − α∇C)",
    ),
    ("rmsprop", "not carried", "the state s is not carried"),
    ("rmsprop", "no sqrt", "divides by s + ε"),
    ("rmsprop", "no 1-beta", "uses s ← βs + ∇C²"),
    ("rmsprop", "lr twice", "the learning rate is applied twice"),
    ("adam", "not carried", "the state (v, s, t) is not carried"),
    ("adam", "t not carried", "the step count t is not carried"),
    ("adam", "no bias correction", "the bias correction is missing"),
    ("adam", "betas swapped", "β₁ and β₂ are swapped"),
    ("adam", "no sqrt", "divides by ŝ + ε"),
    ("adam", "lr twice", "the learning rate is applied twice"),
    ("adam", "uphill", "the steps go uphill"),
]


@pytest.mark.parametrize("method, mistake, words", OPTIMIZER_DIAGNOSES)
def test_optimizer_diagnosis(method, mistake, words):
    result = check_optimizer_step(optimizer(method, mistake), method, **HP)
    assert not result.passed
    assert result.problems[0].part == "the steps Δw = w_new − w"
    assert words in result.diagnosis
    with pytest.raises(AssertionError, match="the steps"):
        result.assert_passed()


@pytest.mark.parametrize("method", ["sgd", "momentum", "rmsprop", "adam"])
def test_optimizer_correct_passes(method):
    result = check_optimizer_step(optimizer(method), method, **HP)
    assert result.passed, result.diagnosis
    assert "against nnmath.optimizers" in str(result)


def test_a_momentum_weight_update_of_the_wrong_sign_is_named_and_the_velocity_not_blamed():
    def w_minus_v(w, g, v):
        v = 0.9 * (np.zeros_like(w) if v is None else v) - 0.1 * g
        return w - v, v  # v is right; the update's sign is not

    def velocity_uphill(w, g, v):
        v = 0.9 * (np.zeros_like(w) if v is None else v) + 0.1 * g
        return w + v, v  # the same steps, but v itself has the wrong sign

    result = check_optimizer_step(w_minus_v, "momentum", learning_rate=0.1, momentum=0.9)
    assert not result.passed
    assert "the weight update has the wrong sign: your velocity v is right" in result.diagnosis
    assert "w ← w + v" in result.diagnosis and "goes uphill" not in result.diagnosis
    result = check_optimizer_step(velocity_uphill, "momentum", learning_rate=0.1, momentum=0.9)
    assert "the steps go uphill" in result.diagnosis and "v ← μv − α∇C" in result.diagnosis
    assert "weight update" not in result.diagnosis


def test_the_step_tolerance_follows_the_dtype_returned():
    def momentum(dtype, slip=0.0):
        def step(w, g, v):
            w, g = w.astype(dtype), g.astype(dtype)
            v = dtype(0.9) * (np.zeros_like(w) if v is None else v) - dtype(0.1) * g
            return w + v * dtype(1 + slip), v

        return step

    tight = check_optimizer_step(momentum(np.float64), "momentum")
    assert tight.passed and tight.tolerance == pytest.approx(1e-7)
    assert "follows the float64 you return" in str(tight)
    # a float64 step off by 1e-5 of itself is wrong (the old floor, 1.2e-4, let it pass)
    off = check_optimizer_step(momentum(np.float64, 1e-5), "momentum")
    assert not off.passed and "tolerance 1e-07" in str(off)
    single = check_optimizer_step(momentum(np.float32), "momentum")
    assert single.passed and 1e-4 <= single.tolerance <= 1e-2
    assert "follows the float32 you return" in str(single)
    assert "relative error" in str(single)


def test_optimizer_init_gives_the_first_state():
    def init(w):
        return np.zeros_like(w)

    def momentum(w, g, v):
        v = 0.9 * v - 0.1 * g
        return w + v, v

    assert check_optimizer_step(momentum, "momentum", init=init).passed
    assert not check_optimizer_step(momentum, "momentum", init=init, momentum=0.5).passed


def test_optimizer_unusable_returns_are_explained():
    result = check_optimizer_step(lambda w, g, s: w - 0.1 * g, "sgd")
    assert "returned ndarray at step 1; return (w_new, state)" in result.diagnosis
    assert "for SGD, return the state you were given" in result.diagnosis
    result = check_optimizer_step(lambda w, g, s: (w.ravel(), s), "sgd")
    assert "w_new at step 1 has shape (6,), expected (3, 2), the shape of w" in result.diagnosis


def test_optimizer_bad_arguments():
    with pytest.raises(
        ValueError, match="unknown method 'nesterov'; known: sgd, momentum, rmsprop, adam"
    ):
        check_optimizer_step(optimizer("sgd"), "nesterov")
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, 1\), got 1.0"):
        check_optimizer_step(optimizer("momentum"), "momentum", momentum=1)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        check_optimizer_step(optimizer("sgd"), "sgd", learning_rate=0)
    with pytest.raises(TypeError, match=r"init must be a function \(w\) -> state"):
        check_optimizer_step(optimizer("sgd"), "sgd", init=3)


# -- derivatives and the chain rule ------------------------------------------------------------------------
OUTER, D_OUTER = np.sin, np.cos
INNER, D_INNER = (lambda x: x**2 + x), (lambda x: 2 * x + 1)

CHAIN_DIAGNOSES = [
    (lambda x: D_OUTER(INNER(x)), "the inner derivative is missing"),
    (lambda x: D_OUTER(x) * D_INNER(x), "f' is evaluated at x instead of at the inner value g(x)"),
    (lambda x: D_OUTER(x), "is f'(x): the outer derivative at x, without the inner derivative"),
    (lambda x: D_INNER(x), "is only the inner derivative g'(x)"),
    (lambda x: D_OUTER(INNER(x)) * D_INNER(x) ** 2, "the inner derivative is applied twice"),
    (lambda x: D_OUTER(INNER(x)) + D_INNER(x), "adds the derivatives"),
    (lambda x: OUTER(INNER(x)) * D_INNER(x), "uses f(g(x)), the outer function itself"),
    (lambda x: D_OUTER(D_INNER(x)), "composes the derivatives, f'(g'(x))"),
    (lambda x: -D_OUTER(INNER(x)) * D_INNER(x), "has the wrong sign"),
    (lambda x: 0.5 * D_OUTER(INNER(x)) * D_INNER(x), "it is 0.5 times the right answer"),
    (lambda x: np.exp(x), "none of the common mistakes"),
]


@pytest.mark.parametrize("derivative, words", CHAIN_DIAGNOSES)
def test_chain_rule_diagnosis(derivative, words):
    result = check_chain_rule(derivative, OUTER, INNER)
    assert not result.passed and words in result.diagnosis, result.diagnosis


def test_chain_rule_correct_passes_with_numpy_and_with_sympy():
    result = check_chain_rule(lambda x: D_OUTER(INNER(x)) * D_INNER(x), OUTER, INNER)
    assert result.passed and result.max_relative_error < 1e-8
    assert "The chain rule agrees with a central difference of f(g(x))" in str(result)
    sympy = pytest.importorskip("sympy")
    x = sympy.Symbol("x")
    exact = check_chain_rule(lambda x: D_OUTER(INNER(x)) * D_INNER(x), sympy.sin(x), x**2 + x)
    assert exact.passed and exact.max_relative_error < 1e-14


def test_derivative_check():
    assert check_derivative(lambda x: 1 - np.tanh(x) ** 2, np.tanh).passed
    assert (
        "has the wrong sign" in check_derivative(lambda x: np.tanh(x) ** 2 - 1, np.tanh).diagnosis
    )
    assert "is the function itself" in check_derivative(np.tanh, np.tanh).diagnosis
    assert "it is 2 times" in check_derivative(lambda x: 2 * np.cos(x), np.sin).diagnosis
    assert check_derivative(lambda x: 1 / x, np.log, points=[0.5, 1, 2, 3]).passed


def test_derivative_bad_arguments():
    with pytest.raises(ValueError, match="points must be at least 3 finite numbers"):
        check_derivative(np.cos, np.sin, points=[1.0])
    with pytest.raises(TypeError, match="outer must be a function of one number"):
        check_chain_rule(np.cos, "sin", np.sin)
    sympy = pytest.importorskip("sympy")
    x, y = sympy.symbols("x y")
    with pytest.raises(ValueError, match="inner must be an expression in one symbol"):
        check_chain_rule(np.cos, np.sin, x * y)


# -- a correct implementation is never misdiagnosed ---------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(
    activation=st.sampled_from(["sigmoid", "tanh", "relu", "identity", "softmax"]),
    n_in=st.integers(1, 7),
    n_out=st.integers(1, 7),
    batch=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_correct_layer_always_passes(activation, n_in, n_out, batch, seed):
    result = check_layer_backward(
        layer(activation), activation, n_in=n_in, n_out=n_out, batch=batch, seed=seed
    )
    assert result.passed, result.diagnosis
    assert result.diagnosis == "correct" and result.max_relative_error <= 1e-12


OUTPUT_LOSSES = [
    *[
        (f, loss)
        for f in ["sigmoid", "tanh", "identity", "softmax"]
        for loss in ["half_squared_error", "mean_squared_error"]
    ],
    ("softmax", "cross_entropy"),
    ("sigmoid", "binary_cross_entropy"),
]


@settings(max_examples=60, deadline=None)
@given(
    widths=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    hidden=st.lists(
        st.sampled_from(["sigmoid", "tanh", "relu", "identity"]), min_size=2, max_size=2
    ),
    output_loss=st.sampled_from(OUTPUT_LOSSES),
    reduction=st.sampled_from(["sum", "mean"]),
    batch=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_correct_network_always_passes(widths, hidden, output_loss, reduction, batch, seed):
    output, loss = output_loss
    activations = hidden[: len(widths) - 2] + [output]
    result = check_network_gradients(
        network(), widths, activations, loss, reduction=reduction, batch=batch, inputs=2, seed=seed
    )
    assert result.passed, result.diagnosis


@settings(max_examples=80, deadline=None)
@given(
    method=st.sampled_from(["sgd", "momentum", "rmsprop", "adam"]),
    learning_rate=st.floats(1e-3, 2.0),
    momentum=st.floats(0, 0.99),
    beta=st.floats(0, 0.99),
    beta1=st.floats(0, 0.99),
    beta2=st.floats(0, 0.9999),
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=2),
    seed=st.integers(0, 2**32 - 1),
)
def test_correct_optimizer_always_passes(
    method, learning_rate, momentum, beta, beta1, beta2, shape, seed
):
    hp = dict(
        learning_rate=learning_rate,
        momentum=momentum,
        beta=beta,
        beta1=beta1,
        beta2=beta2,
        eps=1e-8,
    )
    result = check_optimizer_step(
        optimizer(method, hp=hp), method, **hp, shape=tuple(shape), seed=seed
    )
    assert result.passed, result.diagnosis


FUNCTIONS = [
    (np.sin, np.cos),
    (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    (np.exp, np.exp),
    (lambda x: x**3, lambda x: 3 * x**2),
    (lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
]


@settings(max_examples=60, deadline=None)
@given(
    outer=st.sampled_from(FUNCTIONS),
    inner=st.sampled_from(FUNCTIONS),
    seed=st.integers(0, 2**32 - 1),
)
def test_correct_chain_rule_always_passes(outer, inner, seed):
    (f, df), (g, dg) = outer, inner
    result = check_chain_rule(lambda x: df(g(x)) * dg(x), f, g, seed=seed)
    assert result.passed, result.diagnosis


def test_import_nnmath_checks_stays_numpy_only():
    code = (
        "import sys, nnmath.checks; heavy = [m for m in ('matplotlib', 'sympy', 'ipywidgets') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_result_is_a_checkresult():
    assert isinstance(check_derivative(np.cos, np.sin), CheckResult)


@pytest.mark.parametrize("method", ["sgd", "momentum", "rmsprop", "adam"])
def test_optimizer_reference_equals_nnmath_optimizers(method):
    """The check's own update equations (which it varies to name mistakes) give nnmath.optimizers' steps."""
    from nnmath import optimizers as opt
    from nnmath.checks.optimizer import _optimizer_steps

    hp = {
        "learning_rate": 0.1,
        "momentum": 0.9,
        "beta": 0.9,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }
    method_object = {
        "sgd": opt.SGD(0.1),
        "momentum": opt.Momentum(0.1, 0.9),
        "rmsprop": opt.RMSprop(0.1, beta=0.9, eps=1e-8),
        "adam": opt.Adam(0.1, 0.9, 0.999, 1e-8, bias_correction=True),
    }[method]
    rng = np.random.default_rng(7)
    w0, grads = rng.standard_normal((3, 2)), [rng.standard_normal((3, 2)) for _ in range(4)]
    expected, w, state = [], w0.copy(), None
    for g in grads:
        state = state or method_object.init([w])
        steps, state = method_object.update([g], state)
        expected.append(steps[0])
        w = w + steps[0]
    np.testing.assert_allclose(
        np.array(_optimizer_steps(method, w0, grads, hp)),
        np.array(expected),
        rtol=1e-12,
        atol=1e-15,
    )
