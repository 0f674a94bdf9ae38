# question: q1
# cell: def make_sgd(
# expect: wrong
# message: the learning rate is applied twice
def make_sgd(learning_rate):
    def step(w, g, state):
        return w - learning_rate * learning_rate * g, state
    return step
