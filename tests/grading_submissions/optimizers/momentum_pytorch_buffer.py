# question: q2
# cell: def make_momentum(
# expect: full
def make_momentum(learning_rate, momentum):
    """PyTorch's form: a buffer b ← μb + ∇C, then w ← w − αb."""
    def step(w, g, state):
        buf = g.copy() if state is None else momentum * state + g
        return w - learning_rate * buf, buf
    return step
