"""nnmath.checks on code it has never seen: correct implementations written three other ways
(float32, loops, einsum) pass for 30 seeds of 30, and a fresh set of realistic wrong ones,
written as a reader would (not by the checks' own mistake generator), is named correctly for
at least three quarters of them."""

import numpy as np
import pytest

from nnmath.checks import (
    check_chain_rule,
    check_layer_backward,
    check_network_gradients,
    check_optimizer_step,
)

SEEDS = range(30)


# -- the reader's activation functions, their own way ----------------------------------------------
def sig(z):
    return 1 / (1 + np.exp(-z))


def softmax_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def act_and_slope(name, z):
    """(a, f'(z)) for an elementwise activation; softmax is handled by the caller."""
    if name == "sigmoid":
        a = sig(z)
        return a, a * (1 - a)
    if name == "tanh":
        a = np.tanh(z)
        return a, 1 - a * a
    if name == "relu":
        return np.maximum(z, 0), (z > 0).astype(z.dtype)
    return z, np.ones_like(z)


def delta_from(name, z, grad_a):
    if name == "softmax":
        s = softmax_columns(z)
        return s * (grad_a - np.sum(s * grad_a, axis=0, keepdims=True))
    return grad_a * act_and_slope(name, z)[1]


# -- correct layers: float32, loops, einsum --------------------------------------------------------
def layer_float32(name):
    def backward(W, b, a_prev, grad_a):
        W, b, a_prev, grad_a = (v.astype(np.float32) for v in (W, b, a_prev, grad_a))
        delta = delta_from(name, W @ a_prev + b, grad_a)
        return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta

    return backward


def layer_loops(name):
    def backward(W, b, a_prev, grad_a):
        n_out, n_in = W.shape
        m = a_prev.shape[1]
        z = np.zeros((n_out, m))
        for i in range(n_out):
            for k in range(m):
                z[i, k] = b[i, 0] + sum(W[i, j] * a_prev[j, k] for j in range(n_in))
        delta = delta_from(name, z, grad_a)
        gW, gb, ga = np.zeros((n_out, n_in)), np.zeros((n_out, 1)), np.zeros((n_in, m))
        for i in range(n_out):
            for k in range(m):
                gb[i, 0] += delta[i, k]
                for j in range(n_in):
                    gW[i, j] += delta[i, k] * a_prev[j, k]
                    ga[j, k] += W[i, j] * delta[i, k]
        return delta, gW, gb, ga

    return backward


def layer_einsum(name):
    def backward(W, b, a_prev, grad_a):
        z = np.einsum("ij,jk->ik", W, a_prev) + b
        delta = delta_from(name, z, grad_a)
        return (
            delta,
            np.einsum("ik,jk->ij", delta, a_prev),
            np.einsum("ik->i", delta)[:, None],
            np.einsum("ij,ik->jk", W, delta),
        )

    return backward


STYLES = {"float32": layer_float32, "loops": layer_loops, "einsum": layer_einsum}


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "softmax"])
def test_correct_layers_pass_for_every_seed(style, name):
    failures = [
        seed
        for seed in SEEDS
        if not check_layer_backward(STYLES[style](name), name, n_in=4, n_out=3, batch=5, seed=seed)
    ]
    assert failures == [], f"{style} {name}: false alarms for seeds {failures}"


