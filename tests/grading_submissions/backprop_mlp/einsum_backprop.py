# question: q2
# cell: def backprop(
# expect: full
def backprop(net, x, t):
    """With einsum, and σ' computed from the activations the forward pass kept when it can."""
    fwd, L = net.forward(x), net.L
    grad_W, grad_b = {}, {}
    delta = net.loss.gradient(fwd.a[L], t) * net.f[L].derivative(fwd.z[L])
    for l in range(L, 0, -1):
        grad_W[l] = np.einsum("ik,jk->ij", delta, fwd.a[l - 1])
        grad_b[l] = np.einsum("ik->i", delta)[:, None]
        if l > 1:
            delta = np.einsum("ji,jk->ik", net.W[l], delta) * net.f[l - 1].derivative(fwd.z[l - 1])
    print("done", {l: g.shape for l, g in grad_W.items()})
    return grad_W, grad_b
