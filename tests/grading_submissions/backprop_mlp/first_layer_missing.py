# question: q2
# cell: def backprop(
# expect: wrong
# message: ∇W has no layer 1
# public: fails
def backprop(net, x, t):
    """The recursion stops one layer early: layer 1 gets no gradient."""
    fwd, L = net.forward(x), net.L
    delta = {L: net.loss.gradient(fwd.a[L], t) * net.f[L].derivative(fwd.z[L])}
    for l in range(L - 1, 1, -1):
        delta[l] = (net.W[l + 1].T @ delta[l + 1]) * net.f[l].derivative(fwd.z[l])
    return ({l: delta[l] @ fwd.a[l - 1].T for l in delta},
            {l: delta[l].sum(axis=1, keepdims=True) for l in delta})
