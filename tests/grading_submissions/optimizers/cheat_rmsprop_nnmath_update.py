# question: q3
# cell: def make_rmsprop(
# expect: wrong
# message: nnmath's own RMSprop.update is refused in this question
# every test: fails
def make_rmsprop(learning_rate, rho=0.9, eps=1e-8):
    """nnmath's own RMSprop, its state kept as the step's state."""
    rmsprop = nnmath.optimizers.RMSprop(learning_rate, beta=rho, eps=eps)
    def step(w, g, state):
        steps, state = rmsprop.update([g], rmsprop.init([w]) if state is None else state)
        return w + steps[0], state
    return step
