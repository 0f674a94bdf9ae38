# question: q2
# cell: def train_epoch(
# expect: wrong
# message: nnmath's own train_step is refused in this question
# every test: fails
def train_epoch(net, x, t, learning_rate, batch_size, rng):
    """nnmath's own training step on each minibatch."""
    for x_batch, t_batch in minibatches(x, t, batch_size, rng, epochs=1):
        nnmath.train_step(net, x_batch, t_batch, nnmath.optimizers.SGD(learning_rate))
