# question: q1
# cell: def layer_backward(
# expect: full
def layer_backward(W, b, a_prev, grad_a):
    """Example by example, with loops, and grad_a reused in place for δ."""
    n_out, m = grad_a.shape
    grad_W, grad_b = np.zeros_like(W), np.zeros((n_out, 1))
    delta = grad_a
    for k in range(m):
        z = W @ a_prev[:, k] + b[:, 0]
        s = 1 / (1 + np.exp(-z))
        delta[:, k] *= s * (1 - s)
        for i in range(n_out):
            grad_b[i, 0] += delta[i, k]
            for j in range(W.shape[1]):
                grad_W[i, j] += delta[i, k] * a_prev[j, k]
    return delta, grad_W, grad_b, W.T @ delta
