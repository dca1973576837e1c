"""The course's diagrams, gathered under one name for the book's chapters.

Each works with no trace (a clean static figure) and with one (numbers shown).
"""
from .gate_valve import GateValveArtists, draw_gate_valve
from .lstm_cell import LSTMCellArtists, draw_lstm_cell
from .unrolled import UnrolledArtists, draw_unrolled_rnn

__all__ = ["draw_lstm_cell", "draw_unrolled_rnn", "draw_gate_valve",
           "LSTMCellArtists", "UnrolledArtists", "GateValveArtists"]
