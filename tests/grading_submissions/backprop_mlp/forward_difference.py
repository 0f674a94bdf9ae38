# question: q3
# cell: def central_difference(
# expect: wrong
# message: forward difference
def central_difference(f, w, h=1e-5):
    """A forward difference: O(h) error, not central differences' O(h²)."""
    w = np.asarray(w, dtype=float)
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w)) / h
    return grad
