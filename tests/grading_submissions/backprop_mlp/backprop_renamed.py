# question: q2
# cell: def backprop(
# expect: wrong
# message: backprop is not defined: run the cell that defines it, and keep the name backprop
# public: fails
# every test: fails
def backward_pass(net, x, t):
    """Right, under another name: the tests read backprop, which is then not defined."""
    fwd, L = net.forward(x), net.L
    delta = {L: net.loss.gradient(fwd.a[L], t) * net.f[L].derivative(fwd.z[L])}
    for l in range(L - 1, 0, -1):
        delta[l] = (net.W[l + 1].T @ delta[l + 1]) * net.f[l].derivative(fwd.z[l])
    return ({l: delta[l] @ fwd.a[l - 1].T for l in delta},
            {l: delta[l].sum(axis=1, keepdims=True) for l in delta})
