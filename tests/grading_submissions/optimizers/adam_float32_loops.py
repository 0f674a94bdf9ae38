# question: q4
# cell: def make_adam(
# expect: full
def make_adam(learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """Entry by entry, in float32."""
    def step(w, g, state):
        w = np.array(w, dtype=np.float32)
        t, v, s = (0, np.zeros_like(w), np.zeros_like(w)) if state is None else state
        t += 1
        for i in np.ndindex(w.shape):
            v[i] = beta1 * v[i] + (1 - beta1) * g[i]
            s[i] = beta2 * s[i] + (1 - beta2) * g[i] ** 2
            w[i] -= learning_rate * (v[i] / (1 - beta1 ** t)) / (np.sqrt(s[i] / (1 - beta2 ** t)) + eps)
        return w, (t, v, s)
    return step
