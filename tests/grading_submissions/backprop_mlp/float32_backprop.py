# question: q2
# cell: def backprop(
# expect: full
def backprop(net, x, t):
    """Everything after the forward pass in float32."""
    fwd, L = net.forward(x), net.L
    f32 = lambda v: np.asarray(v, dtype=np.float32)
    delta = {L: f32(net.loss.gradient(fwd.a[L], t)) * f32(net.f[L].derivative(fwd.z[L]))}
    for l in range(L - 1, 0, -1):
        delta[l] = (f32(net.W[l + 1]).T @ delta[l + 1]) * f32(net.f[l].derivative(fwd.z[l]))
    return ({l: delta[l] @ f32(fwd.a[l - 1]).T for l in delta},
            {l: delta[l].sum(axis=1, keepdims=True) for l in delta})
