"""The ``{explainer}`` directive: a live explainer of the course website in one block.

    ```{explainer} forget-gate
    :id: forget          (optional; keys the view's state in the URL, unique per page)
    ```

NAME is one of ``KINDS`` (hyphens or underscores). The directive writes the
explainer's container ``<div class="gbg-explainer" data-explainer=KIND>`` with its
options as JSON; pages that hold one load ``gbg-explainers/main.js`` as a module
script and its stylesheet (served from the site: ``explainers/web`` is in
``html_static_path``); other pages load nothing. The container's ``data-lang`` (Sphinx's
``language``) sets the language of the explainer's interface (``gbg_explainer_strings``). ``lstm_sequence`` embeds the
weights of a model that ``lstm_ref`` trains at build time (see
``gbg_explainer_models``). The browser code and its API: ``docs/explainers.md``.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from gbg_explainer_models import MODELS, trained_model
from gbg_explainer_strings import text as ui_text

KINDS = ("rnn_sequence", "gradient_flow", "gate", "forget_gate", "input_gate",
         "update_cell", "output_gate", "lstm_sequence")
SCRIPT = "gbg-explainers/main.js"
STYLESHEET = "gbg-explainers/explainers.css"
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
HERE = Path(__file__).resolve().parent
WEB = HERE.parents[1] / "explainers" / "web" / "gbg-explainers"


def _dependencies() -> list[str]:
    """The files a page with an explainer depends on: the browser code and this extension.

    Sphinx rewrites (and so re-copies the static files for) a page only when it is
    out of date; noting these makes a change to the JavaScript reach the site.
    """
    return sorted(str(p) for p in [*WEB.glob("*"), *HERE.glob("*.py")] if p.is_file())


def kind_of(name: str) -> str:
    """'forget-gate' -> 'forget_gate'; raises ValueError naming an unknown explainer."""
    kind = name.strip().replace("-", "_")
    if kind not in KINDS:
        known = ", ".join(k.replace("_", "-") for k in KINDS)
        raise ValueError(f"unknown explainer {name!r}; expected one of: {known}")
    return kind


def _identifier(value: str) -> str:
    if not _ID.match(value or ""):
        raise ValueError(f"expected a letter then letters, digits, '-' or '_', got {value!r}")
    return value


def _model(value: str) -> str:
    if value not in MODELS:
        raise ValueError(f"unknown model {value!r}; expected one of: {', '.join(MODELS)}")
    return value


class ExplainerDirective(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = {
        "id": _identifier,
        "T": directives.positive_int,
        "scale": float,
        "forget_bias": float,
        "text": directives.unchanged_required,
        "model": _model,
    }

    def run(self):
        try:
            kind = kind_of(self.arguments[0])
        except ValueError as err:
            raise self.error(f"explainer: {err}") from None
        options = {k: v for k, v in self.options.items() if k not in ("id", "model")}
        element_id = self.options.get("id", kind)
        seen = self.env.temp_data.setdefault("gbg_explainer_ids", set())
        key = (self.env.docname, element_id)
        if key in seen:
            raise self.error(f"explainer: a second explainer with id {element_id!r} on this page; "
                             f"give each its own :id:")
        seen.add(key)
        model_json = ""
        if kind == "lstm_sequence":
            model = trained_model(self.options.get("model", "bracket-depth"))
            model_json = ('<script type="application/json" class="gbg-explainer-model">'
                          + json.dumps(model).replace("</", "<\\/") + "</script>")
        elif "model" in self.options:
            raise self.error(f"explainer: the :model: option belongs to lstm-sequence, not {kind!r}")
        self.env.metadata[self.env.docname]["gbg_explainers"] = True
        for path in _dependencies():
            self.env.note_dependency(path)
        # The page's language (Sphinx's `language`, "ko" for the Korean edition) picks the
        # explainer's interface strings in the browser (strings.js) and the noscript text here.
        lang = self.env.config.language or "en"
        markup = (f'<div class="gbg-explainer" id="{element_id}" data-explainer="{kind}" '
                  f'data-options="{html.escape(json.dumps(options), quote=True)}" '
                  f'data-lang="{html.escape(lang, quote=True)}">'
                  f'{model_json}<noscript>{html.escape(ui_text("noscript", lang))}</noscript></div>')
        return [nodes.raw("", markup, format="html")]


def _add_assets(app, pagename, templatename, context, doctree):
    meta = app.env.metadata.get(pagename, {}) if app.env else {}
    if meta.get("gbg_explainers"):
        app.add_js_file(SCRIPT, type="module")
        app.add_css_file(STYLESHEET)


def setup(app):
    app.add_directive("explainer", ExplainerDirective)
    app.connect("html-page-context", _add_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
