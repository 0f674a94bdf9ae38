"""Refuse nnmath's own answer while a student's function runs: ``refusing``.

A student who installs nnmath holds correct implementations of every assignment's answer
(``Network.backward``, the optimizers' updates, finite differences, …). An autograder that asks
for one of them runs the student's function inside ``refusing(...)``: for that call, the named
parts of nnmath raise :class:`Refused`, whose message says which part is refused, in which
question and why, and the question is lost with that message. Outside the ``with`` block
(where the test computes its own reference with nnmath) everything works as before::

    with refusing("the backward pass", question="Question 2", within=backprop):
        grads = backprop(net, x, t)

The parts are named by group (:data:`REFUSABLE`), so a test lists what its question asks for and
not nnmath's internals; a new optimizer is covered because every subclass of ``Optimizer`` is.
A part is refused where it is defined, wherever nnmath re-exports it (``nnmath.numerical_gradient``
as well as ``nnmath.gradcheck.numerical_gradient``), and under any name the student's functions
(``within``) hold it by, in their globals or closures (``from nnmath.optimizers import apply``,
``update = Adam(0.1).update``).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Refused", "REFUSABLE", "refusing"]

# group → the parts of nnmath that compute it: "module:attribute" or "module:Class.method" (a
# method is refused on the class and on every subclass that defines its own)
REFUSABLE: dict[str, tuple[str, ...]] = {
    "the backward pass": (
        "nnmath.network:Network.backward",
        "nnmath.symbolic:exact_gradients",
        "nnmath.symbolic:SymbolicNetwork.backprop_gradients",
        "nnmath.symbolic:SymbolicNetwork.direct_gradients",
        "nnmath.checks.gradients:_backprop_mistake",  # the checks' own, right by default
    ),
    "a layer's backward pass": (  # δ = ∂C/∂a ⊙ f'(z), and δ^L from the loss
        "nnmath.activations:Activation.backward",
        "nnmath.losses:Loss.output_error",
        "nnmath.losses:Loss._output_error",  # what output_error computes once it has checked
        "nnmath.network:Network.backward",
    ),
    "finite differences": (
        "nnmath.gradcheck:numerical_gradient",
        "nnmath.gradcheck:network_numerical_gradients",
        "nnmath.gradcheck:check_network",
    ),
    "the optimizer steps": (
        "nnmath.optimizers.base:Optimizer.update",
        "nnmath.optimizers.base:Optimizer.step",
        "nnmath.optimizers.base:apply",
        "nnmath.optimizers.base:_apply",
        "nnmath.optimizers.running:trajectory",
        "nnmath.optimizers.first_order:nesterov_change_of_variable",
        "nnmath.optimizers.second_order:newton_step",
        "nnmath.optimizers.second_order:newton_minimize",
        "nnmath.checks.optimizer:_right_steps",  # the checks' own steps, right ones among them
        "nnmath.checks.optimizer:_efficient_adam_steps",
        "nnmath.checks.optimizer:_optimizer_steps",
    ),
    "the training step": (
        "nnmath.network:Network.gradient_step",
        "nnmath.training:train_step",
        "nnmath.training:_sgd_step",
        "nnmath.training:fit",
    ),
}


class Refused(AssertionError):
    """Raised by a part of nnmath that a question asks the student to write."""


def _resolve(spec: str) -> tuple[Any, str] | None:
    """(owner, attribute) for ``"module:Name"`` or ``"module:Class.method"``; ``None`` when the
    module cannot be imported (a leaf whose dependency is not installed)."""
    module_name, _, path = spec.partition(":")
    try:
        owner: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    *classes, attribute = path.split(".")
    for name in classes:
        owner = getattr(owner, name)
    return owner, attribute


def _subclasses(cls: type) -> Iterator[type]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _subclasses(sub)


def _underlying(value: Any) -> Any:
    """The function a class attribute or a bound method stands for."""
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    if isinstance(value, types.MethodType):
        return value.__func__
    return value


def _unwrapped(function: Any) -> Iterator[Any]:
    """``function`` and every function it wraps (``functools.wraps``' ``__wrapped__`` chain: the
    optimizers' undecorated updates), so that the raw one is refused as well."""
    seen: set[int] = set()
    while function is not None and id(function) not in seen:
        seen.add(id(function))
        yield function
        function = getattr(function, "__wrapped__", None)


def _restorer(cell: types.CellType, value: Any) -> Callable[[], None]:
    def restore() -> None:
        cell.cell_contents = value

    return restore


def _student_names(functions: tuple) -> Iterator[tuple[Any, Any]]:
    """(globals, name) and (None, closure cell) of every value the student's functions can reach
    by name: their globals, their closures, and those of the functions they define (a helper in a
    closure, a function of the notebook), each function once."""
    seen: set[int] = set()
    todo = [_underlying(f) for f in functions]
    scopes: dict[int, dict] = {}
    while todo:
        function = todo.pop()
        if not isinstance(function, types.FunctionType) or id(function) in seen:
            continue
        seen.add(id(function))
        scope = function.__globals__
        if id(scope) not in scopes:
            scopes[id(scope)] = scope
            for key, value in list(scope.items()):
                yield scope, key
                if isinstance(value, types.FunctionType) and value.__globals__ is scope:
                    todo.append(value)  # a function defined beside the student's
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            yield None, cell
            if isinstance(value, types.FunctionType):
                todo.append(value)


@contextlib.contextmanager
def refusing(
    *groups: str, question: str, within: Callable | tuple[Callable, ...] = ()
) -> Iterator[None]:
    """Inside the block, every part of nnmath in ``groups`` (keys of :data:`REFUSABLE`) raises
    :class:`Refused` naming itself, ``question`` and why; all is restored on leaving.

    ``within``: the student's function(s); names in their globals and closures that stand for a
    refused part are refused too (a bound method among them).
    """
    unknown = [g for g in groups if g not in REFUSABLE]
    if unknown:
        raise ValueError(f"unknown groups {unknown}; known: {', '.join(REFUSABLE)}")
    functions = within if isinstance(within, tuple) else (within,)
    undo: list[Callable[[], None]] = []
    refused: dict[int, Callable] = {}  # id(original function) → its refusing stand-in
    classes_done: dict[str, set[int]] = {}  # method name → the classes it is refused on

    def stand_in(label: str, group: str) -> Callable:
        def refused_part(*args: Any, **kwargs: Any) -> Any:
            raise Refused(
                f"{question} asks you to write {group} yourself, so nnmath's own {label} is "
                f"refused in this question (it computes the answer); compute it with numpy "
                f"instead of calling {label}"
            )

        # a stand-in looks wrapped too: inspect.unwrap(Adam.update) inside the block finds
        # another refusal, not an AttributeError that would hide why the question is lost
        refused_part.__wrapped__ = lambda *args, **kwargs: refused_part(*args, **kwargs)  # type: ignore[attr-defined]
        return refused_part

    def put(owner: Any, name: str, value: Any) -> None:
        if isinstance(owner, dict):
            before = owner[name]
            owner[name] = value
            undo.append(lambda: owner.__setitem__(name, before))
        elif isinstance(owner, type) and name not in owner.__dict__:  # inherited: shadowed
            setattr(owner, name, value)
            undo.append(lambda: delattr(owner, name))
        else:
            before = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            setattr(owner, name, value)
            undo.append(lambda: setattr(owner, name, before))

    try:
        for group in groups:
            for spec in REFUSABLE[group]:
                found = _resolve(spec)
                if found is None:
                    continue
                owner, name = found
                if isinstance(owner, type):
                    # each class is refused under its own name (Momentum.step, not Optimizer.step)
                    for cls in _subclasses(owner):
                        original = _underlying(getattr(cls, name))
                        if id(cls) not in classes_done.setdefault(name, set()):
                            classes_done[name].add(id(cls))
                            for function in _unwrapped(original):
                                refused.setdefault(
                                    id(function), stand_in(f"{cls.__name__}.{name}", group)
                                )
                            put(cls, name, stand_in(f"{cls.__name__}.{name}", group))
                else:
                    original = getattr(owner, name)
                    if id(original) in refused:
                        continue
                    holders = [  # where it is defined and every nnmath module re-exporting it
                        (module_name, key)
                        for module_name, module in list(sys.modules.items())
                        if module_name.split(".")[0] == "nnmath" and module is not None
                        for key, value in list(vars(module).items())
                        if value is original
                    ]
                    home, key = min(holders, key=lambda h: h[0].count("."))
                    label = f"{home}.{key}".removeprefix("nnmath.")  # as nnmath.X is called
                    for function in _unwrapped(original):
                        refused.setdefault(id(function), stand_in(label, group))
                    for module_name, key in holders:
                        put(sys.modules[module_name], key, refused[id(original)])
        for scope, cell in _student_names(functions):  # where the student's code holds them
            value = scope[cell] if scope is not None else cell.cell_contents
            stand = refused.get(id(_underlying(value)))
            if stand is None:
                continue
            if scope is not None:
                put(scope, cell, stand)
            else:
                cell.cell_contents = stand
                undo.append(_restorer(cell, value))
        yield
    finally:
        for restore in reversed(undo):
            restore()
