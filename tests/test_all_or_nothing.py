"""Every failed call leaves the network as it was; every bad input gets a named error (issue 10 §2).

The hypothesis test draws bad calls of every public function that changes a network
(``set_parameters``, ``gradient_step``, ``net.W[l] = …``, ``net.b[l] = …``, ``net.f[l] = …``,
and the finite-difference checks that perturb parameters and restore them) and asserts that
each raises a named error and leaves the network bit-identical. The explicit tests below it
reproduce each case of the issue and check what the message names.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnmath import Network, NonFiniteError
from nnmath.gradcheck import check_network, network_numerical_gradients
from nnmath.losses import get_loss

BAD_ENTRIES = {  # a replacement for one parameter or gradient array, and what is wrong with it
    "nan": lambda a: np.where(np.arange(a.size).reshape(a.shape) == 0, np.nan, a),
    "inf": lambda a: np.full(a.shape, np.inf),
    "complex": lambda a: a + 1j,
    "strings": lambda a: a.astype(str),
    "none": lambda a: None,
    "object": lambda a: object(),
    "one more row": lambda a: np.zeros((a.shape[0] + 1, a.shape[1])),
    "one more column": lambda a: np.zeros((a.shape[0], a.shape[1] + 1)),
    "transposed": lambda a: (
        np.zeros(a.shape[::-1]) if a.shape[0] != a.shape[1] else np.zeros((a.shape[0], 7))
    ),
    "scalar": lambda a: 0.5,  # refused even for a 1x1 parameter: shapes are never broadcast
    "3-D": lambda a: np.zeros((1, *a.shape)),
    "ragged": lambda a: [[0.0] * (a.shape[1] + 1), [0.0]],
}
BAD_LEARNING_RATES = [0, -0.1, np.nan, np.inf, "0.5", None, True, 1j, [0.1], np.array([0.1, 0.2])]


def snapshot(net):
    """Everything a call could change, as bytes: bit-identical means equal snapshots."""
    return (
        [(p.dtype.str, p.shape, p.tobytes()) for p in net.parameters()],
        [id(p) for p in net.parameters()],
        [id(f) for f in net.f],
        id(net.loss),
        net.sizes,
    )


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    activations = draw(
        st.lists(
            st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
            min_size=len(sizes) - 1,
            max_size=len(sizes) - 1,
        )
    )
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    return Network(sizes, activations, seed=draw(st.integers(0, 2**16)), dtype=dtype)


def corrupt(arrays, draw):
    """``arrays`` with one entry replaced by a bad one (or the list made one too long/short)."""
    arrays = [a.copy() for a in arrays]
    how = draw(st.sampled_from([*BAD_ENTRIES, "one array too many", "one array too few"]))
    if how == "one array too many":
        return arrays + [arrays[-1]]
    if how == "one array too few":
        return arrays[:-1]
    i = draw(st.integers(0, len(arrays) - 1))
    arrays[i] = BAD_ENTRIES[how](arrays[i])
    return arrays


@st.composite
def bad_calls(draw, net):
    """A (description, call) pair: a call on ``net`` that must fail."""
    L, rng = net.L, np.random.default_rng(draw(st.integers(0, 2**16)))
    good_W = [rng.standard_normal(w.shape) for w in (net.W[l] for l in range(1, L + 1))]
    good_b = [rng.standard_normal(b.shape) for b in (net.b[l] for l in range(1, L + 1))]
    kind = draw(
        st.sampled_from(
            [
                "set_parameters",
                "gradient_step",
                "gradient_step lr",
                "gradient_step overflow",
                "W[l] =",
                "b[l] =",
                "f[l] =",
                "layer index",
                "gradcheck",
            ]
        )
    )
    if kind == "set_parameters":
        which = draw(st.sampled_from(["weights", "biases", "both"]))
        weights = (
            corrupt(good_W, draw)
            if which in ("weights", "both")
            else draw(st.sampled_from([None, good_W]))
        )
        biases = (
            corrupt(good_b, draw)
            if which in ("biases", "both")
            else draw(st.sampled_from([None, good_b]))
        )
        return kind, lambda: net.set_parameters(weights=weights, biases=biases)
    x = rng.standard_normal((net.sizes[0], 3))
    t = rng.standard_normal((net.sizes[-1], 3))
    if kind == "gradient_step":
        source = draw(st.sampled_from(["corrupted", "other network"]))
        if source == "corrupted":
            grads = corrupt(net.backward(x, t).as_list(), draw)
        else:
            other_sizes = draw(
                st.lists(st.integers(1, 5), min_size=2, max_size=5).filter(
                    lambda s: s != net.sizes and s[0] == net.sizes[0]
                )
            )
            other = Network(other_sizes, seed=0)
            grads = other.backward(x, rng.standard_normal((other_sizes[-1], 3)))
            if draw(st.booleans()):
                grads = grads.as_list()
        return kind, lambda: net.gradient_step(grads, learning_rate=0.1)
    if kind == "gradient_step lr":
        lr = draw(st.sampled_from(BAD_LEARNING_RATES))
        return kind, lambda: net.gradient_step(net.backward(x, t), learning_rate=lr)
    if kind == "gradient_step overflow":  # finite gradients and rate, a non-finite result
        huge = [np.full(p.shape, np.finfo(net.dtype).max) for p in net.parameters()]
        return kind, lambda: net.gradient_step(huge, learning_rate=2.0)
    l = draw(st.integers(1, L))
    if kind in ("W[l] =", "b[l] ="):
        target = net.W if kind == "W[l] =" else net.b
        value = BAD_ENTRIES[draw(st.sampled_from(list(BAD_ENTRIES)))](target[l])
        return kind, lambda: target.__setitem__(l, value)
    if kind == "f[l] =":
        value = draw(st.sampled_from(["sigmoidal", None, 3, np.tanh]))
        return kind, lambda: net.f.__setitem__(l, value)
    if kind == "layer index":
        layer = draw(st.sampled_from([0, L + 1, -1, 1.0, "1", slice(0, 1)]))
        container = draw(st.sampled_from([net.W, net.b, net.f]))
        return kind, lambda: container.__setitem__(layer, container[1])
    bad_x = draw(
        st.sampled_from([x[:-1], x + 1j, x.astype(str), np.full_like(x, np.nan), x[:, :0]])
    )
    if draw(st.booleans()):
        return kind, lambda: network_numerical_gradients(net, bad_x, t)
    return kind, lambda: check_network(net, x, t[:, :2])


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_failed_call_leaves_the_network_bit_identical(data):
    net = data.draw(networks())
    kind, call = data.draw(bad_calls(net))
    before = snapshot(net)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a named error, not a numpy warning on the way
        with pytest.raises((ValueError, TypeError, IndexError)) as raised:
            call()
    assert snapshot(net) == before, f"{kind} changed the network before raising {raised.value!r}"
    assert "numpy" not in type(raised.value).__module__
    assert not str(raised.value).startswith(("operands could not", "matmul:", "ufunc")), (
        raised.value
    )


@settings(max_examples=50, deadline=None)
@given(net=networks(), seed=st.integers(0, 2**16))
def test_good_calls_still_change_the_network(net, seed):
    """The checks refuse only bad calls: the same functions with good arguments do their job."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(w.shape) for w in net.W]
    biases = [rng.standard_normal(b.shape[0]) for b in net.b]  # flat biases are accepted
    net.set_parameters(weights=weights, biases=biases)
    for l in range(1, net.L + 1):
        np.testing.assert_array_equal(net.W[l], weights[l - 1].astype(net.dtype))
        np.testing.assert_array_equal(net.b[l], biases[l - 1].astype(net.dtype).reshape(-1, 1))
    x, t = rng.standard_normal((net.sizes[0], 2)), rng.standard_normal((net.sizes[-1], 2))
    old = [p.copy() for p in net.parameters()]
    grads = net.backward(x, t)
    net.gradient_step(grads, learning_rate=np.float32(0.25))
    for p, p0, g in zip(net.parameters(), old, grads.as_list()):
        np.testing.assert_allclose(p, p0 - 0.25 * g, rtol=1e-5, atol=1e-6)
    net.W[1] = np.ones(net.W[1].shape)
    assert net.W[1].dtype == net.dtype and np.all(net.W[1] == 1)


