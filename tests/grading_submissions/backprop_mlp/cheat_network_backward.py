# question: q2
# cell: def backprop(
# expect: wrong
# message: nnmath's own Network.backward is refused in this question
# every test: fails
def backprop(net, x, t):
    """nnmath's own backward pass, handed back as the question's dicts."""
    grads = net.backward(x, t)
    return ({l: grads.W[l] for l in range(1, net.L + 1)},
            {l: grads.b[l] for l in range(1, net.L + 1)})
