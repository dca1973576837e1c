"""The package as a whole: what importing it pulls in, and its documentation."""
from __future__ import annotations

import inspect
import subprocess
import sys

import lstm_ref

OWN_MODULES = ["activations", "gates", "layout", "lstm", "rnn", "gradcheck"]


def test_import_pulls_in_no_plotting_widgets_or_torch():
    code = (
        "import sys, lstm_ref\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'matplotlib', 'ipywidgets', 'torch'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing lstm_ref imported {out.stdout.strip()}"


def test_every_public_function_documents_its_equation_and_shapes():
    missing = []
    for modname in OWN_MODULES:
        mod = getattr(lstm_ref, modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            doc = inspect.getdoc(obj) or ""
            if not doc:
                missing.append(f"{modname}.{name}: no docstring")
            elif inspect.isfunction(obj) and "(" not in doc:
                missing.append(f"{modname}.{name}: no shape in docstring")
            if inspect.isfunction(obj) and not any(s in doc for s in ("=", "σ", "tanh")):
                missing.append(f"{modname}.{name}: no equation in docstring")
    assert not missing, "\n".join(missing)


def test_every_name_of_the_contract_is_exported():
    names = """sigmoid tanh sigmoid_grad tanh_grad gate forget_gate input_gate candidate
    update_cell output_gate hidden_state lstm_cell_per_gate GateParams stack_gates split_gates
    from_torch_lstm to_torch_lstm from_torch_gru from_torch_rnn lstm_step_forward
    lstm_step_backward lstm_forward lstm_backward rnn_step_forward rnn_step_backward
    rnn_forward rnn_backward grad_check rel_error LSTMCache LSTMStepCache""".split()
    assert [n for n in names if not hasattr(lstm_ref, n)] == []


def test_caches_are_named_tuples():
    for cls in (lstm_ref.LSTMCache, lstm_ref.LSTMStepCache, lstm_ref.RNNCache,
                lstm_ref.RNNStepCache, lstm_ref.GateParams):
        assert issubclass(cls, tuple) and hasattr(cls, "_fields"), cls
