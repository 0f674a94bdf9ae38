# question: q3
# cell: def make_rmsprop(
# expect: full
def make_rmsprop(learning_rate, rho=0.9, eps=1e-8):
    def step(w, g, state):
        w, g = np.asarray(w, dtype=np.float32), np.asarray(g, dtype=np.float32)
        s = np.zeros_like(w) if state is None else state
        s = np.float32(rho) * s + np.float32(1 - rho) * g * g
        return w - np.float32(learning_rate) * g / (np.sqrt(s) + np.float32(eps)), s
    return step
