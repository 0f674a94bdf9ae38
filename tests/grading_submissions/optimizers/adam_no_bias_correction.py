# question: q4
# cell: def make_adam(
# expect: wrong
# message: the bias correction is missing
def make_adam(learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    def step(w, g, state):
        t, v, s = (0, np.zeros_like(w), np.zeros_like(w)) if state is None else state
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g ** 2
        return w - learning_rate * v / (np.sqrt(s) + eps), (t + 1, v, s)
    return step
