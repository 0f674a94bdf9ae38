"""``nnmath.checks.refusing``: nnmath's own answer raises, by name, while a student's code runs."""

import numpy as np
import pytest

import nnmath
from nnmath.checks import REFUSABLE, Refused, refusing
from nnmath.optimizers import Adam, apply


def test_a_refused_method_names_itself_the_question_and_why_and_comes_back():
    net = nnmath.Network([2, 3, 1], seed=0)
    x, t = np.ones((2, 1)), np.ones((1, 1))
    before = net.backward(x, t).W[1]
    with refusing("the backward pass", question="Question 2"):
        with pytest.raises(Refused) as raised:
            net.backward(x, t)
    message = str(raised.value)
    assert "Question 2" in message and "Network.backward is refused in this question" in message
    assert "it computes the answer" in message
    assert np.array_equal(net.backward(x, t).W[1], before)  # restored on leaving


def test_every_optimizer_is_refused_even_through_a_bound_method_or_an_imported_name():
    w, g = np.ones(2), np.ones(2)
    kept_update = Adam(0.1).update  # a bound method held before the block

    def cheats(w, g):
        yield lambda: kept_update([g], Adam(0.1).init([w]))
        yield lambda: apply([w], [g])  # imported into this module's globals
        yield lambda: nnmath.optimizers.Adam(0.1).step([w.copy()], [g])
        for method in nnmath.optimizers.METHODS.values():
            if method.__name__ != "Newton":
                yield lambda m=method: m(0.1).update([g], m(0.1).init([w]))
        yield lambda: nnmath.train_step(nnmath.Network([2, 1]), w[:, None], g[:1, None], Adam(0.1))

    for cheat in cheats(w, g):
        with refusing("the optimizer steps", "the training step", question="Q4", within=cheats):
            with pytest.raises(Refused, match="Q4 asks you to write"):
                cheat()
    assert kept_update([g], Adam(0.1).init([w]))[0][0].shape == (2,)
    apply([w], [g])
    assert np.array_equal(w, [2.0, 2.0])


def test_re_exports_and_closures_are_refused_too():
    gradient = nnmath.numerical_gradient

    def cheat(f, w):
        return gradient(f, w)

    with refusing("finite differences", question="Question 3", within=cheat):
        with pytest.raises(Refused, match="nnmath's own numerical_gradient is refused"):
            cheat(np.sum, np.ones(2))
        with pytest.raises(Refused):
            nnmath.gradcheck.numerical_gradient(np.sum, np.ones(2))
    assert np.allclose(cheat(np.sum, np.ones(2)), 1.0)


def test_an_unknown_group_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown groups"):
        with refusing("the answer", question="Q1"):
            pass
    assert "the backward pass" in REFUSABLE


def test_a_bound_method_two_closures_deep_is_refused():
    def make_step():
        update = Adam(0.1).update  # held before any test runs

        def helper(g, state):
            return update([g], state)

        def step(w, g):
            return helper(g, Adam(0.1).init([w]))

        return step

    step = make_step()
    with refusing("the optimizer steps", question="Question 4", within=step):
        with pytest.raises(Refused, match="Adam.update is refused"):
            step(np.ones(2), np.ones(2))
    assert step(np.ones(2), np.ones(2))[0][0].shape == (2,)


def test_the_checks_own_right_answers_are_refused_too():
    from nnmath.checks import gradients, optimizer

    net = nnmath.Network([2, 3, 1], seed=0)
    hp = dict(learning_rate=0.1, momentum=0.9, beta=0.9, beta1=0.9, beta2=0.999, eps=1e-8)
    with refusing("the backward pass", "the optimizer steps", question="Q"):
        with pytest.raises(Refused, match="_backprop_mistake is refused"):
            gradients._backprop_mistake(net, np.ones((2, 1)), np.ones((1, 1)))
        for name in ("_right_steps", "_optimizer_steps"):
            with pytest.raises(Refused, match=f"{name} is refused"):
                getattr(optimizer, name)("adam", np.zeros(2), np.ones((3, 2)), hp)


RAW_ADAM_UPDATE = Adam.update.__wrapped__  # the undecorated update, held before any block


def test_the_undecorated_update_is_refused_too():
    """``checked_update`` wraps each method's update (functools.wraps): the raw function behind it,
    held in a global or a closure or unwrapped inside the block, is refused like the method."""
    import inspect

    from nnmath.optimizers import Momentum

    w, g = np.ones(2), np.ones(2)
    raw_momentum = inspect.unwrap(Momentum.update)

    def cheats():
        yield lambda: RAW_ADAM_UPDATE(Adam(0.1), [g], Adam(0.1).init([w]))
        yield lambda: raw_momentum(Momentum(0.1), [g], Momentum(0.1).init([w]))
        yield lambda: inspect.unwrap(Adam.update)(Adam(0.1), [g], Adam(0.1).init([w]))
        yield lambda: Adam.update.__wrapped__(Adam(0.1), [g], Adam(0.1).init([w]))

    for cheat in cheats():
        with refusing("the optimizer steps", question="Q4", within=cheats):
            with pytest.raises(Refused, match="Q4 asks you to write"):
                cheat()
    assert np.all(np.isfinite(RAW_ADAM_UPDATE(Adam(0.1), [g], Adam(0.1).init([w]))[0][0]))
