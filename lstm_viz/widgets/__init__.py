"""The widget layer: each animation wired to controls, in one of two modes.

``mode="static"``: frames rendered now, played in the browser with no kernel
(the website). ``mode="live"``: computed on demand in a kernel (notebooks),
where a student's own functions can be passed in.

Each widget's module loads on first use (``from lstm_viz.widgets import
four_steps_widget`` imports that one alone), and matplotlib loads only when
a widget draws: an exercise whose functions are still blank shows a message
instead, without it (about 0.4 CPU seconds in a kernel).
"""
import importlib

#: Each widget and the module that makes it.
_MODULES = {"unrolled_rnn_widget": "unrolled", "gradient_flow_widget": "gradient_flow",
            "gate_valve_widget": "gate_valve", "four_steps_widget": "four_steps",
            "sequence_heatmap_widget": "heatmap", "training_widget": "training"}

__all__ = list(_MODULES)


def __getattr__(name):
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
