"""The trace layer: run a model and record every intermediate value.

Nothing here draws; ``lstm_viz.draw`` takes these records and pictures them.
"""
from .char_demo import CHAR_DEMO, CharDemo
from .compare import differing
from .examples import (BRACKET_VOCAB, bracket_counter_params, bracket_text, one_hot,
                       random_inputs, random_lstm_params, random_rnn_params)
from .gate import GATE_EXAMPLE_V, GateTrace, example_gate_trace, trace_gate
from .gradients import GradientTrace, trace_lstm_gradients, trace_rnn_gradients
from .lstm import STEP_FUNCTIONS, VECTORS, LSTMTrace, as_gate_params, trace_lstm
from .rnn import RNNTrace, trace_rnn

__all__ = [
    "CHAR_DEMO", "CharDemo", "differing", "BRACKET_VOCAB", "bracket_counter_params", "bracket_text", "one_hot",
    "random_inputs", "random_lstm_params", "random_rnn_params", "GateTrace", "trace_gate",
    "GATE_EXAMPLE_V", "example_gate_trace",
    "GradientTrace", "trace_lstm_gradients", "trace_rnn_gradients", "STEP_FUNCTIONS", "VECTORS",
    "LSTMTrace", "as_gate_params", "trace_lstm", "RNNTrace", "trace_rnn",
]
