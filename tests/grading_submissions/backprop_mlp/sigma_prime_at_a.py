# question: q1
# cell: def layer_backward(
# expect: wrong
# message: is evaluated at a^l = f(z^l) instead of at z^l
def layer_backward(W, b, a_prev, grad_a):
    """σ' evaluated at a = σ(z) instead of at z."""
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    a = sigmoid(W @ a_prev + b)
    delta = grad_a * sigmoid(a) * (1 - sigmoid(a))
    return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
