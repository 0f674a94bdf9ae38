import subprocess
import sys

import numpy as np
import pytest

from nnmath import datasets
from nnmath.gradcheck import numerical_gradient, relative_error


def test_central_is_second_order_forward_first_order():
    f = lambda x: np.sin(x).sum()
    x = np.array([0.7])
    exact = np.cos(0.7)
    errors = {
        m: [abs(numerical_gradient(f, x, h, m)[0] - exact) for h in (1e-2, 1e-3)]
        for m in ("forward", "central")
    }
    assert errors["forward"][0] / errors["forward"][1] == pytest.approx(10, rel=0.05)
    assert errors["central"][0] / errors["central"][1] == pytest.approx(100, rel=0.05)


def test_numerical_gradient_of_a_matrix_function():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    f = lambda X: (X**2).sum() / 2
    np.testing.assert_allclose(numerical_gradient(f, A), A, rtol=1e-9)


def test_relative_error_cases():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0
    with pytest.raises(ValueError, match=r"shapes differ: analytic \(2,\), numeric \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_gradcheck_options_are_checked():
    with pytest.raises(ValueError, match=r"unknown method 'backward'; known: central, forward"):
        numerical_gradient(np.sum, np.zeros(2), method="backward")
    with pytest.raises(ValueError, match="step h must be a positive finite number"):
        numerical_gradient(np.sum, np.zeros(2), h=0)


@pytest.mark.parametrize(
    "make", [datasets.xor, datasets.two_moons, datasets.spirals, datasets.blobs]
)
def test_datasets_shapes_and_reproducibility(make):
    X1, y1 = make(seed=4)
    X2, y2 = make(seed=4)
    assert X1.shape[0] == 2 and X1.shape[1] == y1.shape[0]
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert y1.dtype.kind == "i"


def test_xor_labels():
    X, y = datasets.xor()
    np.testing.assert_array_equal(y, np.logical_xor(X[0], X[1]).astype(int))


def test_dataset_sizes_and_classes():
    X, y = datasets.spirals(n_per_class=30, classes=3, seed=0)
    assert X.shape == (2, 90) and set(y) == {0, 1, 2}
    X, y = datasets.two_moons(n=11, seed=0)
    assert X.shape == (2, 11) and (y == 0).sum() == 6
    X, y = datasets.blobs(n=9, centers=[[0, 0], [5, 5], [-5, 5]], spread=0.1, seed=0)
    assert np.allclose(X[:, y == 1].mean(axis=1), [5, 5], atol=0.2)


def test_one_hot():
    np.testing.assert_array_equal(datasets.one_hot(np.array([0, 2, 1])), np.eye(3)[:, [0, 2, 1]])
    with pytest.raises(ValueError, match="label 3 does not fit in 3 classes"):
        datasets.one_hot(np.array([0, 3]), classes=3)


def test_dataset_bad_arguments():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        datasets.two_moons(n=0)
    with pytest.raises(ValueError, match="noise must be a finite number ≥ 0"):
        datasets.spirals(noise=-1)
    with pytest.raises(ValueError, match=r"centers must have shape \(k, 2\)"):
        datasets.blobs(centers=[1, 2, 3])


def test_import_nnmath_imports_no_heavy_leaves():
    code = (
        "import sys, nnmath; heavy = [m for m in ('matplotlib', 'sympy', 'ipywidgets') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
