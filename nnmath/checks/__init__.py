"""Self-checks for readers: run your own implementation against nnmath and say what is wrong.

Each ``check_*`` function calls your code on several random inputs, computes the right answer
with nnmath itself (``Network.backward``, ``nnmath.optimizers``, ``nnmath.activations``), confirms
it with central differences where it can, and returns a :class:`CheckResult`. A correct
implementation passes with the error measured; a wrong one gets a diagnosis in words: which part
is wrong, which known mistake it matches (the activation derivative missing, applied twice or
taken at the wrong variable, the bias left out of z, a softmax Jacobian product written wrong,
the wrong layer's weights in the recursion, a double average over the batch, a velocity that
starts at the gradient, ε inside the root, the step count off by one, …) and, when it matches
none, where the difference is (parameter, entries) and what it looks like (a ratio, a sign, a
transposition, a scale).

How a diagnosis is made: every known mistake is itself computed from the same inputs (the
"wrong variants"), and a mistake is named only when your output matches that variant to the
tolerance on *every* random input, and the variant differs from the right answer (a mistake
that gives the right answer for this activation, such as f'(z)² for ReLU, is never named).
The tolerance follows the dtype you return (float32 work passes) unless you give one.

Notation is the book's: examples are columns; ``W`` of layer l has shape (n_l, n_{l-1}); the
error δ^l = ∂C/∂z^l has shape (n_l, batch); a network's gradients are ``grads.W[l]``,
``grads.b[l]`` for l = 1..L.

How to call each check (your functions are yours to write; the signatures are what a check calls)::

    check_layer_backward(my_backward, "sigmoid")          # my_backward(W, b, a_prev, grad_a)
    check_network_gradients(my_backprop, sizes=[3, 4, 2])   # my_backprop(net, x, t)
    check_optimizer_step(my_momentum, "momentum", learning_rate=0.1, momentum=0.9)  # (w, g, state)
    check_chain_rule(my_derivative, outer=np.sin, inner=np.tanh)   # my_derivative(x)
    check_derivative(my_derivative, np.tanh)

For an autograder, ``result.assert_passed()`` raises ``AssertionError`` with the diagnosis, and
``with refusing("the backward pass", question="Question 2", within=backprop):`` around the
student's call makes nnmath's own answer (here ``Network.backward``) raise a message saying it is
refused in that question and why, so a submission that calls it loses the question.
"""

from ._compare import TOLERANCE
from ._result import CheckResult, Problem
from .calculus import check_chain_rule, check_derivative
from .gradients import check_network_gradients
from .layer import LAYER_PARTS, check_layer_backward
from .optimizer import OPTIMIZERS, check_optimizer_step
from .refuse import REFUSABLE, Refused, refusing

__all__ = [
    "CheckResult",
    "Problem",
    "check_layer_backward",
    "check_network_gradients",
    "check_optimizer_step",
    "check_chain_rule",
    "check_derivative",
    "OPTIMIZERS",
    "TOLERANCE",
    "LAYER_PARTS",
    "refusing",
    "Refused",
    "REFUSABLE",
]
