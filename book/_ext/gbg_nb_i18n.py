"""Notebook pages in a translated edition: glue roles in translated paragraphs, and
cell outputs kept out of the page catalogs.

1. **Glue in translations.** myst-nb keeps a page's glue data (on the notebook
   renderer, ``document["nb_renderer"]``) only while it parses the page, and drops
   it when the parse ends. Sphinx's ``Locale`` transform runs after that and parses
   each translated paragraph (msgstr) into a document of its own, whose source ends
   in ``<translated>``; so every ``{glue:text}``/``{glue:md}``/``{glue}`` role of a
   translation found no data ("No key ... found in glue data") and rendered empty.
   Here the renderer of the page being read is kept while its transforms run, and
   the parse of one of its translated paragraphs gets it back.

2. **Outputs are not prose.** Whatever a code cell writes (printed lines, tables,
   sentences displayed as Markdown, figures' alt text aside) is computed when the
   page is built, in the reader's language (``gbg_i18n``, ``GBG_LANG``). A transform
   marks every text node inside myst-nb's cell outputs as not translatable, before
   Sphinx's ``Locale`` transform and before the gettext builder collects messages,
   so no output enters ``book/locale`` (where a changed number would break its
   translation) and no translation is applied to one.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale

import myst_nb.sphinx_ as nb_sphinx

# The notebook renderer of each page whose read is under way, by docname (one read
# at a time per process: with parallel reading each worker keeps its own).
_RENDERERS: dict[str, object] = {}
TRANSLATED_SUFFIX = "<translated>"  # how sphinx.transforms.i18n.publish_msgstr names its source
OUTPUT_ELEMENT = "cell_code_output"  # myst-nb's container of a code cell's outputs


def _docname(document: nodes.document) -> str | None:
    env = getattr(document.settings, "env", None)
    return getattr(env, "docname", None)


def _keep_renderer(render):
    """Wraps ``SphinxNbRenderer.render``: the notebook renderer is on the document then."""
    def wrapper(self, tokens, options, md_env, *args, **kwargs):
        document = options.get("document")
        docname = _docname(document) if document is not None else None
        if docname is not None and "nb_renderer" in document:
            _RENDERERS[docname] = document["nb_renderer"]
        return render(self, tokens, options, md_env, *args, **kwargs)
    wrapper.__wrapped__ = render
    return wrapper


def _lend_renderer(parse):
    """Wraps ``myst_nb``'s ``Parser.parse``: a translated paragraph's parse sees its page's glue."""
    def wrapper(self, inputstring, document):
        docname = _docname(document)
        if not (document.current_source or "").endswith(TRANSLATED_SUFFIX) or docname not in _RENDERERS:
            return parse(self, inputstring, document)
        document["nb_renderer"] = _RENDERERS[docname]
        try:
            return parse(self, inputstring, document)
        finally:
            document.attributes.pop("nb_renderer", None)
    wrapper.__wrapped__ = parse
    return wrapper


def _forget_renderer(app, doctree) -> None:
    """The page's transforms are done (``doctree-read``): its renderer is no longer needed."""
    _RENDERERS.pop(app.env.docname, None)


def _patch(cls, name: str, wrap) -> None:
    current = getattr(cls, name)
    if getattr(current, "__wrapped__", None) is None:  # once per process
        setattr(cls, name, wrap(current))


class OutputsNotTranslatable(SphinxTransform):
    """Marks the text of every cell output not translatable (before ``Locale``)."""

    default_priority = Locale.default_priority - 1

    def apply(self, **kwargs) -> None:
        for output in self.document.findall(nodes.container):
            if output.get("nb_element") != OUTPUT_ELEMENT:
                continue
            for node in output.findall(nodes.TextElement):
                node["translatable"] = False


def setup(app):
    for attr in ("Parser", "SphinxNbRenderer"):
        if not hasattr(nb_sphinx, attr):
            raise RuntimeError(f"gbg_nb_i18n: myst_nb.sphinx_.{attr} is gone; check how this "
                               "myst-nb version parses notebooks before building a translation")
    # Sphinx renders each translated paragraph on its own: myst-parser's throwaway
    # document per render, made cheaply (gbg_myst_settings).
    app.setup_extension("gbg_myst_settings")
    _patch(nb_sphinx.SphinxNbRenderer, "render", _keep_renderer)
    _patch(nb_sphinx.Parser, "parse", _lend_renderer)
    app.connect("doctree-read", _forget_renderer)
    app.add_transform(OutputsNotTranslatable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
