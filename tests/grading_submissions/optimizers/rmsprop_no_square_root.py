# question: q3
# cell: def make_rmsprop(
# expect: wrong
# message: divides by s + ε
def make_rmsprop(learning_rate, rho=0.9, eps=1e-8):
    def step(w, g, state):
        s = np.zeros_like(w) if state is None else state
        s = rho * s + (1 - rho) * g ** 2
        return w - learning_rate * g / (s + eps), s
    return step
