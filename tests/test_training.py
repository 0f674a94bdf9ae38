"""``nnmath.fit`` and ``nnmath.train_step``: the chapters' training loops, written once."""

import numpy as np
import pytest

from nnmath import History, Network, NonFiniteError, Progress, fit, train_step
from nnmath.datasets import two_moons, xor
from nnmath.optimizers import SGD, Adam, Momentum, minibatches


def moons():
    x, labels = two_moons(60, noise=0.15, seed=0)
    return x, labels[None, :].astype(float)


def new_network():
    return Network([2, 6, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=1)


def snapshot(net):
    return [p.tobytes() for p in net.parameters()]


def test_full_batch_fit_is_gradient_step_repeated_to_the_last_bit():
    x, labels = xor(n_per_corner=5, noise=0.1, seed=0)
    t = labels.reshape(1, -1).astype(float)
    by_hand, fitted = (Network([2, 4, 1], ["tanh", "sigmoid"], seed=0) for _ in range(2))
    costs = []
    for _ in range(30):
        gradients = by_hand.backward(x, t)
        costs.append(gradients.cost)
        by_hand.gradient_step(gradients, 0.3)
    history = fit(fitted, x, t, optimizer=SGD(0.3), epochs=30)
    assert snapshot(fitted) == snapshot(by_hand)
    assert history.costs.tolist() == costs and history.steps == 30 and history.epochs == 30


def test_minibatch_fit_is_the_loop_over_minibatches():
    x, t = moons()
    by_hand, fitted = new_network(), new_network()
    optimizer, state = Adam(0.01), None
    for x_B, t_B in minibatches(x, t, 16, seed=3, epochs=4):
        state = optimizer.step(by_hand.parameters(), by_hand.backward(x_B, t_B).as_list(), state)
    history = fit(fitted, x, t, optimizer=optimizer, epochs=4, batch_size=16, seed=3)
    assert snapshot(fitted) == snapshot(by_hand)
    assert (
        history.steps == 4 * 4 and history.state.t == state.t
    )  # 60 examples: batches 16, 16, 16, 12


def test_train_step_returns_the_cost_before_the_step_and_the_state():
    x, t = moons()
    net = new_network()
    before = net.cost(x, t)
    cost, state = train_step(net, x, t, SGD(0.5))
    assert cost == before and state.t == 1 and net.cost(x, t) < before


def test_the_callback_sees_every_step_and_the_end_of_every_epoch():
    x, t = moons()
    seen = []
    fit(
        new_network(),
        x,
        t,
        optimizer=SGD(0.5),
        epochs=3,
        batch_size=20,
        seed=0,
        callback=seen.append,
    )
    assert all(isinstance(p, Progress) for p in seen)
    assert [p.step for p in seen] == list(range(10))  # before training, then 3 epochs of 3 steps
    assert [p.step for p in seen if p.end_of_epoch] == [0, 3, 6, 9]
    assert [p.epoch for p in seen] == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]
    assert seen[0].cost is None and all(np.isfinite(p.cost) for p in seen[1:])


def test_recording_per_epoch_in_a_callback():
    x, t = moons()
    net, costs = new_network(), []
    history = fit(
        net,
        x,
        t,
        optimizer=SGD(1.0),
        epochs=5,
        callback=lambda p: p.end_of_epoch and costs.append(p.net.cost(x, t)),
    )
    assert len(costs) == 6 and costs[-1] < costs[0] and costs[-1] == net.cost(x, t)
    assert history.costs[0] == costs[0]  # the full batch: its cost is the data set's


def test_a_diverging_run_stops_when_asked_and_raises_otherwise():
    x = np.array([[1e150, -1e150]])
    t = np.array([[0.0, 1.0]])
    net = Network([1, 1], "identity", weights=[[[1e150]]])
    before = snapshot(net)
    with pytest.raises(NonFiniteError):
        fit(net, x, t, optimizer=SGD(1e10), epochs=3)
    assert snapshot(net) == before
    history = fit(net, x, t, optimizer=SGD(1e10), epochs=3, stop_on_overflow=True)
    assert isinstance(history, History) and history.diverged_in_epoch == 1 and history.steps == 0
    assert snapshot(net) == before


