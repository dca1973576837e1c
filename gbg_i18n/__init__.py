"""Translations of the text the course generates, and the rules every catalog follows.

The book's prose is translated by Sphinx's own gettext machinery
(``book/locale/ko/LC_MESSAGES/book/*.po``, updated by ``sphinx-intl``). Text
that code writes (words in figures, quiz questions, the live explainers'
interface, check messages, misconception explanations, hints and the
exercise notebooks' prose) is translated by the catalogs in
``gbg_i18n/locale/<lang>/LC_MESSAGES/<domain>.po``, one domain per kind of
text (a domain may have a folder part, ``"assignments/ch04_forget_gate"``, so
that each notebook has a catalog of its own). Both are plain gettext catalogs, so both obey one rule: when an
English string changes, :func:`update` keeps its old translation but marks it
fuzzy, and :func:`problems` (which the tests call on every catalog) reports
it until a translator has looked at it again.

Which language code runs in is :func:`language`: the ``GBG_LANG``
environment variable (``make build`` sets it for the Korean edition's
kernels), ``"en"`` when unset.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Iterable

__all__ = ["LANGUAGES", "language", "gettext", "translate", "has_translation", "catalog_path",
           "update", "refresh", "problems", "placeholders"]

LANGUAGES = ("en", "ko")
LOCALE = Path(__file__).resolve().parent / "locale"
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
# Braces that are not fields: LaTeX arguments (``\text{against}``) and whatever
# sits inside inline math (``$x_{t}$``); both are removed before looking for fields.
_NOT_FIELDS = re.compile(r"\$[^$]*\$|\\[A-Za-z]+\*?\{[^{}]*\}")


def language(lang: str | None = None) -> str:
    """``lang`` if given, else ``$GBG_LANG``, else ``"en"``; refuses a language the course lacks."""
    value = lang if lang is not None else os.environ.get("GBG_LANG", "en") or "en"
    if value not in LANGUAGES:
        raise ValueError(f"language: expected one of {', '.join(LANGUAGES)}, got {value!r} "
                         "(from GBG_LANG)" if lang is None else
                         f"language: expected one of {', '.join(LANGUAGES)}, got {value!r}")
    return value


def catalog_path(domain: str, lang: str) -> Path:
    """Where the catalog of ``domain`` (``"figures"``, ``"checks"``, ...) in ``lang`` lives."""
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.lru_cache(maxsize=None)
def _translations(domain: str, lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = catalog_path(domain, lang)
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh)
    # A fuzzy entry is a translation of an older English text: never shown.
    return {m.id: m.string for m in cat
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def gettext(domain: str, msgid: str, lang: str | None = None) -> str:
    """The translation of ``msgid`` in ``lang`` (default :func:`language`), else ``msgid``.

    English needs no catalog. A missing or fuzzy translation falls back to
    the English text (the tests make sure none is missing).
    """
    lang = language(lang)
    if lang == "en":
        return msgid
    return _translations(domain, lang).get(msgid) or msgid


def translate(domain: str, text: str, lang: str | None = None, **fields) -> str:
    """:func:`gettext` of ``text`` with its ``{fields}`` filled in (the numbers are never
    part of the text to translate)."""
    out = gettext(domain, text, lang)
    return out.format(**fields) if fields else out


def has_translation(domain: str, msgid: str, lang: str | None = None) -> bool:
    """Whether the catalog of ``domain`` holds a current (not fuzzy) translation of
    ``msgid``; English always does. Tells "translated as the same words" (``float32``)
    from "missing"."""
    lang = language(lang)
    return lang == "en" or msgid in _translations(domain, lang)


def placeholders(text: str) -> list[str]:
    """The ``str.format`` fields of ``text``, sorted (a translation must keep every one)."""
    return sorted(_PLACEHOLDER.findall(_NOT_FIELDS.sub(" ", text)))


def update(domain: str, messages: Iterable[tuple[str, str]], lang: str = "ko") -> Path:
    """Bring the catalog of ``domain`` in line with ``messages`` (pairs of English text and source location).

    New texts get an empty translation; a text whose English changed keeps
    the old translation marked fuzzy (Babel's matching of the closest old
    text); texts no longer used are dropped. Returns the catalog's path.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="Gate by Gate", domain=domain)
    for msgid, where in messages:
        if not isinstance(msgid, str) or not msgid.strip():
            raise ValueError(f"{domain}: an empty text to translate at {where}")
        existing = template.get(msgid)
        if existing is None:
            template.add(msgid, locations=[(where, None)])
        elif (where, None) not in existing.locations:
            existing.locations.append((where, None))
    path = catalog_path(domain, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    import io

    old = path.read_bytes() if path.exists() else None
    if old is not None:
        cat = read_po(io.BytesIO(old), locale=lang)
        kept_date = cat.creation_date
        cat.update(template, no_fuzzy_matching=False)
        cat.obsolete.clear()
        cat.creation_date = kept_date  # a catalog whose texts did not change stays byte-identical
    else:
        cat = Catalog(locale=lang, project="Gate by Gate", domain=domain)
        cat.update(template)
    out = io.BytesIO()
    write_po(out, cat, width=0, omit_header=False, sort_output=False, include_previous=True)
    if out.getvalue() != old:
        path.write_bytes(out.getvalue())
    _translations.cache_clear()
    return path


def refresh(domain: str, messages: list[tuple[str, str]], lang: str = "ko") -> int:
    """:func:`update` the catalog of ``domain`` and print what is left to translate or
    check; the command line of every extraction (``python -m lstm_viz.i18n_extract``, ...)."""
    path = update(domain, messages, lang)
    left = problems(path)
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(f"{shown}: {len({m for m, _ in messages})} texts, {len(left)} to translate or check")
    for line in left:
        print("  " + line)
    return len(left)


def problems(path: str | Path) -> list[str]:
    """What keeps the catalog at ``path`` from being complete: each entry that is
    untranslated, fuzzy (its English changed since it was translated), or drops
    a ``{placeholder}`` of its English text (a ``str.format`` field of a
    message, or a MyST role such as ``{ref}`` in the book's prose). Empty when the catalog is done."""
    from babel.messages.pofile import read_po

    path = Path(path)
    with path.open("rb") as fh:
        cat = read_po(fh)
    out = []
    for m in cat:
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        msgstr = m.string if isinstance(m.string, str) else (m.string[0] if m.string else "")
        short = msgid.replace("\n", " ")[:70]
        where = f"{path.name}:{m.lineno}"
        if not msgstr:
            out.append(f"{where}: untranslated: {short!r}")
        elif m.fuzzy:
            out.append(f"{where}: fuzzy (the English changed since it was translated): {short!r}")
        elif placeholders(msgid) != placeholders(msgstr):
            out.append(f"{where}: the translation drops or adds a {{placeholder}}: {short!r}")
    return out

