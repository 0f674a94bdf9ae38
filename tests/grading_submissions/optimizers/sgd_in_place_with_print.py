# question: q1
# cell: def make_sgd(
# expect: full
def make_sgd(learning_rate):
    def step(w, g, state):
        w -= learning_rate * g          # in place
        print("step", w)
        return w, state
    return step
