"""``Network.train_step``, the fast path, equals the plain one to the last bit (issue 12).

The plain step is ``net.gradient_step(net.backward(x, t, input_gradient=False), α)``: the code that
reads like the four equations. ``train_step`` computes the same step on buffers reused from step
to step, with in-place updates. Over random shapes, activations, losses, reductions, dtypes,
batch sizes and scales (some large enough to overflow), both are run side by side: the costs and
every parameter after every step must be bit-identical, and whenever the plain step raises, the
fast one raises the same error and leaves the network bit-identical. No timing is asserted here
(benchmarks/train_step.py measures it).
"""
import numpy as np
import pytest
from hypothesis import event, given, settings, strategies as st

from nnmath import Network, NonFiniteError
from nnmath.activations import ACTIVATIONS, Activation
from nnmath.losses import LOSSES

ACTIVATION_NAMES = sorted(set(ACTIVATIONS) - {"linear"})
LOSS_NAMES = sorted(set(LOSSES) - {"mse"})


def snapshot(net):
    return [(p.dtype, p.shape, p.tobytes()) for p in net.parameters()]


def targets(rng, loss, shape, dtype):
    t = rng.random(shape)
    if loss == "cross_entropy":
        t /= t.sum(axis=0, keepdims=True)
    elif loss not in ("binary_cross_entropy",):
        t = rng.standard_normal(shape) * 2
    return t.astype(dtype)


def outcome(call):
    """(result, None) or (None, (type, message)) of ``call()``."""
    try:
        return call(), None
    except (ValueError, TypeError) as error:
        return None, (type(error), str(error))


def twin_networks(data):
    L = data.draw(st.integers(1, 3), label="L")
    sizes = data.draw(st.lists(st.integers(1, 6), min_size=L + 1, max_size=L + 1), label="sizes")
    activations = data.draw(st.lists(st.sampled_from(ACTIVATION_NAMES), min_size=L, max_size=L), label="f")
    loss = data.draw(st.sampled_from(LOSS_NAMES), label="loss")
    reduction = data.draw(st.sampled_from([None, "sum", "mean"]), label="reduction")
    dtype = data.draw(st.sampled_from([np.float32, np.float64]), label="dtype")
    largest = float(np.finfo(dtype).max)  # large scales make some passes and steps overflow
    scale = data.draw(st.sampled_from([1.0, 1.0, 1.0, 30.0, largest ** 0.25, largest ** 0.6]), label="weight scale")
    seed = data.draw(st.integers(0, 2**16), label="seed")
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((sizes[l], sizes[l - 1])) * scale for l in range(1, L + 1)]
    biases = [rng.standard_normal(sizes[l]) for l in range(1, L + 1)]
    make = lambda: Network(sizes, activations, loss, weights=weights, biases=biases, dtype=dtype,
                           reduction=reduction)
    return make(), make(), rng


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_train_step_equals_the_plain_step_to_the_last_bit(data):
    plain, fast, rng = twin_networks(data)
    held = fast.parameters()  # the network's own arrays: train_step must update these in place
    steps = data.draw(st.integers(1, 4), label="steps")
    for _ in range(steps):
        batch = data.draw(st.integers(1, 5), label="batch")  # sizes change: workspaces are per batch size
        x = (rng.standard_normal((plain.sizes[0], batch)) * data.draw(st.sampled_from([1.0, 1e3]))).astype(plain.dtype)
        t = targets(rng, plain.loss.name, (plain.sizes[-1], batch), plain.dtype)
        rate = data.draw(st.sampled_from([1e-3, 0.1, 0.5, 3.0, 1e30]), label="learning rate")
        x_before, t_before = x.copy(), t.copy()

        def plain_step():
            gradients = plain.backward(x, t, input_gradient=False)
            plain.gradient_step(gradients, rate)
            return gradients.cost

        before = snapshot(fast)
        expected, expected_error = outcome(plain_step)
        got, error = outcome(lambda: fast.train_step(x, t, rate))
        assert error == expected_error
        event("refused" if error else "step taken")
        if error is not None:
            assert snapshot(fast) == before  # all or nothing
            break
        assert got == expected and type(got) is float
        assert snapshot(fast) == snapshot(plain)
        assert all(p is q for p, q in zip(fast.parameters(), held))
        np.testing.assert_array_equal(x, x_before)
        np.testing.assert_array_equal(t, t_before)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(ACTIVATION_NAMES), dtype=st.sampled_from([np.float32, np.float64]),
       shape=st.tuples(st.integers(1, 5), st.integers(1, 4)), scale=st.sampled_from([1.0, 10.0, 100.0]),
       seed=st.integers(0, 2**16))
def test_activations_written_into_arrays_equal_the_plain_ones(name, dtype, shape, scale, seed):
    rng = np.random.default_rng(seed)
    f = ACTIVATIONS[name]
    z = (rng.standard_normal(shape) * scale).astype(dtype)
    z.flat[0] = 0.0  # the kink of ReLU, the midpoint of σ
    grad_a = rng.standard_normal(shape).astype(dtype)
    a, delta = np.full(shape, np.nan, dtype), np.full(shape, np.nan, dtype)
    f.value_into(z, out=a)
    f.backward_into(z, a, grad_a, out=delta)
    assert a.tobytes() == f.value(z).tobytes()
    assert delta.tobytes() == f.backward(z, grad_a).tobytes()


