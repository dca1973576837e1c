"""One spec per assignment, in the book's chapter order."""
from . import (ch01_rnn, ch02_vanishing, ch03_gates, ch04_forget_gate, ch05_input_gate,
               ch06_cell_update, ch07_output_gate, ch08_lstm_forward, ch09_lstm_backward,
               ch10_variants, ch11_training, ch12_practice, ch13_attention)

ASSIGNMENTS = tuple(m.ASSIGNMENT for m in (
    ch01_rnn, ch02_vanishing, ch03_gates, ch04_forget_gate, ch05_input_gate,
    ch06_cell_update, ch07_output_gate, ch08_lstm_forward, ch09_lstm_backward,
    ch10_variants, ch11_training, ch12_practice, ch13_attention))

__all__ = ["ASSIGNMENTS"]
