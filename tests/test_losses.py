import warnings

import numpy as np
import pytest
import sympy as sp

from nnmath import activations as act
from nnmath.losses import get_loss

A = np.array([[0.2, 0.7, 0.5], [0.8, 0.3, 0.5]])
T = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])


def symbolic_loss(name, a, t):
    n = len(a)
    if name == "half_squared_error":
        return sum((ai - ti) ** 2 for ai, ti in zip(a, t)) / 2
    if name == "mean_squared_error":
        return sum((ai - ti) ** 2 for ai, ti in zip(a, t)) / n
    if name == "cross_entropy":
        return -sum(ti * sp.log(ai) for ai, ti in zip(a, t))
    if name == "binary_cross_entropy":
        return -sum(ti * sp.log(ai) + (1 - ti) * sp.log(1 - ai) for ai, ti in zip(a, t))
    raise KeyError(name)


@pytest.mark.parametrize(
    "name", ["half_squared_error", "mean_squared_error", "cross_entropy", "binary_cross_entropy"]
)
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_value_and_gradient_match_sympy(name, reduction):
    loss = get_loss(name, reduction)
    a = sp.symbols("a0:2", positive=True)
    t = sp.symbols("t0:2", nonnegative=True)
    expr = symbolic_loss(name, a, t)
    value = sp.lambdify([a, t], expr)
    grads = [sp.lambdify([a, t], sp.diff(expr, ai)) for ai in a]
    factor = 1 if reduction == "sum" else 1 / A.shape[1]
    expected_value = factor * sum(value(A[:, j], T[:, j]) for j in range(A.shape[1]))
    expected_grad = factor * np.array(
        [[g(A[:, j], T[:, j]) for j in range(A.shape[1])] for g in grads]
    )
    assert loss.value(A, T) == pytest.approx(expected_value, rel=1e-14)
    np.testing.assert_allclose(loss.gradient(A, T), expected_grad, rtol=1e-14)


def test_default_reductions_are_documented_ones():
    assert get_loss("half_squared_error").reduction == "sum"
    assert get_loss("mean_squared_error").reduction == "mean"
    assert get_loss("cross_entropy").reduction == "mean"


def test_half_squared_error_closed_form():
    assert get_loss("half_squared_error").value(np.array([[0.75]]), np.array([[0.25]])) == 0.125


@pytest.mark.parametrize(
    "name,activation", [("cross_entropy", act.softmax), ("binary_cross_entropy", act.sigmoid)]
)
def test_paired_output_error_is_a_minus_t(name, activation):
    loss = get_loss(name)
    z = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    a = activation(z)
    t = (
        act.softmax(np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 1.0]]))
        if name == "cross_entropy"
        else np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 0.9]])
    )
    fused = loss.output_error(activation, z, a, t)
    np.testing.assert_allclose(fused, (a - t) / 3, rtol=1e-12)
    chained = activation.backward(z, loss.gradient(a, t))
    np.testing.assert_allclose(fused, chained, rtol=1e-10)
    assert loss.value_at_output(activation, z, a, t) == pytest.approx(loss.value(a, t), rel=1e-12)


def test_paired_cross_entropy_is_finite_where_probabilities_round_off():
    z = np.array([[800.0, -800.0]])
    loss = get_loss("binary_cross_entropy", "sum")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = loss.value_at_output(act.sigmoid, z, act.sigmoid(z), np.array([[0.0, 1.0]]))
    assert value == pytest.approx(1600.0)
    z = np.array([[1e4, 0.0], [0.0, 1e4]])
    value = get_loss("cross_entropy", "sum").value_at_output(
        act.softmax, z, act.softmax(z), np.eye(2)[:, ::-1]
    )
    assert value == pytest.approx(2e4)


def test_target_shape_mismatch_is_named():
    with pytest.raises(
        ValueError, match=r"target shape \(1, 3\) does not match output shape \(2, 3\)"
    ):
        get_loss("half_squared_error").value(A, T[:1])


def test_unknown_loss_and_reduction():
    with pytest.raises(
        ValueError, match=r"unknown loss 'hinge'; known: .*cross_entropy.*half_squared_error"
    ):
        get_loss("hinge")
    with pytest.raises(ValueError, match=r"unknown reduction 'avg'; known: sum, mean"):
        get_loss("mse", "avg")


def test_cross_entropy_rejects_non_probability_outputs_and_targets():
    with pytest.raises(ValueError, match="outputs must be probabilities.*softmax"):
        get_loss("cross_entropy").value(np.array([[2.0], [-1.0]]), np.array([[1.0], [0.0]]))
    with pytest.raises(ValueError, match="each target column must sum to 1"):
        get_loss("cross_entropy").value(np.array([[0.5], [0.5]]), np.array([[1.0], [1.0]]))
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        get_loss("binary_cross_entropy").value(np.array([[0.5]]), np.array([[2.0]]))