# -- the cases of issue 10 §2, one by one ---------------------------------------------------------


def unchanged(net):
    """Context: assert that ``net`` is bit-identical after the block."""

    class Guard:
        def __enter__(self):
            self.before = snapshot(net)

        def __exit__(self, *exc):
            assert snapshot(net) == self.before
            return False

    return Guard()


def test_set_parameters_assigns_nothing_when_a_later_layer_is_wrong():
    net = Network([2, 3, 2], seed=0)
    with (
        unchanged(net),
        pytest.raises(ValueError, match=r"W\^2 has shape \(5, 5\), expected \(2, 3\)"),
    ):
        net.set_parameters(weights=[np.full((3, 2), 7.0), np.zeros((5, 5))])
    assert not np.any(net.W[1] == 7)


def test_set_parameters_assigns_nothing_when_the_biases_are_wrong():
    net = Network([2, 3, 2], seed=0)
    with (
        unchanged(net),
        pytest.raises(ValueError, match=r"b\^2 has shape \(3, 1\), expected \(2, 1\)"),
    ):
        net.set_parameters(
            weights=[np.ones((3, 2)), np.ones((2, 3))], biases=[np.zeros(3), np.zeros((3, 1))]
        )


def test_gradients_of_a_network_with_fewer_outputs_are_refused():
    x = np.ones((2, 4))
    narrow = Network([2, 3, 1], seed=0).backward(x, np.zeros((1, 4)))
    net = Network([2, 3, 2], seed=0)
    with (
        unchanged(net),
        pytest.raises(
            ValueError,
            match=r"gradient ∇W\^2 has shape \(1, 3\), expected \(2, 3\) \(the shape of W\^2",
        ),
    ):
        net.gradient_step(narrow, 0.1)


