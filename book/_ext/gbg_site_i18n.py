"""The two editions of the site: a language switch on every page, and the theme's strings in Korean.

The English edition is the site root, the Korean one its `ko/` folder, with the
same page paths (scripts/build_book.py builds both). Each page gets, in the
article header, a link to the same page in the other edition, written as a
relative URL (so it works wherever the site is served from, and from files),
and a `<link rel="alternate" hreflang>` naming its twin.

The theme's own strings: Sphinx reads `<locale_dir>/ko/LC_MESSAGES/sphinx.po`
before its own and the pydata theme's translations (the search box and
Jupyter Book's placeholder in it, "On this page", previous/next, permalinks), and this extension puts the book's
`booktheme.po` before sphinx-book-theme's own ("Contents", the header buttons),
whose Korean is partly wrong ("By" -> 으로). Both catalogs are written by hand
(their English comes from the theme's templates, not from the book).
"""
from __future__ import annotations

import gettext
from pathlib import Path

from sphinx.application import Sphinx
from sphinx import locale
from sphinx.config import Config
from sphinx.util.i18n import CatalogRepository

# Each edition's folder under the site root, and its name in its own language.
EDITIONS = {"en": ("", "English"), "ko": ("ko/", "한국어")}
SWITCH_TITLE = {"en": "Read this page in Korean", "ko": "이 페이지를 영어로 읽기"}
SWITCH_TEMPLATE = "gbg-language-switch.html"
THEME_CATALOG = "booktheme"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def edition(config: Config) -> str:
    lang = config.language or "en"
    if lang not in EDITIONS:
        raise ValueError(f"gbg_site_i18n: no edition for language {lang!r} (known: {', '.join(EDITIONS)})")
    return lang


def twin_url(lang: str, pagename: str, suffix: str = ".html") -> tuple[str, str]:
    """The other edition's language and the relative URL of `pagename` there, from this page."""
    other = next(code for code in EDITIONS if code != lang)
    depth = pagename.count("/") + (1 if EDITIONS[lang][0] else 0)   # folders up to the site root
    return other, "../" * depth + EDITIONS[other][0] + pagename + suffix


def _add_switch_to_header(app: Sphinx, config: Config) -> None:
    edition(config)
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    options = config.html_theme_options
    items = options.get("article_header_end", ["article-header-buttons.html"])
    if isinstance(items, str):
        items = [item.strip() for item in items.split(",") if item.strip()]
    if SWITCH_TEMPLATE not in items:
        options["article_header_end"] = [SWITCH_TEMPLATE, *items]
    # Jupyter Book sets the search box's placeholder as a theme option ("Search this book...").
    if isinstance(options.get("search_bar_text"), str):
        options["search_bar_text"] = locale.get_translation("sphinx")(options["search_bar_text"])


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    lang = edition(app.config)
    other, url = twin_url(lang, pagename, app.builder.out_suffix)
    context.update(gbg_twin_lang=other, gbg_twin_url=url, gbg_twin_label=EDITIONS[other][1],
                   gbg_twin_title=SWITCH_TITLE[lang])
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{other}" href="{url}">')


def _theme_catalog_first(app: Sphinx, config: Config) -> None:
    """Our `booktheme.po` before sphinx-book-theme's (loaded when the theme was set up)."""
    lang = edition(config)
    if lang == "en":
        return
    repo = CatalogRepository(app.srcdir, config.locale_dirs, lang, config.source_encoding)
    ours = [c for c in repo.catalogs if c.domain == THEME_CATALOG]
    if not ours:
        return
    for catalog in ours:
        if catalog.is_outdated():
            catalog.write_mo(lang)
    key = ("general", THEME_CATALOG)
    theirs = locale.translators.get(key)
    with open(ours[0].mo_path, "rb") as fh:
        translator = gettext.GNUTranslations(fh)
    if theirs is not None:
        translator.add_fallback(theirs)
    locale.translators[key] = translator


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_switch_to_header)
    app.connect("config-inited", _theme_catalog_first)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
