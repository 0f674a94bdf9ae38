# question: q1
# cell: def make_sgd(
# expect: wrong
# message: is refused in this question
# every test: fails
from nnmath.optimizers import SGD, apply


def make_sgd(learning_rate):
    """nnmath's own SGD update, applied with nnmath's apply."""
    def step(w, g, state):
        w = np.array(w, dtype=float)
        sgd = SGD(learning_rate)
        steps, _ = sgd.update([g], sgd.init([w]))
        apply([w], steps)
        return w, state
    return step
