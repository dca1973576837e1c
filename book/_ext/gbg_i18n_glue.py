"""myst-nb's glue roles (`{glue:text}`, `{glue:md}`) in translated text.

Sphinx's i18n transform parses each translated paragraph as a little document of
its own, after the page was parsed, and myst-nb keeps a notebook's glued values
only while it parses the page (`document["nb_renderer"]`, removed at the end): every
`{glue}` in a Korean paragraph failed with "No key ... found in glue data for this
document". So the page's renderer is kept aside until the page's transforms are
done (`doctree-read`), and a glue lookup from a translated paragraph uses it.
"""
from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.transforms import i18n

from myst_nb import sphinx_ as nb_sphinx
from myst_nb.ext.glue import directives, roles, utils

_LOOKUP = "retrieve_glue_data"
for _module in (utils, roles, directives):
    if not hasattr(_module, _LOOKUP):
        raise ImportError(f"gbg_i18n_glue: {_module.__name__}.{_LOOKUP} is gone (myst-nb changed): "
                          "check how glue roles find their data before building the Korean edition")
_retrieve = utils.retrieve_glue_data
_translate = i18n.Locale.apply
_parse = nb_sphinx.Parser.parse
_RENDERERS: dict[int, object] = {}   # id(page document) -> its notebook renderer, until doctree-read
_PAGES: list = []                     # the pages whose translations are being parsed


class _KeepRenderer(dict):
    """A document's attributes that remember the renderer myst-nb removes when done."""

    def __init__(self, attributes: dict, document):
        super().__init__(attributes)
        self.document_id = id(document)

    def pop(self, key, *default):
        if key == "nb_renderer" and key in self:
            _RENDERERS[self.document_id] = self[key]
        return super().pop(key, *default)


def _parse_keeping_renderer(self, inputstring, document):
    document.attributes = _KeepRenderer(document.attributes, document)
    try:
        return _parse(self, inputstring, document)
    finally:
        document.attributes = dict(document.attributes)


def retrieve_glue_data(document, key):
    page = _PAGES[-1] if _PAGES else None
    renderer = _RENDERERS.get(id(page)) if page is not None else None
    if "nb_renderer" not in document and renderer is not None:
        document.attributes["nb_renderer"] = renderer
        try:
            return _retrieve(document, key)
        finally:
            document.attributes.pop("nb_renderer")
    return _retrieve(document, key)


def _apply(self, **kwargs):
    _PAGES.append(self.document)
    try:
        return _translate(self, **kwargs)
    finally:
        _PAGES.pop()


def _forget(app: Sphinx, doctree) -> None:
    _RENDERERS.pop(id(doctree), None)


def setup(app: Sphinx) -> dict:
    if i18n.Locale.apply is not _apply:
        i18n.Locale.apply = _apply
        nb_sphinx.Parser.parse = _parse_keeping_renderer
        for module in (utils, roles, directives):
            setattr(module, _LOOKUP, retrieve_glue_data)
    app.connect("doctree-read", _forget)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
