# question: q2
# cell: def make_momentum(
# expect: wrong
# message: relative error
def make_momentum(learning_rate, momentum):
    def step(w, g, state):
        v = g if state is None else state          # v should start at 0
        v = momentum * v - learning_rate * g
        return w + v, v
    return step