def test_gradients_of_a_one_layer_network_are_refused():
    one_layer = Network([2, 2], seed=0).backward(np.ones((2, 4)), np.zeros((2, 4)))
    net = Network([2, 3, 2], seed=0)
    with (
        unchanged(net),
        pytest.raises(ValueError, match=r"gradients have 1 layers, this network has 2"),
    ):
        net.gradient_step(one_layer, 0.1)


def test_gradients_of_a_wider_network_change_nothing():
    wide = Network([2, 3, 4], seed=0).backward(np.ones((2, 4)), np.zeros((4, 4)))
    net = Network([2, 3, 2], seed=0)
    with (
        unchanged(net),
        pytest.raises(ValueError, match=r"gradient ∇W\^2 has shape \(4, 3\), expected \(2, 3\)"),
    ):
        net.gradient_step(wide, 0.1)


def test_nan_gradients_are_refused():
    net = Network([2, 3, 2], seed=0)
    grads = net.backward(np.ones((2, 4)), np.zeros((2, 4)))
    grads.b[2][1, 0] = np.nan
    with (
        unchanged(net),
        pytest.raises(
            NonFiniteError,
            match=r"gradient ∇b\^2 contains non-finite values \(1 of 2 entries, first at index "
            r"\(1, 0\): nan\); no parameter was changed",
        ),
    ):
        net.gradient_step(grads, 0.1)


def test_a_list_of_gradients_is_checked_like_gradients():
    net = Network([2, 3, 2], seed=0)
    grads = net.backward(np.ones((2, 1)), np.zeros((2, 1))).as_list()
    with unchanged(net), pytest.raises(ValueError, match=r"gradients has 3 arrays, expected 4"):
        net.gradient_step(grads[:3], 0.1)
    assert [g.shape for g in net.check_gradients(grads)] == [p.shape for p in net.parameters()]


@pytest.mark.parametrize("loss", ["mean_squared_error", "cross_entropy", "half_squared_error"])
def test_an_empty_batch_is_a_named_error(loss):
    net = Network([2, 3, 2], ["sigmoid", "softmax"], loss, seed=0)
    with pytest.raises(ValueError, match=r"input x has no columns \(shape \(2, 0\)\)"):
        net.backward(np.zeros((2, 0)), np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"input x has no columns"):
        net.cost(np.zeros((2, 0)), np.zeros((2, 0)))


