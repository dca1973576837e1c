"""PyTorch for the test modules that compare with it, imported at first use.

Every pytest-xdist worker collects every test module, so a module-level
``import torch`` costs each worker about 4.4 CPU-s (about 10 on a clean clone,
where its 700-odd modules are first compiled), though only one worker runs
the torch modules: ``tests/conftest.py`` gives every module whose name holds
``torch`` to the same worker, and fails a run whose collection imported torch.

Use in a module::

    from lazy_torch import torch_or_skip
    torch = torch_or_skip()      # skips the module if torch is not installed

then ``torch.nn.LSTM`` etc. as usual, inside tests and fixtures (an attribute
read at module level would import torch at collection).
"""
from __future__ import annotations

import importlib
import importlib.util
import types

import pytest


class _LazyTorch(types.ModuleType):
    """Stands for ``torch`` until an attribute is read, then is torch's attributes."""

    def __getattr__(self, name: str):
        if name.startswith("_"):  # pytest's collection probes module globals (``_mock_name`` ...)
            raise AttributeError(name)
        return getattr(importlib.import_module("torch"), name)


def torch_or_skip() -> types.ModuleType:
    """``torch``, imported on first use; skips the calling module if torch is not installed."""
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed", allow_module_level=True)
    return _LazyTorch("torch")
