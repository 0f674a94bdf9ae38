# question: q2
# cell: def backprop(
# expect: wrong
# message: output_error is refused in this question
# every test: fails
def backprop(net, x, t):
    """The recursion written out, but each δ from nnmath's own per-layer code."""
    fwd, L = net.forward(x), net.L
    delta = {L: net.loss.output_error(net.f[L], fwd.z[L], fwd.a[L], t)}
    for l in range(L - 1, 0, -1):
        delta[l] = net.f[l].backward(fwd.z[l], net.W[l + 1].T @ delta[l + 1])
    return ({l: delta[l] @ fwd.a[l - 1].T for l in delta},
            {l: delta[l].sum(axis=1, keepdims=True) for l in delta})