@pytest.mark.parametrize(
    "change, error, words",
    [
        (dict(net="net"), TypeError, "net must be a nnmath Network"),
        (dict(optimizer=0.1), TypeError, "optimizer must be a method"),
        (dict(epochs=2.0), TypeError, "epochs must be an integer"),
        (dict(epochs=0), ValueError, "epochs must be a positive integer"),
        (dict(batch_size=True), TypeError, "batch_size must be an integer"),
        (dict(batch_size=0), ValueError, "batch_size must be a positive integer"),
        (dict(batch_size=61), ValueError, "batch_size 61 is larger than the 60 examples"),
        (dict(callback="print"), TypeError, "callback must be a function"),
        (dict(t=np.zeros((1, 59))), ValueError, "x has 60 examples"),
    ],
)
def test_bad_arguments_are_named_and_train_nothing(change, error, words):
    x, t = moons()
    net = new_network()
    arguments = dict(net=net, x=x, t=t, optimizer=SGD(0.1), epochs=2, batch_size=10)
    arguments.update(change)
    before = snapshot(net)
    with pytest.raises(error, match=words):
        fit(arguments.pop("net"), arguments.pop("x"), arguments.pop("t"), **arguments)
    assert snapshot(net) == before


def test_sgd_with_a_constant_rate_steps_through_gradient_step_to_the_same_bits(monkeypatch):
    """train_step takes SGD(α) through Network.gradient_step (fused, in place), not SGD.update:
    the same parameters to the last bit and the same state as the optimizer's generic step."""
    x, t = moons()
    fused, generic = new_network(), new_network()
    state = generic_state = None
    for _ in range(5):
        generic_state = SGD(0.5).step(
            generic.parameters(), generic.backward(x, t).as_list(), generic_state
        )
    held = fused.parameters()

    def refuse(*args, **kwargs):
        raise AssertionError("SGD.update ran: train_step did not take the fused step")

    monkeypatch.setattr(SGD, "update", refuse)
    for _ in range(5):
        _, state = train_step(fused, x, t, SGD(0.5), state)
    assert snapshot(fused) == snapshot(generic)
    assert all(p is q for p, q in zip(fused.parameters(), held))  # written in place
    assert (state.t, state.like, state.method) == (5, generic_state.like, "SGD")


@pytest.mark.parametrize(
    "optimizer",
    [SGD(1e10), SGD(lambda t: 1e10), Momentum(1e10)],
    ids=["SGD, fused", "SGD with a schedule", "Momentum"],
)
def test_a_refused_step_is_named_alike_on_every_path(optimizer):
    """The fused step (SGD with a constant rate) and the generic one refuse in the same terms:
    the step count, the parameter by the network's name, what would be non-finite, that nothing
    changed."""
    net = Network([1, 1], "identity", weights=[[[1.0]]])
    x, t = np.array([[1e150]]), np.array([[0.0]])  # ∇W^1 = 1e300: α ∇W^1 overflows
    before = snapshot(net)
    with pytest.raises(NonFiniteError) as refused:
        train_step(net, x, t, optimizer)
    message = str(refused.value)
    assert message.startswith("at step t = 1, ") and "W^1 (parameter 0)" in message, message
    assert refused.value.parameter == 0 and snapshot(net) == before
    if isinstance(optimizer, SGD):  # the step itself: the same ending on both paths
        assert message.endswith("no parameter was changed (try a smaller learning rate)")


def test_the_fused_step_refuses_another_methods_state_as_the_generic_one_does():
    x, t = moons()
    net = new_network()
    adam_state = Adam(0.1).init(net.parameters())
    for rate in (0.1, lambda t: 0.1):
        with pytest.raises(ValueError, match=r"state is Adam's state, not SGD's"):
            train_step(net, x, t, SGD(rate), adam_state)
    other = Network([2, 3, 1], seed=0)
    with pytest.raises(
        ValueError, match=r"params\[0\] has shape \(3, 2\), but parameter 0 has shape \(6, 2\)"
    ):
        train_step(other, x, t, SGD(0.1), SGD(0.1).init(net.parameters()))
