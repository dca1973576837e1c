"""The draw layer: ``draw_*(ax, ...)`` pictures of a trace on a matplotlib axes.

Nothing here computes the model; each function returns a handle whose
``update(...)`` changes the drawn artists in place, so a live widget redraws
without rebuilding its figure.
"""
from .diagrams import (draw_coupled_cell, draw_gate_valve, draw_gru_cell, draw_lstm_backward_graph,
                       draw_lstm_cell, draw_notation_legend, draw_peephole_cell, draw_rnn_module,
                       draw_unrolled_rnn)
from .gradients import draw_gradient_flow, draw_gradient_norms
from .heatmap import draw_sequence_heatmap
from .training import draw_training

__all__ = ["draw_lstm_cell", "draw_unrolled_rnn", "draw_gate_valve", "draw_gradient_flow", "draw_gradient_norms",
           "draw_sequence_heatmap", "draw_training", "draw_notation_legend", "draw_rnn_module",
           "draw_peephole_cell", "draw_coupled_cell", "draw_gru_cell", "draw_lstm_backward_graph"]
