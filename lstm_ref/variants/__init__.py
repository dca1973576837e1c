"""Variants of the LSTM, and the GRU, each with forward and backward passes.

- ``peephole``: the gates also see the cell state (Gers & Schmidhuber 2000).
- ``coupled``: one gate both forgets and writes, i = 1 − f.
- ``gru``: PyTorch's gated recurrent unit, gate order r, z, n.
"""
from .coupled import *  # noqa: F401,F403
from .coupled import __all__ as _coupled_all
from .gru import *  # noqa: F401,F403
from .gru import __all__ as _gru_all
from .peephole import *  # noqa: F401,F403
from .peephole import __all__ as _peephole_all

__all__ = [*_peephole_all, *_coupled_all, *_gru_all]
