# question: q2
# cell: def train_epoch(
# expect: wrong
# message: b^1 was not updated
# public: fails
def train_epoch(net, x, t, learning_rate, batch_size, rng):
    for x_batch, t_batch in minibatches(x, t, batch_size, rng, epochs=1):
        grads = net.backward(x_batch, t_batch)
        for l in range(1, net.L + 1):
            net.W[l] -= learning_rate * grads.W[l]      # the biases never move
