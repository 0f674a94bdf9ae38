"""nnmath: the numpy code of the book *How neural networks learn*.

The core (activations, losses, network, gradcheck, datasets, optimizers, training, surfaces)
needs only numpy.
``nnmath.symbolic``, ``nnmath.plots`` and ``nnmath.explore`` (sympy, matplotlib,
ipywidgets) are imported explicitly by whoever needs them.
"""

from . import activations, datasets, gradcheck, losses, network, optimizers, surfaces, training
from .activations import get_activation
from .gradcheck import check_network, numerical_gradient, relative_error
from .losses import get_loss
from .network import ByLayer, ForwardPass, Gradients, Network, NonFiniteError
from .training import History, Progress, fit, train_step

__version__ = "0.4.0"  # pyproject.toml's version (tests/test_lock.py holds them equal)

__all__ = [
    "activations",
    "losses",
    "network",
    "gradcheck",
    "datasets",
    "optimizers",
    "surfaces",
    "training",
    "fit",
    "train_step",
    "Progress",
    "History",
    "Network",
    "ByLayer",
    "ForwardPass",
    "Gradients",
    "NonFiniteError",
    "get_activation",
    "get_loss",
    "numerical_gradient",
    "relative_error",
    "check_network",
]
