# question: q1
# cell: def layer_backward(
# expect: wrong
# message: an approximation, not rounding, such as a finite difference
# public: fails
def layer_backward(W, b, a_prev, grad_a):
    """σ'(z) by a one-sided difference: off by about 1e-6, which a loose tolerance lets through."""
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    z = W @ a_prev + b
    h = 1e-5
    delta = grad_a * (sigmoid(z + h) - sigmoid(z)) / h
    return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
