# question: q2
# cell: def backprop(
# expect: wrong
# message: you averaged them
def backprop(net, x, t):
    """Divides by the batch size although the loss's gradient already averages over it."""
    fwd, L, m = net.forward(x), net.L, x.shape[1]
    delta = {L: net.loss.gradient(fwd.a[L], t) * net.f[L].derivative(fwd.z[L])}
    for l in range(L - 1, 0, -1):
        delta[l] = (net.W[l + 1].T @ delta[l + 1]) * net.f[l].derivative(fwd.z[l])
    return ({l: delta[l] @ fwd.a[l - 1].T / m for l in delta},
            {l: delta[l].sum(axis=1, keepdims=True) / m for l in delta})
