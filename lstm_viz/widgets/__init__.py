"""The widget layer: each animation wired to controls, in one of two modes.

``mode="static"``: frames rendered now, played in the browser with no kernel
(the website). ``mode="live"``: computed on demand in a kernel (notebooks),
where a student's own functions can be passed in.
"""
from .four_steps import four_steps_widget
from .gate_valve import gate_valve_widget
from .gradient_flow import gradient_flow_widget
from .heatmap import sequence_heatmap_widget
from .training import training_widget
from .unrolled import unrolled_rnn_widget

__all__ = ["unrolled_rnn_widget", "gradient_flow_widget", "gate_valve_widget", "four_steps_widget",
           "sequence_heatmap_widget", "training_widget"]