def test_a_loss_refuses_the_mean_of_an_empty_batch():
    with pytest.raises(ValueError, match=r"mean_squared_error: the mean over an empty batch"):
        get_loss("mse").gradient(np.zeros((2, 0)), np.zeros((2, 0)))
    assert (
        get_loss("half_squared_error").value(np.zeros((2, 0)), np.zeros((2, 0))) == 0
    )  # a sum is 0


@pytest.mark.parametrize(
    "rate, error, message",
    [
        ("0.5", TypeError, r"learning_rate must be a real number, got str '0.5'"),
        (None, TypeError, r"learning_rate must be a real number, got NoneType None"),
        (True, TypeError, r"learning_rate must be a real number, got bool True"),
        (0.5j, TypeError, r"learning_rate must be a real number, got complex"),
        (0, ValueError, r"learning_rate must be a positive finite number, got 0"),
        (-0.1, ValueError, r"learning_rate must be a positive finite number, got -0.1"),
        (np.inf, ValueError, r"learning_rate must be a positive finite number, got inf"),
    ],
)
def test_learning_rate_gets_a_named_error(rate, error, message):
    net = Network([2, 3, 2], seed=0)
    grads = net.backward(np.ones((2, 1)), np.zeros((2, 1)))
    with unchanged(net), pytest.raises(error, match=message):
        net.gradient_step(grads, rate)


