# question: q2
# cell: def train_epoch(
# expect: full
def train_epoch(net, x, t, learning_rate, batch_size, rng):
    """New arrays instead of in-place updates, and a running print."""
    for k, (x_batch, t_batch) in enumerate(minibatches(x, t, batch_size, rng, epochs=1)):
        grads = net.backward(x_batch, t_batch)
        for l in range(1, net.L + 1):
            net.W[l] = net.W[l] - learning_rate * grads.W[l]
            net.b[l] = net.b[l] - learning_rate * grads.b[l]
        print(f"batch {k}: cost {net.cost(x_batch, t_batch):.3f}")
