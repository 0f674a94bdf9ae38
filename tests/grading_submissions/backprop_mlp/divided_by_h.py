# question: q3
# cell: def central_difference(
# expect: wrong
# message: divided by h instead of 2h
# public: fails
def central_difference(f, w, h=1e-5):
    """The central difference divided by h, not 2h."""
    w = np.asarray(w, dtype=float)
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w - step)) / h
    return grad
