# question: q3
# cell: def central_difference(
# expect: wrong
# message: nnmath's own numerical_gradient is refused in this question
# every test: fails
from nnmath import numerical_gradient


def central_difference(f, w, h=1e-5):
    """nnmath's own central differences."""
    return numerical_gradient(f, np.asarray(w, dtype=float), h=h)
