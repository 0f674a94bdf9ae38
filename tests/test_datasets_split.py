"""nnmath.datasets.split: the training and depth chapters split the digits with it."""

import numpy as np
import pytest

from nnmath.datasets import Split, one_hot, split


def test_split_is_a_seeded_partition():
    x = np.arange(20.0).reshape(2, 10)
    labels = np.arange(10) % 3
    rest, apart = split(x, labels, apart=0.3, seed=4, classes=3)
    assert apart.labels.size == 3 and rest.labels.size == 7
    columns = sorted(np.concatenate([rest.x[0], apart.x[0]]).tolist())
    assert columns == x[0].tolist()  # every example once, in one split or the other
    # each column keeps its own label
    assert np.array_equal(
        np.concatenate([rest.x[0], apart.x[0]]) % 3, np.concatenate([rest.labels, apart.labels])
    )
    again = split(x, labels, apart=0.3, seed=4, classes=3)
    assert np.array_equal(again[1].x, apart.x)
    assert not np.array_equal(split(x, labels, apart=0.3, seed=5, classes=3)[1].x, apart.x)


def test_a_split_states_its_classes():
    """A subset lacking the highest class still has targets as wide as the classes."""
    subset = Split(np.zeros((2, 2)), np.array([0, 1]), classes=10)
    assert subset.t.shape == (10, 2)
    assert np.array_equal(subset.t, one_hot(np.array([0, 1]), classes=10))


def test_a_split_refuses_labels_that_do_not_match_its_examples():
    with pytest.raises(ValueError, match=r"x of shape \(2, 3\) and labels of shape \(2,\)"):
        Split(np.zeros((2, 3)), np.array([0, 1]), classes=2)
