# question: q2
# cell: def neuron_gradient(
# expect: wrong
# message: nnmath's own Network.backward is refused in this question
# every test: fails
def neuron_gradient(w, b, x, y):
    """A one-neuron nnmath network's backward pass, entry by entry."""
    def one(w, b, x, y):
        net = nnmath.Network([1, 1], "sigmoid", "half_squared_error")
        net.set_parameters([np.array([[w]])], [np.array([[b]])])
        grads = net.backward(np.array([[x]]), np.array([[y]]))
        return grads.W[1][0, 0], grads.b[1][0, 0]
    return np.vectorize(one)(w, b, x, y)
