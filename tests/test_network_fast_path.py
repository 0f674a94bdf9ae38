"""The public training path is the fast one, and it stays checked (issue 17).

``net.gradient_step(net.backward(x, t, input_gradient=False), α)`` is the only backprop and the
only update. Its checks are paid for cheaply: one sum of squares per array decides whether
anything is non-finite, and only then are the arrays searched for what to name. These tests fail
if that cheap path is not the one taken (the entry-by-entry search runs on an ordinary step, or
a step allocates fresh parameter-sized arrays), if the in-place update differs from w − α ∇w by
a single bit, or if a refused call changes the network. Timing is measured, never asserted
(benchmarks/train_step.py).
"""

import ast
import inspect
import tracemalloc

import numpy as np
import pytest

import nnmath._network_checks
import nnmath.by_layer
import nnmath.network
from nnmath import Network, NonFiniteError


def snapshot(net):
    return [(p.dtype, p.shape, p.tobytes()) for p in net.parameters()]


def problem(dtype, sizes=(20, 16, 12, 5), batch=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((sizes[0], batch)).astype(dtype)
    t = np.eye(sizes[-1], dtype=dtype)[:, rng.integers(0, sizes[-1], batch)]
    net = Network(list(sizes), ["relu", "tanh", "softmax"], "cross_entropy", dtype=dtype, seed=1)
    return net, x, t


def forbid(monkeypatch, target, name):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} ran on an ordinary step: the cheap check did not decide")

    monkeypatch.setattr(target, name, refuse)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_ordinary_step_never_searches_entry_by_entry(monkeypatch, dtype):
    net, x, t = problem(dtype)
    forbid(monkeypatch, nnmath._network_checks, "require_finite")  # the named search
    forbid(monkeypatch, Network, "_refuse_non_finite_step")  # the update's exact path
    forbid(monkeypatch, nnmath._network_checks, "as_float_matrix")  # x, t: already right
    for _ in range(3):
        net.gradient_step(net.backward(x, t, input_gradient=False), 0.1)
    net.check_gradients(net.backward(x, t))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_step_is_w_minus_alpha_g_in_place_to_the_last_bit(dtype):
    net, x, t = problem(dtype)
    held = net.parameters()
    for rate in (0.5, np.float32(0.25), 3):
        gradients = net.backward(x, t, input_gradient=False)
        expected = [w - float(rate) * g for w, g in zip(net.parameters(), gradients.as_list())]
        net.gradient_step(gradients, rate)
        assert all(w.tobytes() == e.tobytes() for w, e in zip(net.parameters(), expected))
        assert all(p is q for p, q in zip(net.parameters(), held))  # the arrays themselves moved


