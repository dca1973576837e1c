"""Work a grading process does once and keeps, instead of once per job.

* ``defer_iri_grammar``: jsonschema, which nbformat imports, registers an
  "iri" format check from ``rfc3987_syntax`` when that package is installed
  (it comes with Jupyter's ``jsonschema[format-nongpl]``), and importing
  ``rfc3987_syntax`` compiles a Lark grammar: about 2.9 CPU seconds, more
  than half of what importing nbgrader costs. Nothing here checks formats
  (nbformat validates notebooks without a format checker), so the module is
  replaced by a stand-in that imports the real one the first time anything
  is asked of it: a check that does use it still gets the real answer.
  Called from ``lstm_grade.pipeline``'s ``__init__``, before any import of
  nbformat, in every process of the pipeline.
* ``FeedbackExporter``: nbgrader's feedback is nbconvert's HTML exporter,
  made afresh for every job, and each new exporter compiles its Jinja
  templates again (about a third of a job's CPU in the grading process).
  This exporter keeps the compiled templates in the process (a Jinja
  bytecode cache: an entry is used only while its template's source is
  unchanged), so a long-lived grading process compiles them once.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

IRI_MODULE = "rfc3987_syntax"


class _Deferred(types.ModuleType):
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
    stub = _Deferred(IRI_MODULE)

    def is_valid_syntax(*args, **kwargs):
        return stub._load().is_valid_syntax(*args, **kwargs)

    stub.is_valid_syntax = is_valid_syntax
    sys.modules[IRI_MODULE] = stub


def _memory_bytecode_cache():
    from jinja2 import BytecodeCache

    class MemoryBytecodeCache(BytecodeCache):
        """Compiled templates, kept for the life of the process."""

        def __init__(self):
            self.store: dict = {}

        def load_bytecode(self, bucket) -> None:
            code = self.store.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)   # checks the source's checksum

        def dump_bytecode(self, bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    return MemoryBytecodeCache()


_EXPORTER: list = []


def feedback_exporter():
    """nbconvert's ``HTMLExporter`` with the process's template cache (``GenerateFeedback.exporter_class``)."""
    if not _EXPORTER:
        from nbconvert.exporters import HTMLExporter
        templates = _memory_bytecode_cache()

        class FeedbackExporter(HTMLExporter):
            def _create_environment(self):
                environment = super()._create_environment()
                environment.bytecode_cache = templates
                return environment

        _EXPORTER.append(FeedbackExporter)
    return _EXPORTER[0]