# -- correct networks ------------------------------------------------------------------------------
def network_backprop(style):
    """A reader's backprop for half squared error or softmax + cross-entropy, sum or mean."""

    def backprop(net, x, t):
        dtype = np.float32 if style == "float32" else np.float64
        W = {l: net.W[l].astype(dtype) for l in range(1, net.L + 1)}
        b = {l: net.b[l].astype(dtype) for l in range(1, net.L + 1)}
        names = [f.name for f in net.f]
        L, m = net.L, x.shape[1]
        a, z = {0: x.astype(dtype)}, {}
        for l in range(1, L + 1):
            z[l] = (
                np.einsum("ij,jk->ik", W[l], a[l - 1]) if style == "einsum" else W[l] @ a[l - 1]
            ) + b[l]
            a[l] = (
                softmax_columns(z[l])
                if names[l - 1] == "softmax"
                else act_and_slope(names[l - 1], z[l])[0]
            )
        scale = 1 / m if net.loss.reduction == "mean" else 1
        delta = {}
        if names[-1] == "softmax":  # with cross-entropy: δ^L = a − t
            delta[L] = (a[L] - t) * scale
        else:
            delta[L] = delta_from(names[-1], z[L], (a[L] - t) * scale)
        for l in range(L - 1, 0, -1):
            delta[l] = delta_from(names[l - 1], z[l], W[l + 1].T @ delta[l + 1])
        if style == "loops":
            gW = {l: sum(np.outer(delta[l][:, k], a[l - 1][:, k]) for k in range(m)) for l in delta}
            gb = {l: sum(delta[l][:, k : k + 1] for k in range(m)) for l in delta}
        else:
            gW = {l: delta[l] @ a[l - 1].T for l in delta}
            gb = {l: delta[l].sum(axis=1, keepdims=True) for l in delta}
        return {"W": gW, "b": gb}

    return backprop


NETWORKS = [
    ((3, 4, 2), ["tanh", "sigmoid"], "half_squared_error", "sum"),
    ((4, 5, 3), ["relu", "softmax"], "cross_entropy", "mean"),
    ((2, 3, 3, 2), ["sigmoid", "tanh", "identity"], "half_squared_error", "mean"),
]


@pytest.mark.parametrize("style", ["float32", "loops", "einsum"])
@pytest.mark.parametrize("sizes, activations, loss, reduction", NETWORKS)
def test_correct_networks_pass_for_every_seed(style, sizes, activations, loss, reduction):
    failures = [
        seed
        for seed in SEEDS
        if not check_network_gradients(
            network_backprop(style),
            sizes,
            activations,
            loss,
            reduction=reduction,
            batch=4,
            inputs=2,
            seed=seed,
        )
    ]
    assert failures == [], f"{style}: false alarms for seeds {failures}"


# -- correct optimizers ----------------------------------------------------------------------------
def optimizer_float32(method, lr, mu=0.9, beta=0.9, b1=0.9, b2=0.999, eps=1e-8):
    f32 = np.float32

    def step(w, g, state):
        w, g = w.astype(f32), g.astype(f32)
        if method == "momentum":
            v = np.zeros_like(w) if state is None else state
            v = f32(mu) * v - f32(lr) * g
            w += v  # in place, on purpose
            return w, v
        if method == "rmsprop":
            s = np.zeros_like(w) if state is None else state
            s = f32(beta) * s + f32(1 - beta) * g * g
            return w - f32(lr) * g / (np.sqrt(s) + f32(eps)), s
        m, v, t = (np.zeros_like(w), np.zeros_like(w), 0) if state is None else state
        t += 1
        m = f32(b1) * m + f32(1 - b1) * g
        v = f32(b2) * v + f32(1 - b2) * g * g
        return w - f32(lr) * (m / f32(1 - b1**t)) / (np.sqrt(v / f32(1 - b2**t)) + f32(eps)), (
            m,
            v,
            t,
        )

    return step


def optimizer_loops(method, lr, mu=0.9, beta=0.9, b1=0.9, b2=0.999, eps=1e-8):
    """Entry by entry, with PyTorch's momentum buffer and Kingma & Ba's efficient Adam."""

    def step(w, g, state):
        w = w.copy()
        state = state or {"buf": np.zeros_like(w), "s": np.zeros_like(w), "t": 0}
        state = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in state.items()}
        state["t"] += 1
        t = state["t"]
        for i in np.ndindex(w.shape):
            if method == "momentum":
                state["buf"][i] = mu * state["buf"][i] + g[i]  # PyTorch: buf ← μ buf + g
                w[i] -= lr * state["buf"][i]
            elif method == "rmsprop":
                state["s"][i] = beta * state["s"][i] + (1 - beta) * g[i] ** 2
                w[i] -= lr * g[i] / (np.sqrt(state["s"][i]) + eps)
            else:
                state["buf"][i] = b1 * state["buf"][i] + (1 - b1) * g[i]
                state["s"][i] = b2 * state["s"][i] + (1 - b2) * g[i] ** 2
                lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
                w[i] -= lr_t * state["buf"][i] / (np.sqrt(state["s"][i]) + eps)
        return w, state

    return step


