# question: q2
# cell: def train_epoch(
# expect: wrong
# message: nnmath's own SGD.update is refused in this question
# every test: fails
def train_epoch(net, x, t, learning_rate, batch_size, rng):
    """net.backward's gradients (allowed), then nnmath's own SGD does the update."""
    sgd = nnmath.optimizers.SGD(learning_rate)
    for x_batch, t_batch in minibatches(x, t, batch_size, rng, epochs=1):
        steps, _ = sgd.update(net.backward(x_batch, t_batch).as_list(), sgd.init(net.parameters()))
        for p, d in zip(net.parameters(), steps):
            p += d
