# question: q4
# cell: def make_adam(
# expect: wrong
# message: nnmath's own Adam.update is refused in this question
# every test: fails
def make_adam(learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """nnmath's own Adam: its state and update, the step added by hand."""
    adam = nnmath.optimizers.Adam(learning_rate, beta1=beta1, beta2=beta2, eps=eps)
    def step(w, g, state):
        state = adam.init([w]) if state is None else state
        steps, state = adam.update([g], state)
        return w + steps[0], state
    return step
