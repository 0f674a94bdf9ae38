# question: q4
# cell: def make_adam(
# expect: wrong
# message: make_adam is not defined: run the cell that defines it
# public: fails
# every test: fails
def make_adam(learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    def step(w, g, state):
        t, v, s = (0, np.zeros_like(w), np.zeros_like(w)) if state is None else state
        t = t + 1
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g ** 2
        v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t
        return w - learning_rate * v_hat / (np.sqrt(s_hat) + eps), (t, v, s)
    return step
