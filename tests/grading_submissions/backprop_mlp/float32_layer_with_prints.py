# question: q1
# cell: def layer_backward(
# expect: full
def layer_backward(W, b, a_prev, grad_a):
    """In float32, with leftover prints."""
    W, b, a_prev, grad_a = (np.asarray(v, dtype=np.float32) for v in (W, b, a_prev, grad_a))
    z = W @ a_prev + b
    a = 1 / (1 + np.exp(-z))
    print("z", z.shape, z.dtype)
    delta = grad_a * a * (1 - a)
    grad_W = delta @ a_prev.T
    grad_b = delta.sum(axis=1, keepdims=True)
    print("grad_W", grad_W)
    return delta, grad_W, grad_b, W.T @ delta
