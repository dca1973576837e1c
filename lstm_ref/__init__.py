"""Gate by Gate reference math: RNN, LSTM and variants in plain NumPy.

Every public function documents the equation it computes and the shape of
every array (N batch, T time, D input, H hidden, V vocabulary; stacked gate
order i, f, g, o). See docs/ARCHITECTURE.md for the whole API.
Importing this package never imports matplotlib, ipywidgets or torch.
"""
from .activations import *  # noqa: F401,F403
from .gates import *  # noqa: F401,F403
from .layout import *  # noqa: F401,F403
from .lstm import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .variants import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .optim import *  # noqa: F401,F403
from .data import *  # noqa: F401,F403
from .models import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from .embedding import *  # noqa: F401,F403
from .state import *  # noqa: F401,F403
from .stacked import *  # noqa: F401,F403
from .bidirectional import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .ablations import *  # noqa: F401,F403
from .seq2seq import *  # noqa: F401,F403
from .reproductions import *  # noqa: F401,F403

__version__ = "0.1.0"
