# question: q2
# cell: def make_momentum(
# expect: full
def make_momentum(learning_rate, momentum):
    def step(w, g, state):
        state = {"v": np.zeros_like(w)} if state is None else state
        state["v"] *= momentum
        state["v"] -= learning_rate * g
        w += state["v"]                 # in place: the caller's array moves
        return w, state
    return step
