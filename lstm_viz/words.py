"""The words figures and widgets show, in the reader's language (catalog ``figures``).

- ``tr(text, **fields)``: ``text`` looked up in the ``figures`` catalog of
  :func:`gbg_i18n.language` (``GBG_LANG``), then ``str.format``-ed with
  ``fields``. Every word the draw and widget code writes goes through it;
  ``N_(text)`` marks a constant that is looked up later.
- Text a caller hands in (a chapter's own title or legend labels, or a
  whole figure a chapter draws with plain matplotlib) is translated when the
  figure is drawn: :func:`install` (run by ``import lstm_viz`` when the
  language is not English) hooks ``Figure.draw``, and :func:`translate`
  maps each text artist's string through the catalog, also the ones with
  fields (``"gain {gain}"`` matches ``"gain 0.5"``).
- The Korean font: matplotlib's default font has no Hangul, so
  :func:`use_font` registers NanumGothic from the pinned PyPI package
  ``koreanize-matplotlib`` (its TTF files only; the package's module, which
  changes matplotlib's settings on import, is never imported) as the fallback
  font after DejaVu Sans, which keeps the numbers and symbols (−, ‖, σ, ⊙).

Which strings exist is :func:`messages` (``lstm_viz.i18n_extract``); the
catalog is brought up to date by ``python -m lstm_viz.i18n_extract``.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

import gbg_i18n

__all__ = ["DOMAIN", "FONT_FAMILY", "tr", "N_", "translate", "translate_figure", "install",
           "use_font", "font_files"]

DOMAIN = "figures"
#: The Korean figure font, as matplotlib names it.
FONT_FAMILY = "NanumGothic"
_FONT_PACKAGE = "koreanize_matplotlib"
#: Regular (400), bold (600) and extra bold (700, what matplotlib's "bold" asks for).
_FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf", "NanumGothicExtraBold.ttf")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def N_(text: str) -> str:
    """Marks ``text`` as a figure string to be looked up later with ``tr``; returns it unchanged."""
    return text


def tr(text: str, lang: str | None = None, **fields) -> str:
    """``text`` in the reader's language, its ``{fields}`` filled in."""
    return gbg_i18n.translate(DOMAIN, text, lang, **fields)


@functools.lru_cache(maxsize=None)
def _patterns(lang: str) -> list:
    """(regex, msgstr) for every translated catalog entry with fields, longest literal first."""
    from babel.messages.pofile import read_po

    path = gbg_i18n.catalog_path(DOMAIN, lang)
    if not path.exists():
        return []
    with path.open("rb") as fh:
        cat = read_po(fh)
    out = []
    for m in cat:
        # Texts with math are looked up whole (their braces are LaTeX, not fields).
        if (not (m.id and isinstance(m.id, str) and m.string) or m.fuzzy or "$" in m.id
                or not _FIELD.search(m.id)):
            continue
        parts, last = [], 0
        for f in _FIELD.finditer(m.id):
            parts.append(re.escape(m.id[last:f.start()]))
            parts.append(f"(?P<{f[1]}>.+?)")
            last = f.end()
        parts.append(re.escape(m.id[last:]))
        out.append((re.compile("".join(parts) + r"\Z", re.S), m.string, len(_FIELD.sub("", m.id))))
    out.sort(key=lambda p: -p[2])
    return [(rx, msgstr) for rx, msgstr, _ in out]


def translate(text: str, lang: str | None = None) -> str:
    """A drawn string in ``lang``: its catalog entry, or an entry with fields that matches it
    (the fields' values translated too where the catalog has them); else ``text``."""
    lang = gbg_i18n.language(lang)
    core = text.strip()
    if lang == "en" or not core:
        return text
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    exact = gbg_i18n.gettext(DOMAIN, core, lang)
    if exact != core:
        return lead + exact + trail
    for rx, msgstr in _patterns(lang):
        m = rx.match(core)
        if m:
            values = {k: gbg_i18n.gettext(DOMAIN, v, lang) for k, v in m.groupdict().items()}
            return lead + msgstr.format(**values) + trail
    return text


def translate_figure(fig, lang: str | None = None) -> int:
    """Translates every text artist of ``fig`` in place; returns how many changed."""
    from matplotlib.text import Text

    if gbg_i18n.language(lang) == "en":
        return 0
    changed = 0
    for art in fig.findobj(Text):
        s = art.get_text()
        t = translate(s, lang) if isinstance(s, str) else s
        if t != s:
            art.set_text(t)
            changed += 1
        if _HANGUL.search(t):
            family = list(art.get_fontfamily())
            if "$" in t:  # mathtext sets the words of a text with $math$ in the first font alone
                art.set_fontfamily([FONT_FAMILY] + [f for f in family if f != FONT_FAMILY])
            elif FONT_FAMILY not in family:  # a family of its own (monospace): Hangul falls back
                art.set_fontfamily(family + [FONT_FAMILY])
    return changed


def font_files() -> list[Path]:
    """The Korean TTF files (from the installed ``koreanize-matplotlib``); a clear error if missing."""
    spec = importlib.util.find_spec(_FONT_PACKAGE)  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the Korean figure font is missing: the package koreanize-matplotlib "
                           "(pinned in constraints.txt) is not installed; run make install")
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    files = [folder / name for name in _FONT_FILES]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise RuntimeError(f"the Korean figure font files are missing: {', '.join(missing)}")
    return files


@functools.lru_cache(maxsize=None)
def _register_font() -> None:
    from matplotlib import font_manager

    for path in font_files():
        font_manager.fontManager.addfont(str(path))


def use_font() -> str:
    """Registers NanumGothic with matplotlib as the fallback after DejaVu Sans for Hangul."""
    import matplotlib

    _register_font()
    # The fallback for Hangul: numbers, symbols and the minus sign keep DejaVu Sans (NanumGothic
    # has no U+2212, which log axes write in mathtext). A text mixing Hangul and $math$ gets
    # NanumGothic first from translate_figure, since mathtext uses a family's first font alone.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", FONT_FAMILY]
    return FONT_FAMILY


_installed = False


def install(lang: str | None = None) -> bool:
    """When ``lang`` (default ``GBG_LANG``) is not English: the Korean font, and every figure's
    texts translated as it is drawn. Idempotent; returns whether the hook is on."""
    global _installed
    if gbg_i18n.language(lang) == "en":
        return False
    use_font()
    if not _installed:
        from matplotlib.figure import Figure

        original = Figure.draw

        @functools.wraps(original)
        def draw(self, renderer, *args, **kwargs):
            translate_figure(self)
            return original(self, renderer, *args, **kwargs)

        Figure.draw = draw
        _installed = True
    return True
