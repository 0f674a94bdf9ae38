# question: q4
# cell: def make_adam(
# expect: full
def make_adam(learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma & Ba's efficient form (end of their Section 2), a dict state, in-place updates."""
    def step(w, g, state):
        if state is None:
            state = {"t": 0, "m": np.zeros_like(w), "v": np.zeros_like(w)}
        state["t"] += 1
        t = state["t"]
        state["m"] *= beta1
        state["m"] += (1 - beta1) * g
        state["v"] *= beta2
        state["v"] += (1 - beta2) * g ** 2
        alpha_t = learning_rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        w -= alpha_t * state["m"] / (np.sqrt(state["v"]) + eps)
        print(f"t = {t}")
        return w, state
    return step
