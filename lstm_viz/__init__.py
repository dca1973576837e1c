"""Gate by Gate visualisations: trace -> draw -> widgets.

- ``lstm_viz.trace``: run a model (``lstm_ref`` or a student's functions) and
  record every value;
- ``lstm_viz.draw``: ``draw_*(ax, trace, t, ...)`` pictures of a trace,
  computing nothing of the model;
- ``lstm_viz.widgets``: controls wired to the drawings, ``mode="live"`` in a
  kernel or ``mode="static"`` with frames pre-rendered for the website.

Submodules load on first use, so ``import lstm_viz`` stays cheap.
"""
import importlib

__all__ = ["trace", "draw", "widgets"]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _install_words() -> None:
    """In a Korean kernel (GBG_LANG=ko), the Korean font and figure texts translated as drawn."""
    import gbg_i18n

    if gbg_i18n.language() != "en":
        from . import words
        words.install()


_install_words()
