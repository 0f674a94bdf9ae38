"""The control kinds of an explorer and the states they span.

A control is a name, a label and a fixed list of values: the static page can show only states
drawn at build time. A state is one value index per control; the static page numbers its frames
in the order of :func:`states` (last control fastest), and its script computes the same number.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

__all__ = ["Slider", "Choice", "Play", "state", "states", "values_of"]


@dataclass
class _Control:
    name: str
    label: str
    values: list
    default: object = None
    format: str = "{}"

    def __post_init__(self):
        self.values = list(self.values)
        if not self.values:
            raise ValueError(f"control {self.name!r} needs at least one value")
        if self.default is None:
            self.default = self.values[self._default_index_when_unset()]
        if self.default not in self.values:
            raise ValueError(
                f"default {self.default!r} of control {self.name!r} is not one of its values {self.values}"
            )

    def _default_index_when_unset(self) -> int:
        return 0

    @property
    def default_index(self) -> int:
        return self.values.index(self.default)

    def text(self, value) -> str:
        return self.format.format(value)


@dataclass
class Slider(_Control):
    """A slider over a fixed list of values (the static page can only show computed states).
    Without a default it starts in the middle."""

    def _default_index_when_unset(self) -> int:
        return len(self.values) // 2


@dataclass
class Choice(_Control):
    """Radio buttons over a few named options."""


@dataclass
class Play(_Control):
    """A step control over iterations 0..n-1, with a play/pause button; starts at the first step."""

    interval_ms: int = field(default=400)


def state(controls, values) -> dict:
    """The controls' defaults, overridden by ``values``; unknown names are an error."""
    full = {c.name: c.default for c in controls}
    unknown = set(values) - set(full)
    if unknown:
        raise ValueError(f"unknown control(s) {sorted(unknown)}; known: {sorted(full)}")
    full.update(values)
    return full


def states(controls) -> list[tuple[int, ...]]:
    """Every combination of the controls' value indices, in frame order (last control fastest)."""
    return list(itertools.product(*[range(len(c.values)) for c in controls]))


def covering_states(controls) -> list[tuple[int, ...]]:
    """A few states that between them give every control each of its values: state k sets each
    control to its value k (wrapped), so every step changes every control that has more than one
    value. As many states as the longest control has values, against the product of all."""
    sizes = [len(c.values) for c in controls]
    return [tuple(k % size for size in sizes) for k in range(max(sizes, default=1))]


def values_of(controls, indices) -> dict:
    """The control values ``{name: value}`` of a state given as value indices."""
    return {c.name: c.values[i] for c, i in zip(controls, indices)}
