import numpy as np
import pytest

from nnmath import Network
from nnmath.activations import sigmoid
from nnmath.gradcheck import check_network


def tiny_network(**kwargs):
    return Network(
        [2, 2, 1],
        "sigmoid",
        "half_squared_error",
        weights=[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]],
        biases=[[0.1, 0.2], [0.3]],
        **kwargs,
    )


def test_forward_by_hand():
    net = tiny_network()
    x = np.array([[1.0], [2.0]])
    fwd = net.forward(x)
    z1 = np.array([[0.1 * 1 + 0.2 * 2 + 0.1], [0.3 * 1 + 0.4 * 2 + 0.2]])
    a1 = 1 / (1 + np.exp(-z1))
    z2 = 0.5 * a1[0] + 0.6 * a1[1] + 0.3
    np.testing.assert_allclose(fwd.z[1], z1)
    np.testing.assert_allclose(fwd.a[1], a1)
    np.testing.assert_allclose(fwd.z[2], [z2])
    np.testing.assert_allclose(fwd.output, 1 / (1 + np.exp(-np.array([z2]))))
    assert fwd.a[0] is not None and fwd.a[0].shape == (2, 1)


def test_backward_by_hand():
    net = tiny_network()
    x, t = np.array([[1.0], [2.0]]), np.array([[0.0]])
    fwd = net.forward(x)
    g = net.backward(x, t)
    a2 = fwd.output
    delta2 = (a2 - t) * a2 * (1 - a2)
    delta1 = net.W[2].T @ delta2 * fwd.a[1] * (1 - fwd.a[1])
    np.testing.assert_allclose(g.delta[2], delta2)
    np.testing.assert_allclose(g.delta[1], delta1)
    np.testing.assert_allclose(g.W[2], delta2 @ fwd.a[1].T)
    np.testing.assert_allclose(g.W[1], delta1 @ x.T)
    np.testing.assert_allclose(g.b[1], delta1)
    np.testing.assert_allclose(g.x, net.W[1].T @ delta1)
    assert g.cost == pytest.approx(0.5 * a2[0, 0] ** 2)


def test_batch_gradient_is_sum_of_example_gradients():
    net = Network([3, 4, 2], ["tanh", "identity"], "half_squared_error", seed=3)
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((3, 5)), rng.standard_normal((2, 5))
    batch = net.backward(x, t)
    singles = [net.backward(x[:, [j]], t[:, [j]]) for j in range(5)]
    for l in (1, 2):
        np.testing.assert_allclose(batch.W[l], sum(s.W[l] for s in singles), rtol=1e-12)
        np.testing.assert_allclose(batch.b[l], sum(s.b[l] for s in singles), rtol=1e-12)


def test_mean_reduction_divides_by_batch():
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    summed = Network([3, 2], "identity", "half_squared_error", seed=0).backward(x, t)
    meaned = Network([3, 2], "identity", "half_squared_error", seed=0, reduction="mean").backward(
        x, t
    )
    np.testing.assert_allclose(meaned.W[1], summed.W[1] / 4)
    assert meaned.cost == pytest.approx(summed.cost / 4)


def test_layer_indices_are_the_books():
    net = Network([2, 3, 1], seed=0)
    assert net.W[1].shape == (3, 2) and net.W[2].shape == (1, 3)
    assert net.b[1].shape == (3, 1)
    with pytest.raises(IndexError, match="layer 0 is out of range 1..2"):
        net.W[0]
    fwd = net.forward(np.zeros((2, 1)))
    assert [l for l, _ in fwd.a.items()] == [0, 1, 2]
    assert [l for l, _ in fwd.z.items()] == [1, 2]
    assert [z.shape for z in fwd.z] == [(3, 1), (1, 1)]  # iteration starts at the first layer
    assert len(list(net.W)) == 2 and list(net.f) == [net.f[1], net.f[2]]


def test_seeded_initialisation_is_reproducible_and_scaled():
    a, b = Network([50, 40, 1], seed=7), Network([50, 40, 1], seed=7)
    np.testing.assert_array_equal(a.W[1], b.W[1])
    assert a.W[1].std() == pytest.approx(np.sqrt(2 / 90), rel=0.1)
    he = Network([50, 40, 1], init="he", seed=7)
    assert he.W[1].std() == pytest.approx(np.sqrt(2 / 50), rel=0.1)
    assert np.all(a.b[1] == 0)


def test_float32_end_to_end():
    net = Network([3, 4, 2], ["relu", "softmax"], "cross_entropy", seed=0, dtype=np.float32)
    x = np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32)
    t = np.eye(2)[:, [0, 1, 1, 0, 1]]
    fwd = net.forward(x)
    g = net.backward(x, t, forward=fwd)
    arrays = [*fwd.z, *fwd.a, *g.delta, *g.W, *g.b, g.x, *net.parameters()]
    assert len(arrays) == 2 + 3 + 2 + 2 + 2 + 1 + 4
    assert {arr.dtype for arr in arrays} == {np.dtype(np.float32)}
    net.gradient_step(g, 0.1)
    assert {p.dtype for p in net.parameters()} == {np.dtype(np.float32)}


def test_float32_agrees_with_float64():
    kwargs = dict(sizes=[3, 4, 2], activations="tanh", loss="mse", seed=5)
    x = np.random.default_rng(2).standard_normal((3, 6))
    t = np.random.default_rng(3).standard_normal((2, 6))
    g64 = Network(**kwargs).backward(x, t)
    g32 = Network(**kwargs, dtype=np.float32).backward(x, t)
    np.testing.assert_allclose(g32.W[1], g64.W[1], rtol=1e-4, atol=1e-6)


def test_gradient_step_descends():
    net = tiny_network()
    x, t = np.array([[1.0], [2.0]]), np.array([[0.0]])
    before = net.cost(x, t)
    g = net.backward(x, t)
    old = [p.copy() for p in net.parameters()]
    net.gradient_step(g, 0.5)
    for p, p0, dp in zip(net.parameters(), old, g.as_list()):
        np.testing.assert_allclose(p, p0 - 0.5 * dp)
    assert net.cost(x, t) < before


def test_activation_objects_are_accepted():
    net = Network([2, 1], [sigmoid], seed=0)
    assert net.f[1] is sigmoid


def test_network_gradcheck_passes():
    net = Network([2, 3, 3, 2], ["sigmoid", "tanh", "identity"], "mse", seed=0)
    x = np.random.default_rng(0).standard_normal((2, 4))
    t = np.random.default_rng(1).standard_normal((2, 4))
    report = check_network(net, x, t)
    assert report.passed(1e-7), str(report)
    assert [(r.parameter, r.layer) for r in report.rows] == [
        ("W", 1),
        ("b", 1),
        ("W", 2),
        ("b", 2),
        ("W", 3),
        ("b", 3),
    ]


def test_gradcheck_catches_a_wrong_gradient(monkeypatch):
    net = Network([2, 3, 1], "tanh", "mse", seed=0)
    x, t = np.ones((2, 2)), np.zeros((1, 2))
    original = net.backward

    def broken(*args, **kwargs):
        g = original(*args, **kwargs)
        g.W[1][0, 1] += 1e-3
        return g

    monkeypatch.setattr(net, "backward", broken)
    report = check_network(net, x, t)
    assert not report.passed(1e-6)
    worst = max(report.rows, key=lambda r: r.relative_error)
    assert (worst.parameter, worst.layer, worst.worst_index) == ("W", 1, (0, 1))
