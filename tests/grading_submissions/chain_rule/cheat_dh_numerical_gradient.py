# question: q1
# cell: def dh(
# expect: wrong
# message: nnmath's own numerical_gradient is refused in this question
# every test: fails
def dh(x):
    """nnmath's central differences of h, entry by entry."""
    return nnmath.numerical_gradient(lambda v: np.sum(np.tanh(3 * v**2 + 1)), np.asarray(x, dtype=float))