class Cube(Activation):
    """An activation defined only by value and derivative: train_step falls back to copies."""

    name = "cube"

    def value(self, z):
        return z ** 3

    def derivative(self, z):
        return 3 * z ** 2


def test_a_new_activation_needs_only_value_and_derivative():
    make = lambda: Network([3, 4, 2], [Cube(), "identity"], seed=0)
    plain, fast = make(), make()
    x, t = np.ones((3, 2)), np.zeros((2, 2))
    for _ in range(3):
        cost = plain.backward(x, t).cost
        plain.gradient_step(plain.backward(x, t), 0.01)
        assert fast.train_step(x, t, 0.01) == cost
    assert snapshot(fast) == snapshot(plain)


def test_an_overflow_in_a_custom_activation_is_refused():
    net = Network([1, 1, 1], [Cube(), "identity"], weights=[[[1e120]], [[1.0]]])
    before = snapshot(net)
    with pytest.raises(NonFiniteError, match=r"forward pass: a\^1 overflowed"):
        net.train_step([[1.0]], [[0.0]], 0.1)
    assert snapshot(net) == before


BAD_CALLS = {  # what is wrong: (x, t, learning rate) for a 3-4-2 network, and the error it names
    "x rows": (np.ones((2, 2)), np.zeros((2, 2)), 0.1, ValueError, "input x has 2 rows, expected n_0 = 3"),
    "x empty": (np.ones((3, 0)), np.zeros((2, 0)), 0.1, ValueError, "input x has no columns"),
    "x nan": (np.full((3, 2), np.nan), np.zeros((2, 2)), 0.1, ValueError, "input x contains non-finite"),
    "x complex": (np.ones((3, 2)) + 1j, np.zeros((2, 2)), 0.1, TypeError, "input x must be real"),
    "x 1-D": (np.ones(3), np.zeros((2, 1)), 0.1, ValueError, "input x must be a 2-D array"),
    "t shape": (np.ones((3, 2)), np.zeros((2, 3)), 0.1, ValueError, "target t has shape"),
    "t inf": (np.ones((3, 2)), np.full((2, 2), np.inf), 0.1, ValueError, "target t contains non-finite"),
    "t strings": (np.ones((3, 2)), np.zeros((2, 2)).astype(str), 0.1, TypeError, "target t must be numeric"),
    "rate 0": (np.ones((3, 2)), np.zeros((2, 2)), 0, ValueError, "learning_rate must be a positive finite"),
    "rate nan": (np.ones((3, 2)), np.zeros((2, 2)), np.nan, ValueError, "learning_rate must be a positive finite"),
    "rate string": (np.ones((3, 2)), np.zeros((2, 2)), "0.1", TypeError, "learning_rate must be a real number"),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bad_input_is_named_and_changes_nothing(case, dtype):
    x, t, rate, error, message = BAD_CALLS[case]
    net = Network([3, 4, 2], "tanh", dtype=dtype, seed=0)
    net.train_step(np.ones((3, 2)), np.zeros((2, 2)), 0.1)  # workspaces exist: a bad call must not spoil them
    before = snapshot(net)
    with pytest.raises(error, match=message):
        net.train_step(x, t, rate)
    assert snapshot(net) == before


@pytest.mark.parametrize("t, message", [
    ([[0.5, 1.0], [0.6, 0.0]], "each target column must sum to 1"),
    ([[1.5, 1.0], [-0.5, 0.0]], "targets must lie in"),
])
def test_cross_entropy_targets_are_checked_once_and_named(t, message):
    net = Network([3, 2], "softmax", "cross_entropy", seed=0)
    before = snapshot(net)
    with pytest.raises(ValueError, match=message):
        net.train_step(np.ones((3, 2)), t, 0.1)
    assert snapshot(net) == before


def test_overflows_are_refused_by_name_and_change_nothing():
    forward = Network([1, 1, 1], "identity", weights=[[[1e200]], [[1e200]]])
    before = snapshot(forward)
    with pytest.raises(NonFiniteError, match=r"forward pass: z\^2 overflowed"):
        forward.train_step([[1.0]], [[0.0]], 0.1)
    assert snapshot(forward) == before

    step = Network([2, 1], "identity", weights=[[[1.0, 2.0]]])
    before = snapshot(step)
    with pytest.raises(NonFiniteError, match=r"W\^1 after a step with learning_rate=1e\+300 overflowed"):
        step.train_step([[1e10], [1e10]], [[0.0]], 1e300)
    assert snapshot(step) == before


def test_near_the_largest_float_the_step_is_still_taken_when_it_is_finite():
    """A parameter whose norm is near the limit sends the step to the plain passes, which take it."""
    big = np.finfo(np.float64).max / 3
    make = lambda: Network([1, 1], "identity", weights=[[[big]]], biases=[[0.0]])
    plain, fast = make(), make()
    plain.gradient_step(plain.backward([[1e-300]], [[0.0]], input_gradient=False), 0.5)
    fast.train_step([[1e-300]], [[0.0]], 0.5)
    assert snapshot(fast) == snapshot(plain)


def test_backward_can_skip_the_input_gradient():
    net = Network([3, 4, 2], "sigmoid", seed=0)
    x, t = np.ones((3, 2)), np.zeros((2, 2))
    full, short = net.backward(x, t), net.backward(x, t, input_gradient=False)
    assert short.x is None and full.x.shape == (3, 2)
    assert short.cost == full.cost
    for g, h in zip(full.as_list(), short.as_list()):
        np.testing.assert_array_equal(g, h)