def test_gradient_step_allocates_no_parameter_sized_array():
    net, x, t = problem(np.float64, sizes=(300, 200, 100, 10), batch=4)
    gradients = net.backward(x, t, input_gradient=False)
    net.gradient_step(gradients, 1e-3)  # the first step allocates the reused buffers
    tracemalloc.start()
    net.gradient_step(gradients, 1e-3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < net.W[2].nbytes / 4, peak  # W^1 has 480 kB, W^2 160 kB


def test_backward_allocates_about_its_results_only():
    """Gradients, δ, z and a, and one temporary per layer: no boolean masks of the gradients."""
    net, x, t = problem(np.float64, sizes=(300, 200, 100, 10), batch=4)
    net.backward(x, t, input_gradient=False)
    tracemalloc.start()
    gradients = net.backward(x, t, input_gradient=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results = sum(g.nbytes for g in gradients.as_list())
    assert peak < 1.3 * results, (peak, results)


def test_backward_equals_the_four_equations_written_out():
    net, x, t = problem(np.float64)
    W, b = net.W, net.b
    z1 = W[1] @ x + b[1]
    a1 = np.maximum(z1, 0)
    z2 = W[2] @ a1 + b[2]
    a2 = np.tanh(z2)
    z3 = W[3] @ a2 + b[3]
    a3 = np.exp(z3 - z3.max(0))
    a3 /= a3.sum(0)
    d3 = (a3 - t) / x.shape[1]
    d2 = (W[3].T @ d3) * (1 - a2**2)
    d1 = (W[2].T @ d2) * (z1 > 0)
    g = net.backward(x, t)
    for got, want in [
        (g.W[1], d1 @ x.T),
        (g.W[2], d2 @ a1.T),
        (g.W[3], d3 @ a2.T),
        (g.b[1], d1.sum(1, keepdims=True)),
        (g.x, W[1].T @ d1),
    ]:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_a_false_alarm_of_the_cheap_check_still_takes_the_step():
    """Squares that overflow are not inf entries: the search clears them and the step is taken."""
    big = np.finfo(np.float64).max / 3
    net = Network([1, 1], "identity", weights=[[[big]]], biases=[[0.0]])
    gradients = net.backward([[1e-300]], [[0.0]], input_gradient=False)
    expected = net.W[1] - 0.5 * gradients.W[1]
    net.gradient_step(gradients, 0.5)
    assert net.W[1].tobytes() == expected.tobytes()
    tiny = Network([2, 1], "identity", weights=[[[1e-30, 1e-30]]], dtype=np.float32)
    x = np.full((2, 1), 1e20, np.float32)  # x·x overflows in float32; x does not
    gradients = tiny.backward(x, [[0.0]])
    np.testing.assert_allclose(gradients.W[1], [[2e10, 2e10]], rtol=1e-5)


def test_refusals_are_named_and_change_nothing():
    net, x, t = problem(np.float64)
    gradients = net.backward(x, t)
    before = snapshot(net)
    gradients.b[2][1, 0] = np.nan
    with pytest.raises(
        NonFiniteError,
        match=r"gradient ∇b\^2 contains non-finite values \(1 of 12 entries, first at index \(1, 0\)",
    ):
        net.gradient_step(gradients, 0.1)
    assert snapshot(net) == before
    step = Network([2, 1], "identity", weights=[[[1.0, 2.0]]])
    before = snapshot(step)
    with pytest.raises(
        NonFiniteError,
        match=r"W\^1 \(parameter 0\) would become non-finite after the step with learning_rate=1e\+300",
    ):
        step.gradient_step(step.backward([[1e10], [1e10]], [[0.0]]), 1e300)
    assert snapshot(step) == before
    edited = Network([2, 2, 1], "tanh", seed=0)
    grads = edited.backward(np.ones((2, 1)), [[0.0]])
    edited.W[2][0, 0] = 0.0
    edited.parameters()[2][0, 0] = np.nan  # an in-place edit the setter never saw
    with pytest.raises(NonFiniteError, match=r"W\^2 \(parameter 2\) would become non-finite"):
        edited.gradient_step(grads, 0.1)
    forward = Network([1, 1, 1], "identity", weights=[[[1e200]], [[1e200]]])
    with pytest.raises(NonFiniteError, match=r"forward pass: z\^2 overflowed"):
        forward.backward([[1.0]], [[0.0]], input_gradient=False)


BAD_CALLS = {  # what is wrong: (x, t, learning rate) for a 3-4-2 network, and the error it names
    "x rows": (
        np.ones((2, 2)),
        np.zeros((2, 2)),
        0.1,
        ValueError,
        "input x has 2 rows, expected n_0 = 3",
    ),
    "x empty": (np.ones((3, 0)), np.zeros((2, 0)), 0.1, ValueError, "input x has no columns"),
    "x nan": (
        np.full((3, 2), np.nan),
        np.zeros((2, 2)),
        0.1,
        ValueError,
        "input x contains non-finite",
    ),
    "x complex": (np.ones((3, 2)) + 1j, np.zeros((2, 2)), 0.1, TypeError, "input x must be real"),
    "x 1-D": (np.ones(3), np.zeros((2, 1)), 0.1, ValueError, "input x must be a 2-D array"),
    "t shape": (np.ones((3, 2)), np.zeros((2, 3)), 0.1, ValueError, "target t has shape"),
    "t inf": (
        np.ones((3, 2)),
        np.full((2, 2), np.inf),
        0.1,
        ValueError,
        "target t contains non-finite",
    ),
    "t strings": (
        np.ones((3, 2)),
        np.zeros((2, 2)).astype(str),
        0.1,
        TypeError,
        "target t must be numeric",
    ),
    "rate 0": (
        np.ones((3, 2)),
        np.zeros((2, 2)),
        0,
        ValueError,
        "learning_rate must be a positive finite",
    ),
    "rate nan": (
        np.ones((3, 2)),
        np.zeros((2, 2)),
        np.nan,
        ValueError,
        "learning_rate must be a positive finite",
    ),
    "rate string": (
        np.ones((3, 2)),
        np.zeros((2, 2)),
        "0.1",
        TypeError,
        "learning_rate must be a real number",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bad_input_is_named_and_changes_nothing(case, dtype):
    x, t, rate, error, message = BAD_CALLS[case]
    net = Network([3, 4, 2], "tanh", dtype=dtype, seed=0)
    net.gradient_step(net.backward(np.ones((3, 2)), np.zeros((2, 2))), 0.1)  # buffers exist
    before = snapshot(net)
    with pytest.raises(error, match=message):
        net.gradient_step(net.backward(x, t, input_gradient=False), rate)
    assert snapshot(net) == before


def test_backward_can_skip_the_input_gradient():
    net = Network([3, 4, 2], "sigmoid", seed=0)
    x, t = np.ones((3, 2)), np.zeros((2, 2))
    full, short = net.backward(x, t), net.backward(x, t, input_gradient=False)
    assert short.x is None and full.x.shape == (3, 2)
    assert short.cost == full.cost
    for g, h in zip(full.as_list(), short.as_list()):
        np.testing.assert_array_equal(g, h)


def test_one_backprop_and_no_backwards_import():
    source = "\n".join(
        inspect.getsource(module)
        for module in (nnmath.network, nnmath._network_checks, nnmath.by_layer)
    )
    imported = {
        node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    }
    assert "optimizers" not in imported and ".optimizers" not in {f".{m}" for m in imported if m}
    for gone in ("train_step", "_Workspace", "value_into", "backward_into", "_checked_output"):
        assert gone not in source
    for module in (nnmath.activations, nnmath.losses):
        assert "_into" not in inspect.getsource(module) and "_checked_" not in inspect.getsource(
            module
        )


def test_backward_fits_the_page():
    """backprop_equations.md prints Network.backward and Network.forward as they are."""
    for method in (Network.backward, Network.forward):
        lines = inspect.getsource(method).splitlines()
        assert max(map(len, lines)) <= 72, max(lines, key=len)
