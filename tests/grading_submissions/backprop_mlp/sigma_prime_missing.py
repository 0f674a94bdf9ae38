# question: q1
# cell: def layer_backward(
# expect: wrong
# message: the activation derivative is missing
def layer_backward(W, b, a_prev, grad_a):
    """δ without the σ'(z) factor."""
    delta = grad_a
    return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
