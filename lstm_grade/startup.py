"""What every Python process of the course's environment does first: defer one costly import.

jsonschema, which nbformat imports (and so nbgrader, nbconvert, nbclient,
Jupyter's servers, myst-nb and Sphinx's notebook builds), registers an "iri"
format check from ``rfc3987_syntax`` when that package is installed (it comes
with Jupyter's ``jsonschema[format-nongpl]``), and importing ``rfc3987_syntax``
compiles a Lark grammar: about 2.9 CPU seconds, more than half of what
importing nbgrader costs, in every process. Nothing in the course checks
formats (nbformat validates notebooks without a format checker), so
``defer_iri_grammar`` puts a stand-in for the module in ``sys.modules`` that
imports the real one the first time anything is asked of it: a check that
does use it still gets the real answer.

Called by the grading pipeline (``lstm_grade.pipeline``'s ``__init__``) and, for
every process of the virtual environment, by the ``.pth`` file that
``scripts/install-venv.sh`` writes into its site-packages (``PTH_LINE``).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

IRI_MODULE = "rfc3987_syntax"
# One line of a .pth file: Python runs lines that start with "import" at start-up.
# Any failure (the course moved, a broken install) leaves start-up as it was.
PTH_LINE = ('import sys; exec("try:\\n import lstm_grade.startup as s\\n s.defer_iri_grammar()\\n'
            'except Exception:\\n pass")\n')


class Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is read."""

    def _load(self):
        real = self.__dict__.get("_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_real"] = real
        return real

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._load(), name)


def defer_iri_grammar() -> None:
    """Put the stand-in for ``rfc3987_syntax`` in place (see the module docstring)."""
    if IRI_MODULE in sys.modules or importlib.util.find_spec(IRI_MODULE) is None:
        return
    stub = Deferred(IRI_MODULE)

    def is_valid_syntax(*args, **kwargs):
        return stub._load().is_valid_syntax(*args, **kwargs)

    stub.is_valid_syntax = is_valid_syntax
    sys.modules[IRI_MODULE] = stub


if __name__ == "__main__":
    sys.stdout.write(PTH_LINE)
