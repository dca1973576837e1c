"""What an animation is, independent of how it is shown.

A ``Scene`` names its controls (each a finite list of options), builds its
artists once on a figure, and redraws them for a choice of options. The
static and live players both take a ``Scene``: static mode renders every
combination of options at build time, live mode redraws on demand.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple, Sequence

__all__ = ["Control", "Scene"]


class Control(NamedTuple):
    """One control: ``name`` (keyword passed to ``Scene.show``), ``description``
    (its label), ``options`` (values), ``labels`` (what the slider shows for
    each), ``play`` (True for the one control a Play button drives), ``start``
    (index of the initial option)."""

    name: str
    description: str
    options: Sequence[Any]
    labels: Sequence[str]
    play: bool = False
    start: int = 0


class Scene(NamedTuple):
    """``name``: short id used in CSS classes (``gbg-<name>``); ``controls``;
    ``figsize`` (inches) and ``dpi``; ``build(fig) -> state`` draws once and
    returns the artists' handles; ``show(state, **choice)`` updates them in
    place for one option of every control; ``interval``: ms between frames
    when playing."""

    name: str
    controls: Sequence[Control]
    figsize: tuple
    dpi: int
    build: Callable
    show: Callable
    interval: int = 700


def control(name, description, options, fmt=str, play=False, start=0) -> Control:
    """A ``Control`` whose labels are ``fmt(option)``."""
    options = list(options)
    if not options:
        raise ValueError(f"{name}: expected at least one option")
    return Control(name, description, options, [fmt(o) for o in options], play, start)
