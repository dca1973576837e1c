"""Work a grading process does once and keeps, instead of once per job.

* ``FeedbackExporter``: nbgrader's feedback is nbconvert's HTML exporter,
  made afresh for every job, and each new exporter compiles its Jinja
  templates again (about a third of a job's CPU in the grading process).
  This exporter keeps the compiled templates in the process (a Jinja
  bytecode cache: an entry is used only while its template's source is
  unchanged), so a long-lived grading process compiles them once.
"""
from __future__ import annotations


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
