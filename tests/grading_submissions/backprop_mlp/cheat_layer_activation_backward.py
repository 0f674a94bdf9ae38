# question: q1
# cell: def layer_backward(
# expect: wrong
# message: nnmath's own Sigmoid.backward is refused in this question
# every test: fails
def layer_backward(W, b, a_prev, grad_a):
    """δ from nnmath's own layer code (the activation's backward product)."""
    delta = nnmath.activations.get_activation("sigmoid").backward(W @ a_prev + b, grad_a)
    return delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True), W.T @ delta