def test_complex_input_is_refused_not_truncated():
    net = Network([2, 3, 1], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning on the way
        with pytest.raises(TypeError, match=r"input x must be real, got complex values"):
            net.forward(np.ones((2, 1)) + 1j)
        with pytest.raises(TypeError, match=r"target t must be real, got complex values"):
            net.backward(np.ones((2, 1)), np.zeros((1, 1)) + 0j)


def test_numeric_strings_are_not_numbers():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(TypeError, match=r"input x must be numeric, got ndarray of dtype <U1"):
        net.forward(np.array([["1"], ["2"]]))
    with pytest.raises(TypeError, match=r"W\^1 must be numeric, got list"):
        net.set_parameters(weights=[[["1", "2"]] * 3, np.zeros((1, 3))])


def test_the_type_is_checked_before_the_float_conversion():
    # Converting first would turn "1e400" into inf (then a non-finite error) or None into nan.
    with pytest.raises(TypeError, match=r"input x must be numeric, got list of dtype object"):
        Network([2, 1], seed=0).forward([[None], [1.0]])
    with pytest.raises(TypeError, match=r"input x must be numeric"):
        Network([2, 1], seed=0).forward([["1e400"], ["1"]])


def test_backward_refuses_a_forward_pass_of_another_input():
    net = Network([2, 3, 1], seed=0)
    x, t = np.ones((2, 3)), np.zeros((1, 3))
    forward = net.forward(x)
    with pytest.raises(ValueError, match=r"forward is the forward pass of another input"):
        net.backward(np.zeros((2, 3)), t, forward=forward)
    g = net.backward(x, t, forward=forward)  # the same input is accepted
    np.testing.assert_array_equal(g.W[1], net.backward(x, t).W[1])


def test_backward_refuses_a_stale_or_foreign_forward_pass():
    net = Network([2, 3, 1], seed=0)
    x, t = np.ones((2, 3)), np.zeros((1, 3))
    forward = net.forward(x)
    net.W[2][0, 0] += 1.0  # edited in place, after the forward pass
    with pytest.raises(ValueError, match=r"before this network's parameters changed"):
        net.backward(x, t, forward=forward)
    with pytest.raises(ValueError, match=r"computed by another network"):
        Network([2, 3, 1], seed=1).backward(x, t, forward=net.forward(x))
    with pytest.raises(TypeError, match=r"forward must be a ForwardPass"):
        net.backward(x, t, forward=x)


def test_assigning_a_weight_of_the_wrong_shape_names_the_layer():
    net = Network([2, 3, 2], seed=0)
    with (
        unchanged(net),
        pytest.raises(
            ValueError,
            match=r"W\^2 has shape \(5, 5\), expected \(2, 3\) \(layer 2: 3 inputs → 2 units\)",
        ),
    ):
        net.W[2] = np.zeros((5, 5))
    with (
        unchanged(net),
        pytest.raises(ValueError, match=r"b\^1 has shape \(2, 1\), expected \(3, 1\)"),
    ):
        net.b[1] = np.zeros((2, 1))
    with unchanged(net), pytest.raises(ValueError, match=r"unknown activation 'sigmoidal'"):
        net.f[1] = "sigmoidal"
    with pytest.raises(AttributeError):
        net.W = [np.zeros((3, 2)), np.zeros((2, 3))]


def test_assigned_parameters_are_copied_in_the_network_dtype():
    net = Network([2, 3, 2], seed=0, dtype=np.float32)
    value = np.ones((2, 3))
    net.W[2] = value
    value[0, 0] = 99.0  # the caller's array stays the caller's
    assert net.W[2].dtype == np.float32 and net.W[2][0, 0] == 1
    net.b[2] = [1, 2]  # flat and integer: reshaped and converted
    assert net.b[2].shape == (2, 1) and net.b[2].dtype == np.float32


def test_overflow_in_the_forward_pass_names_the_layer():
    net = Network([2, 2, 1], "identity", weights=[np.full((2, 2), 1e200), np.full((1, 2), 1e200)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the named error replaces numpy's RuntimeWarning
        with pytest.raises(
            NonFiniteError, match=r"forward pass: z\^2 overflowed; it contains non-finite"
        ):
            net.forward(np.ones((2, 1)))
        with pytest.raises(ValueError, match=r"z\^2 overflowed"):  # it is also a ValueError
            net.backward(np.ones((2, 1)), np.zeros((1, 1)))


def test_overflow_in_the_cost_and_the_backward_pass():
    net = Network([1, 1], "identity", weights=[[[1e200]]])
    with pytest.raises(NonFiniteError, match=r"cost: C overflowed to inf"):
        net.cost([[1.0]], [[0.0]])
    deep = Network([1, 1, 1], "identity", weights=[[[1e-300]], [[1e300]]])  # a^1 tiny, δ^1 huge
    with pytest.raises(FloatingPointError, match=r"backward pass: (δ|∇W|∇b)\^1 overflowed"):
        deep.backward([[1e300]], [[1e150]])


def test_an_overflowing_step_changes_nothing():
    net = Network([2, 1], "identity", seed=0)
    grads = [np.full((1, 2), 1e308), np.zeros((1, 1))]
    with (
        unchanged(net),
        pytest.raises(
            NonFiniteError,
            match=r"W\^1 \(parameter 0\) would become non-finite after the step with "
            r"learning_rate=10 \(2 of 2 entries",
        ),
    ):
        net.gradient_step(grads, 10)


def test_structure_is_read_only():
    net = Network([2, 3, 1], seed=0)
    for name in ("sizes", "L", "dtype", "loss", "W", "b", "f"):
        with pytest.raises(AttributeError):
            setattr(net, name, getattr(net, name))
    net.sizes.append(5)  # a copy: the network's sizes do not change
    assert net.sizes == [2, 3, 1]


def test_a_forward_pass_handed_back_and_edited_is_measured_afresh():
    """backward bounds ∇W^l by ‖δ^l‖ ‖a^{l-1}‖ instead of summing it; the norms of a pass the
    network made itself are reused, those of a pass a caller hands back are measured again, so
    an a^1 edited in place that makes ∇W^2 overflow is still named."""
    net = Network([1, 1, 1], "identity", weights=[[[1.0]], [[1.0]]])
    fwd = net.forward([[1.0]])
    fwd.a[1][...] = 1e300  # an edit the parameters' checksum cannot see
    with pytest.raises(NonFiniteError, match=r"backward pass: ∇W\^2 overflowed"):
        net.backward([[1.0]], [[-1e10]], forward=fwd)
    # the network's own pass: the same bound, from the norms its forward test computed
    big = Network([1, 1, 1], "identity", weights=[[[1e300]], [[1.0]]])
    with pytest.raises(NonFiniteError, match=r"backward pass: ∇W\^2 overflowed"):
        big.backward([[1.0]], [[-1e10]])
