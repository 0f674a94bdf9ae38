"""Every bad input raises a ValueError that names what is wrong."""
import numpy as np
import pytest

from nnmath import Network


def net():
    return Network([2, 3, 1], "sigmoid", seed=0)


def test_input_rows_must_match_n0():
    with pytest.raises(ValueError, match=r"input x has 3 rows, expected n_0 = 2"):
        net().forward(np.zeros((3, 4)))


def test_input_must_be_2d():
    with pytest.raises(ValueError, match=r"input x must be a 2-D array.*got shape \(2,\).*reshape\(-1, 1\)"):
        net().forward(np.zeros(2))


def test_target_shape_must_match_output():
    with pytest.raises(ValueError, match=r"target t has shape \(2, 4\), expected output shape \(1, 4\)"):
        net().backward(np.zeros((2, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"target t has shape \(1, 3\), expected output shape \(1, 4\)"):
        net().cost(np.zeros((2, 4)), np.zeros((1, 3)))


def test_unknown_activation_name_lists_known():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmoidal'; known: .*identity.*relu.*sigmoid.*softmax.*tanh"):
        Network([2, 1], "sigmoidal")


def test_unknown_loss_name_lists_known():
    with pytest.raises(ValueError, match=r"unknown loss 'l1'; known: .*binary_cross_entropy.*cross_entropy"):
        Network([2, 1], loss="l1")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs(bad):
    x = np.zeros((2, 3))
    x[1, 2] = bad
    with pytest.raises(ValueError, match=r"input x contains non-finite values \(first at index \(1, 2\)"):
        net().forward(x)


def test_non_finite_targets():
    with pytest.raises(ValueError, match="target t contains non-finite values"):
        net().backward(np.zeros((2, 1)), np.array([[np.nan]]))


def test_non_finite_weights():
    with pytest.raises(ValueError, match=r"W\^2 contains non-finite values"):
        Network([2, 2, 1], weights=[np.zeros((2, 2)), [[np.inf, 0.0]]])


@pytest.mark.parametrize("sizes", [[], [3], [2, 0], [2, -1], [2, 1.5]])
def test_bad_layer_sizes(sizes):
    with pytest.raises(ValueError, match=r"sizes"):
        Network(sizes)


def test_fewer_than_two_sizes_message():
    with pytest.raises(ValueError, match=r"sizes needs at least two layer sizes \(input and output\), got \[3\]"):
        Network([3])


def test_weight_of_wrong_shape_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"W\^2 has shape \(3, 1\), expected \(1, 3\) \(layer 2: 3 inputs → 1 units\)"):
        Network([2, 3, 1], weights=[np.zeros((3, 2)), np.zeros((3, 1))])


def test_bias_of_wrong_shape():
    with pytest.raises(ValueError, match=r"b\^1 has shape \(2, 1\), expected \(3, 1\)"):
        Network([2, 3, 1], biases=[np.zeros((2, 1)), np.zeros((1, 1))])


def test_wrong_number_of_weight_arrays():
    with pytest.raises(ValueError, match=r"weights has 1 arrays, expected 2"):
        Network([2, 3, 1], weights=[np.zeros((3, 2))])


def test_wrong_number_of_activations():
    with pytest.raises(ValueError, match=r"activations has 3 entries, expected one per weight layer \(2\)"):
        Network([2, 3, 1], ["relu", "relu", "relu"])


def test_unknown_init_and_dtype():
    with pytest.raises(ValueError, match=r"unknown init 'glorot'; known: xavier, he"):
        Network([2, 1], init="glorot")
    with pytest.raises(ValueError, match=r"dtype must be float32 or float64, got int64"):
        Network([2, 1], dtype=np.int64)


def test_non_numeric_input():
    with pytest.raises(TypeError, match="input x must be numeric"):
        net().forward([["a", "b"]])


def test_bad_learning_rate():
    n = net()
    g = n.backward(np.zeros((2, 1)), np.zeros((1, 1)))
    for lr in (0, -0.1, np.nan):
        with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
            n.gradient_step(g, lr)
