"""Work a grading process does once and keeps, instead of once per job.

* ``defer_nbgrader_server``: importing anything of nbgrader runs its
  package's ``__init__``, which imports its four Jupyter server extensions
  and with them jupyter_server (about 0.4 CPU seconds per process), though
  grading never serves a page. Each extension module is replaced by the same
  kind of stand-in, which imports the real one when the server asks for it
  (``load_jupyter_server_extension``) or anything else of it is read; its
  submodules import as usual. Called first thing in the processes that
  grade (``python -m lstm_grade``, a grading process); the kernels, which
  never import nbgrader, are left alone.
* ``FeedbackExporter``: nbgrader's feedback is nbconvert's HTML exporter,
  made afresh for every job, and each new exporter compiles its Jinja
  templates again (about a third of a job's CPU in the grading process).
  This exporter keeps the compiled templates in the process (a Jinja
  bytecode cache: an entry is used only while its template's source is
  unchanged), so a long-lived grading process compiles them once.
* ``share_gradebook_engine``: nbgrader opens a job's gradebook about ten
  times (each step of autograde, our reads, the feedback), and every
  ``Gradebook`` makes a new SQLAlchemy engine, whose statement cache starts
  empty: every query was compiled again each time (about 17 ms of CPU per
  open, 0.2 s per job). In a grading process the engine of the last
  database opened is kept and handed out again for the same URL (closing
  a ``Gradebook`` disposes of the engine's connections, not of the engine),
  so a job's queries are compiled once.
* ``read_alembic_head``: a new gradebook (the run's, made by
  ``course.generate``; every job's is a copy of it) gets its schema
  version from nbgrader's ``get_alembic_version``, which runs the
  ``alembic heads`` command: a Python start and imports, about 1 CPU
  second. The same head is read here in the process from nbgrader's own
  migration scripts (about a quarter of that).
* ``check_metadata_schema_once``: nbgrader checks every graded cell's
  metadata with ``jsonschema.validate``, which first checks the schema
  itself against its meta-schema, each time: 16 ms for a notebook of 16
  cells, twice per job, of which all but 1 ms is that check of the same
  file. The schema is checked once per process here, and each cell is
  validated as before (the same errors, the best match raised).

``set_up_process`` does all of the above but the exporter (which nbgrader's
feedback step asks for by name) in a process that runs nbgrader's apps: the
grading process, and ``nbgrader_main``, nbgrader's own command line so set up
(the suite's nbgrader tests run it).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

NBGRADER_SERVER = ("assignment_list", "course_list", "validate_assignment", "formgrader")


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


def defer_nbgrader_server() -> None:
    """Put stand-ins for nbgrader's server extensions in place (see the module docstring)."""
    spec = importlib.util.find_spec("nbgrader")
    if "nbgrader" in sys.modules or spec is None or spec.origin is None:
        return
    base = Path(spec.origin).parent / "server_extensions"
    for name in NBGRADER_SERVER:
        stub = _Deferred(f"nbgrader.server_extensions.{name}")
        stub.__path__ = [str(base / name)]

        def load_jupyter_server_extension(app, _stub=stub):
            return _stub._load().load_jupyter_server_extension(app)

        stub.load_jupyter_server_extension = load_jupyter_server_extension
        sys.modules[stub.__name__] = stub
    import nbgrader.server_extensions as extensions   # nbgrader's __init__ takes the stand-ins
    for name in NBGRADER_SERVER:
        setattr(extensions, name, sys.modules[f"nbgrader.server_extensions.{name}"])


def share_gradebook_engine() -> None:
    """Put the engine-keeping ``create_engine`` into ``nbgrader.api`` (see the module docstring)."""
    from nbgrader import api
    if getattr(api.create_engine, "keeps_last", False):
        return
    make, last = api.create_engine, {}

    def create_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in last:
            last.clear()
            last[key] = make(url, **kwargs)
        return last[key]

    create_engine.keeps_last = True
    api.create_engine = create_engine


def read_alembic_head() -> None:
    """Put an in-process ``get_alembic_version`` into ``nbgrader.api`` (see the module docstring)."""
    from nbgrader import api
    if getattr(api.get_alembic_version, "in_process", False):
        return

    def get_alembic_version() -> str:
        from alembic.script import ScriptDirectory
        return ScriptDirectory(str(Path(api.__file__).parent / "alembic")).get_current_head()

    get_alembic_version.in_process = True
    api.get_alembic_version = get_alembic_version


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


def check_metadata_schema_once() -> None:
    """Put a ``validate`` that checks each schema once into nbgrader's metadata
    validation (see the module docstring)."""
    import json

    import jsonschema
    from nbgrader.nbgraderformat import common
    if getattr(common.jsonschema, "checks_once", False):
        return
    validators: dict = {}

    def validate(instance, schema) -> None:
        key = json.dumps(schema, sort_keys=True)
        validator = validators.get(key)
        if validator is None:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            validator = validators[key] = kind(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = types.SimpleNamespace(validate=validate, checks_once=True)


def set_up_process() -> None:
    """Every stand-in and patch of this module, first thing in a process that runs nbgrader's apps."""
    defer_nbgrader_server()
    share_gradebook_engine()
    read_alembic_head()
    check_metadata_schema_once()


def nbgrader_main() -> int:
    """nbgrader's command line (``sys.argv[1:]`` as for ``nbgrader``) in a process set up by
    ``set_up_process``: the same apps, configuration and results, fewer CPU seconds."""
    set_up_process()
    from nbgrader.apps.nbgraderapp import main

    sys.argv[0] = "nbgrader"
    return main() or 0
