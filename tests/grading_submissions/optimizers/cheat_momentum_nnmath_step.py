# question: q2
# cell: def make_momentum(
# expect: wrong
# message: nnmath's own Momentum.step is refused in this question
# every test: fails
def make_momentum(learning_rate, momentum):
    """nnmath's own momentum, moving w in place."""
    def step(w, g, state):
        w = np.array(w, dtype=float)
        state = nnmath.optimizers.Momentum(learning_rate, momentum).step([w], [g], state)
        return w, state
    return step
