"""The course's diagrams, gathered under one name for the book's chapters.

Each works with no trace (a clean static figure) and with one (numbers shown).
"""
from .gate_valve import GateValveArtists, draw_gate_valve
from .lstm_cell import LSTMCellArtists, draw_lstm_cell
from .backward import BackwardArtists, draw_lstm_backward_graph
from .modules import ModuleArtists, draw_rnn_module
from .notation import NotationArtists, draw_notation_legend
from .unrolled import UnrolledArtists, draw_unrolled_rnn
from .variants import VariantArtists, draw_coupled_cell, draw_gru_cell, draw_peephole_cell

__all__ = ["draw_lstm_cell", "draw_unrolled_rnn", "draw_gate_valve", "draw_notation_legend",
           "draw_rnn_module", "draw_peephole_cell", "draw_coupled_cell", "draw_gru_cell",
           "draw_lstm_backward_graph",
           "LSTMCellArtists", "UnrolledArtists", "GateValveArtists", "NotationArtists",
           "ModuleArtists", "VariantArtists", "BackwardArtists"]
