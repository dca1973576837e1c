"""myst-parser's throwaway documents, made cheaply (a build-time saving, nothing on the page changes).

Every time myst-parser renders Markdown it sets its renderer up with
``options.get("document", make_document())``: the default is computed even when a
document is given, and ``make_document`` builds docutils' default settings from
scratch (an option parser of some seventy options) only for the result to be
thrown away. Sphinx's ``Locale`` transform renders every translated paragraph of
the Korean edition on its own, some 1,600 of them at 1.5 ms each. Here
``make_document`` builds the default settings of each parser class once and gives
every document a deep copy of them (0.07 ms: a settings value such as the list of
dependencies a document records stays its own).
"""
from __future__ import annotations

import copy
import functools

from docutils.frontend import get_default_settings
from docutils.utils import new_document

import myst_parser.mdit_to_docutils.base as myst_base


@functools.lru_cache(maxsize=None)
def _default_settings(parser_cls):
    return get_default_settings(parser_cls)


def make_document(source_path="notset", parser_cls=myst_base.RSTParser):
    """``myst_parser``'s ``make_document``: a new document with the parser class's default settings."""
    return new_document(source_path, settings=copy.deepcopy(_default_settings(parser_cls)))


def setup(app):
    current = myst_base.make_document
    if getattr(current, "__defaults__", None) != ("notset", myst_base.RSTParser):
        raise RuntimeError("gbg_myst_settings: myst_parser's make_document(source_path, parser_cls) "
                           "changed; check it before replacing it")
    myst_base.make_document = make_document
    return {"parallel_read_safe": True, "parallel_write_safe": True}