@pytest.mark.parametrize("make", [optimizer_float32, optimizer_loops])
@pytest.mark.parametrize(
    "method, lr", [("momentum", 0.1), ("rmsprop", 0.01), ("adam", 0.001), ("adam", 0.1)]
)
def test_correct_optimizers_pass_for_every_seed(make, method, lr):
    failures = [
        seed
        for seed in SEEDS
        if not check_optimizer_step(make(method, lr), method, learning_rate=lr, seed=seed)
    ]
    assert failures == [], f"{make.__name__} {method}: false alarms for seeds {failures}"


def test_correct_chain_rule_in_float32_passes_for_every_seed():
    def derivative(x):
        x = np.float32(x)
        return np.cos(np.float32(x) ** 2) * 2 * x

    failures = [
        seed
        for seed in SEEDS
        if not check_chain_rule(derivative, np.sin, lambda x: x**2, seed=seed, tolerance=1e-5)
    ]
    assert failures == []


# -- a fresh set of realistic wrong implementations ------------------------------------------------
def wrong_layer(kind):
    def backward(W, b, a_prev, grad_a):
        z = W @ a_prev + b
        a = sig(z)
        delta = grad_a * a * (1 - a)
        gW, gb, ga = delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
        if kind == "tanh slope in a sigmoid layer":
            delta = grad_a * (1 - np.tanh(z) ** 2)
            gW, gb, ga = delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
        if kind == "slope at a":
            s = sig(a)
            delta = grad_a * s * (1 - s)
            gW, gb, ga = delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
        if kind == "no bias in z":
            a0 = sig(W @ a_prev)
            delta = grad_a * a0 * (1 - a0)
            gW, gb, ga = delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
        if kind == "slope again in grad W":
            gW = (delta * a * (1 - a)) @ a_prev.T
        if kind == "grad_a in grad W":
            gW = grad_a @ a_prev.T
        return delta, gW, gb, ga

    return backward


def wrong_tanh_layer(W, b, a_prev, grad_a):
    a = np.tanh(W @ a_prev + b)
    delta = grad_a * (1 - a)  # forgot the square
    return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta


def wrong_softmax_layer(kind):
    def backward(W, b, a_prev, grad_a):
        s = softmax_columns(W @ a_prev + b)
        if kind == "batch axis":
            delta = s * grad_a - s * np.sum(s * grad_a, axis=1, keepdims=True)
        else:  # one s sᵀ for the whole batch
            delta = s * grad_a - (s @ s.T) @ grad_a
        return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta

    return backward


def wrong_backprop(kind):
    def backprop(net, x, t):
        L, m = net.L, x.shape[1]
        a, z = {0: x}, {}
        for l in range(1, L + 1):
            z[l] = net.W[l] @ a[l - 1] + net.b[l]
            a[l] = net.f[l].value(z[l])
        mean = net.loss.reduction == "mean"
        g = (a[L] - t) / (m if mean else 1)
        if net.f[L].name == "softmax":
            delta = {L: g}
            if kind == "extra softmax derivative":
                delta[L] = net.f[L].backward(z[L], g)
        else:
            delta = {L: g * net.f[L].derivative(z[L])}
            if kind == "no slope at output":
                delta[L] = g
        for l in range(L - 1, 0, -1):
            if kind == "wrong W in recursion":
                back = net.W[l].T @ delta[l + 1]
            else:
                back = net.W[l + 1].T @ delta[l + 1]
            slope = (
                net.f[L].derivative(z[l])
                if kind == "output slope in hidden"
                else net.f[l].derivative(z[l])
            )
            delta[l] = back * slope
        gW = {l: delta[l] @ (a[l] if kind == "a^l for a^(l-1)" else a[l - 1]).T for l in delta}
        gb = {l: delta[l].sum(axis=1, keepdims=True) for l in delta}
        if kind == "double average":
            gW = {l: w / m for l, w in gW.items()}
            gb = {l: v / m for l, v in gb.items()}
        if kind == "transposed grad W":
            gW = {l: a[l - 1] @ delta[l].T for l in delta}
        return gW, gb

    return backprop


