"""What a check returns: the problems found, in words, and the error measured."""

from __future__ import annotations

import html
from dataclasses import dataclass, field


# -- the result ------------------------------------------------------------------------------------
@dataclass
class Problem:
    """One thing that is wrong: which part (``"δ"``, ``"W^2"``, …) and what, in words."""

    part: str
    words: str

    def __str__(self):
        return f"{self.part}: {self.words}"


@dataclass
class CheckResult:
    """The outcome of a check: ``passed``, ``diagnosis`` (words) and ``max_relative_error``.

    ``max_relative_error`` is the largest relative error ‖yours − right‖ / (‖yours‖ + ‖right‖)
    over every part and every random input (``inf`` when a shape is wrong). ``notes`` are
    measured facts, such as how well the right answer agrees with central differences.
    """

    title: str
    problems: list[Problem]
    max_relative_error: float
    tolerance: float
    inputs: int
    notes: list[str] = field(default_factory=list)
    against: str = "nnmath"
    input_words: str = "random inputs"

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def diagnosis(self) -> str:
        if self.passed:
            return "correct"
        return "\n".join(str(p) for p in self.problems)

    def __bool__(self):
        return self.passed

    def _measure(self) -> str:
        return (
            f"largest relative error against {self.against}: {self.max_relative_error:.1e} "
            f"(tolerance {self.tolerance:.0e}, {self.inputs} {self.input_words})"
        )

    def __str__(self):
        if self.passed:
            lines = [f"✓ {self.title}: correct."]
        else:
            count = len(self.problems)
            lines = [f"✗ {self.title}: {count} problem{'s' if count > 1 else ''}."]
            lines += [f"  • {p}" for p in self.problems]
        lines.append(f"  {self._measure()}")
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        # darker shades of Okabe-Ito's green and vermillion: the mark is text, so it needs 4.5:1
        # (WCAG 1.4.3) on the white page and on the light-grey card the theme puts behind HTML
        # outputs in dark mode (#ced6dd); the palette's own were 3.4 and 3.9 on white, 2.3 on grey
        colour, mark = ("#00664C", "✓") if self.passed else ("#943F00", "✗")
        if self.passed:
            body = ""
        else:
            body = (
                "<ul>"
                + "".join(
                    f"<li><b>{html.escape(p.part)}</b>: {html.escape(p.words)}</li>"
                    for p in self.problems
                )
                + "</ul>"
            )
        notes = "".join(f"<br>{html.escape(n)}" for n in self.notes)
        verdict = "correct" if self.passed else f"{len(self.problems)} problem(s)"
        return (
            f'<div class="nnmath-check" style="border-left: 4px solid {colour}; padding-left: 0.6em">'
            f'<b style="color: {colour}">{mark}</b> <b>{html.escape(self.title)}</b>: {verdict}'
            f"{body}<small>{html.escape(self._measure())}{notes}</small></div>"
        )

    def assert_passed(self) -> CheckResult:
        """Raise ``AssertionError`` with the diagnosis unless the check passed (for autograders)."""
        if not self.passed:
            raise AssertionError(str(self))
        return self