def wrong_momentum(kind, lr=0.1, mu=0.9):
    def step(w, g, v):
        if v is None:
            v = g.copy() if kind == "starts at gradient" else np.zeros_like(w)
        v = mu * (v - lr * g) if kind == "decay on gradient" else mu * v - lr * g
        return w + v, v

    return step


def wrong_rmsprop(kind, lr=0.01, beta=0.9, eps=1e-8):
    def step(w, g, s):
        s = np.zeros_like(w) if s is None else s
        s_new = (
            (1 - beta) * s + beta * g * g
            if kind == "decay swapped"
            else beta * s + (1 - beta) * g * g
        )
        if kind == "eps in root":
            return w - lr * g / np.sqrt(s_new + eps), s_new
        return w - lr * g / (np.sqrt(s_new) + eps), s_new

    return step


def wrong_adam(kind, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
    def step(w, g, state):
        m, v, t = (0 * w, 0 * w, 0) if state is None else state
        m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        t += 1
        tc = t + 1 if kind == "t off by one" else t
        m_hat, v_hat = m_new / (1 - b1**tc), v_new / (1 - b2**tc)
        if kind == "old moments":
            m_hat, v_hat = m / (1 - b1**tc), v / (1 - b2**tc)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        if kind == "stores corrected":
            return w, (m_hat, v_hat, t)
        return w, (m_new, v_new, t)

    return step


def dsig(u):
    return sig(u) * (1 - sig(u))


# (name, how the check is called, words the diagnosis must contain)
FRESH = [
    (
        "layer: tanh's derivative in a sigmoid layer",
        lambda: check_layer_backward(wrong_layer("tanh slope in a sigmoid layer"), "sigmoid"),
        "derivative of tanh",
    ),
    (
        "layer: σ' taken at a",
        lambda: check_layer_backward(wrong_layer("slope at a"), "sigmoid"),
        "evaluated at a^l",
    ),
    (
        "layer: bias left out of z",
        lambda: check_layer_backward(wrong_layer("no bias in z"), "sigmoid"),
        "bias is missing from z",
    ),
    (
        "layer: σ' again in ∇W",
        lambda: check_layer_backward(wrong_layer("slope again in grad W"), "sigmoid"),
        "multiplies by f'(z^l) again",
    ),
    (
        "layer: ∂C/∂a in ∇W",
        lambda: check_layer_backward(wrong_layer("grad_a in grad W"), "sigmoid"),
        "uses ∂C/∂a^l where δ^l belongs",
    ),
    (
        "layer: tanh' as 1 − a",
        lambda: check_layer_backward(wrong_tanh_layer, "tanh"),
        "1 − a (the square",
    ),
    (
        "layer: softmax sum over the batch",
        lambda: check_layer_backward(
            wrong_softmax_layer("batch axis"), "softmax", n_out=3, batch=4
        ),
        "sums over the batch (axis 1)",
    ),
    (
        "layer: one s sᵀ for the batch",
        lambda: check_layer_backward(wrong_softmax_layer("s s^T"), "softmax", n_out=3, batch=4),
        "builds s sᵀ from the whole batch",
    ),
    (
        "network: W^l in the recursion",
        lambda: check_network_gradients(
            wrong_backprop("wrong W in recursion"), (3, 3, 3, 3), "tanh"
        ),
        "wrong layer's weights",
    ),
    (
        "network: a^l for a^{l-1}",
        lambda: check_network_gradients(wrong_backprop("a^l for a^(l-1)"), (3, 4, 2), "sigmoid"),
        "where a^0 belongs",
    ),
    (
        "network: output slope in hidden layers",
        lambda: check_network_gradients(
            wrong_backprop("output slope in hidden"), (3, 4, 2), ["tanh", "sigmoid"]
        ),
        "output layer's derivative",
    ),
    (
        "network: extra softmax derivative",
        lambda: check_network_gradients(
            wrong_backprop("extra softmax derivative"),
            (3, 4, 3),
            ["tanh", "softmax"],
            "cross_entropy",
        ),
        "extra derivative after softmax",
    ),
    (
        "network: double average",
        lambda: check_network_gradients(
            wrong_backprop("double average"),
            (3, 4, 2),
            "tanh",
            "half_squared_error",
            reduction="mean",
        ),
        "averaged twice",
    ),
    (
        "network: no σ' at the output",
        lambda: check_network_gradients(wrong_backprop("no slope at output"), (3, 4, 2), "sigmoid"),
        "missing at the output",
    ),
    (
        "network: ∇W transposed",
        lambda: check_network_gradients(wrong_backprop("transposed grad W"), (3, 4, 2), "sigmoid"),
        "transposed",
    ),
    (
        "momentum: v starts at ∇C",
        lambda: check_optimizer_step(wrong_momentum("starts at gradient"), "momentum"),
        "velocity starts at the gradient",
    ),
    (
        "momentum: μ on the gradient term",
        lambda: check_optimizer_step(wrong_momentum("decay on gradient"), "momentum"),
        "decay μ is applied",
    ),
    (
        "rmsprop: decay swapped",
        lambda: check_optimizer_step(wrong_rmsprop("decay swapped"), "rmsprop", learning_rate=0.01),
        "decay is applied to the wrong",
    ),
    (
        "rmsprop: ε inside the root",
        lambda: check_optimizer_step(
            wrong_rmsprop("eps in root", eps=0.01), "rmsprop", learning_rate=0.01, eps=0.01
        ),
        "ε is inside the root",
    ),
    (
        "adam: t off by one",
        lambda: check_optimizer_step(wrong_adam("t off by one"), "adam"),
        "off by one",
    ),
    (
        "adam: moments stored corrected",
        lambda: check_optimizer_step(wrong_adam("stores corrected"), "adam"),
        "stored bias-corrected",
    ),
    (
        "adam: old moments",
        lambda: check_optimizer_step(wrong_adam("old moments"), "adam"),
        "from before this step's update",
    ),
    (
        "chain: d/dx σ(3x) without the 3",
        lambda: check_chain_rule(lambda x: dsig(3 * x), sig, lambda x: 3 * x),
        "inner derivative is missing",
    ),
    (
        "chain: tanh'(x) for d/dx tanh(x²)",
        lambda: check_chain_rule(lambda x: (1 - np.tanh(x) ** 2) * 2 * x, np.tanh, lambda x: x**2),
        "evaluated at x instead",
    ),
    (
        "chain: d/dx exp(sin x) as exp(sin x) sin x",
        lambda: check_chain_rule(lambda x: np.exp(np.sin(x)) * np.sin(x), np.exp, np.sin),
        "inner function where its derivative",
    ),
    (
        "chain: d/dx sin(x³) with 3x for 3x²",
        lambda: check_chain_rule(lambda x: np.cos(x**3) * 3 * x, np.sin, lambda x: x**3),
        "the inner derivative is wrong",
    ),
]


def named_correctly():
    """(name, named?, diagnosis) for every fresh wrong implementation."""
    out = []
    for name, run, words in FRESH:
        result = run()
        out.append((name, not result.passed and words in result.diagnosis, result.diagnosis))
    return out


def test_fresh_wrong_implementations_are_named():
    results = named_correctly()
    assert len(results) >= 20
    rate = sum(named for _, named, _ in results) / len(results)
    missed = "\n".join(f"{name}: {diagnosis}" for name, named, diagnosis in results if not named)
    assert rate >= 0.75, f"named {rate:.0%}; missed:\n{missed}"


@pytest.mark.parametrize("name, run, words", FRESH, ids=[f[0] for f in FRESH])
def test_every_fresh_mistake_fails_and_says_where(name, run, words):
    """Named or not, every wrong implementation fails, with a diagnosis beyond a verdict."""
    result = run()
    assert not result.passed
    assert len(result.diagnosis) > 40


def test_an_unnamed_chain_rule_mistake_shows_the_inner_derivative_it_implies():
    result = check_chain_rule(
        lambda x: np.cos(x**3) * 3 * x, np.sin, lambda x: x**3, points=[1.0, 2.0, 3.0]
    )
    assert "your inner derivative is yours / f'(g(x)) = [3, 6, 9, …]" in result.diagnosis
    assert "where g'(x) = [3, 12, 27, …]" in result.diagnosis


def test_an_unnamed_layer_mistake_says_where_and_how():
    def backward(W, b, a_prev, grad_a):
        a = sig(W @ a_prev + b)
        delta = grad_a * a * (1 - a)
        gW = delta @ a_prev.T
        gW[0] *= 1.5  # one row wrong
        return delta, gW, delta.sum(axis=1, keepdims=True), W.T @ delta

    result = check_layer_backward(backward, "sigmoid", n_in=3, n_out=2)
    words = result.diagnosis
    assert "relative error" in words and "tolerance 1e-04" in words
    assert (
        "row 0 differs, the rest are right" in words
        and "there it is 1.5 times the right value" in words
    )


def test_float32_messages_state_the_error_and_the_tolerance_never_one_times():
    def backward(W, b, a_prev, grad_a):
        W, b, a_prev, grad_a = (v.astype(np.float32) for v in (W, b, a_prev, grad_a))
        a = sig(W @ a_prev + b)
        delta = grad_a * a * (1 - a)
        return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta

    result = check_layer_backward(backward, "sigmoid", tolerance=1e-9)
    assert not result.passed
    assert "1 times" not in result.diagnosis
    assert (
        "is close to the right answer but not within the tolerance (relative error"
        in result.diagnosis
    )
    assert "tolerance 1e-09" in result.diagnosis


def test_a_readers_exception_is_reported_not_raised():
    def backward(W, b, a_prev, grad_a):
        return W @ grad_a

    result = check_layer_backward(backward, "sigmoid")
    assert not result.passed and "raised ValueError" in result.diagnosis


def test_rho_is_a_deprecated_name_for_beta():
    step = optimizer_float32("rmsprop", 0.01, beta=0.5)
    with pytest.warns(DeprecationWarning, match="beta"):
        assert check_optimizer_step(step, "rmsprop", learning_rate=0.01, rho=0.5).passed
    assert check_optimizer_step(step, "rmsprop", learning_rate=0.01, beta=0.5).passed


def test_help_shows_calls_not_answers():
    import pydoc

    import nnmath.checks as checks

    text = "".join(
        pydoc.render_doc(f, renderer=pydoc.plaintext)
        for f in (
            checks,
            checks.check_layer_backward,
            checks.check_network_gradients,
            checks.check_optimizer_step,
            checks.check_chain_rule,
            checks.check_derivative,
        )
    )
    for answer in (
        "def backward",
        "def backprop",
        "def momentum",
        "def sgd",
        "delta @ a_prev.T",
        "W.T @ delta",
        "0.9 * v - 0.1 * g",
        "net.loss.gradient(",
    ):
        assert answer not in text, answer


def test_right_answers_come_from_nnmath_not_a_copy():
    from nnmath.checks import gradients, optimizer

    assert not hasattr(gradients, "_backprop_with")
    assert "net.backward(" in open(gradients.__file__).read()
    assert "optimizers.Adam(" in open(optimizer.__file__).read()


@pytest.mark.parametrize("method", ["momentum", "rmsprop", "adam"])
def test_every_optimizer_mistake_in_the_catalogue_can_be_told_from_the_right_steps(method):
    """With ε = 0.01 every catalogued mistake changes the steps by far more than the tolerance,
    so none is dead weight; the right steps are nnmath.optimizers' own."""
    from nnmath.checks.optimizer import _OPTIMIZER_MISTAKES, _optimizer_steps, _right_steps
    from nnmath.gradcheck import relative_error

    hp = dict(learning_rate=0.1, momentum=0.9, beta=0.9, beta1=0.9, beta2=0.999, eps=0.01)
    rng = np.random.default_rng(3)
    w0, grads = rng.standard_normal((3, 2)), rng.standard_normal((5, 3, 2))
    right = _right_steps(method, w0, grads, hp)
    assert relative_error(_optimizer_steps(method, w0, grads, hp), right) < 1e-12
    for mistake in _OPTIMIZER_MISTAKES[method]:
        assert relative_error(_optimizer_steps(method, w0, grads, hp, mistake), right) > 1e-3, (
            mistake
        )


# ------------------------------------------------ what an instructor's review found unnamed


def test_a_layer_missing_from_the_gradients_is_named_not_blamed_on_the_format():
    def backprop(net, x, t):
        grads = net.backward(x, t)
        return {l: grads.W[l] for l in range(2, net.L + 1)}, {
            l: grads.b[l] for l in range(2, net.L + 1)
        }

    words = check_network_gradients(backprop, sizes=[3, 4, 2]).diagnosis
    assert "∇W has no layer 1" in words and "∇b has no layer 1" in words
    assert "return the gradients" not in words


def test_a_list_of_gradients_one_layer_short_is_named():
    def backprop(net, x, t):
        grads = net.backward(x, t)
        return [grads.W[2]], [grads.b[2]]

    words = check_network_gradients(backprop, sizes=[3, 4, 2]).diagnosis
    assert "∇W holds 1 array for 2 layers with weights" in words


def _adam(inside, efficient=False, eps=1e-8, b1=0.9, b2=0.999, alpha=0.01):
    def step(w, g, state):
        t, v, s = (0, np.zeros_like(w), np.zeros_like(w)) if state is None else state
        t += 1
        v, s = b1 * v + (1 - b1) * g, b2 * s + (1 - b2) * g**2
        if efficient:  # Kingma & Ba's: ε added before the bias correction
            rate = alpha * np.sqrt(1 - b2**t) / (1 - b1**t)
            return w - rate * v / (np.sqrt(s) + eps), (t, v, s)
        v_hat, s_hat = v / (1 - b1**t), s / (1 - b2**t)
        root = np.sqrt(s_hat + eps) if inside else np.sqrt(s_hat) + eps
        return w - alpha * v_hat / root, (t, v, s)

    return step


@pytest.mark.parametrize("tolerance", [None, 1e-5])
def test_eps_inside_the_root_is_named_even_at_the_assignments_loose_tolerance(tolerance):
    result = check_optimizer_step(
        _adam(inside=True), "adam", learning_rate=0.01, tolerance=tolerance
    )
    assert not result.passed and "ε is inside the root" in result.diagnosis
    assert check_optimizer_step(_adam(inside=False), "adam", learning_rate=0.01).passed
    assert check_optimizer_step(_adam(False, efficient=True), "adam", learning_rate=0.01).passed


def test_rmsprop_with_eps_inside_the_root_is_named():
    def step(w, g, s):
        s = 0.9 * (np.zeros_like(w) if s is None else s) + 0.1 * g**2
        return w - 0.01 * g / np.sqrt(s + 1e-8), s

    result = check_optimizer_step(step, "rmsprop", learning_rate=0.01)
    assert not result.passed and "ε is inside the root" in result.diagnosis


def test_a_float64_answer_off_by_an_approximation_is_told_so_not_to_compute_in_float64():
    def backward(W, b, a_prev, grad_a):
        z = W @ a_prev + b
        delta = grad_a * (sig(z + 1e-5) - sig(z)) / 1e-5  # σ' by a one-sided difference
        return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta

    words = check_layer_backward(backward, "sigmoid", tolerance=1e-7).diagnosis
    assert "an approximation, not rounding" in words and "compute in float64" not in words
