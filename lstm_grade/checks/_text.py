"""Every text a check shows, in the student's language (gettext domain ``checks``).

Two kinds of text go through here:

* message templates written in the code, ``say("{part} is None: did you forget `return`?", part=part)``:
  the English template is looked up in the catalog, then filled;
* texts kept as data (the misconception table, each wrong variant's
  ``says``, each function's ``hint``, each quiz answer's explanation), which
  stay English where they are defined and are looked up with ``tr(text)``
  when shown.

The language is ``gbg_i18n.language()`` at the moment of the call
(``GBG_LANG``: a Korean notebook's setup cell sets it; the grading worker
sets it for each job from the notebook it grades). Tags
(``[misconception: id]``) and ids are never translated. ``catalog_messages()``
(``lstm_grade.checks._catalog``) lists every text, for ``gbg_i18n.update``.
"""
from __future__ import annotations

import gbg_i18n

__all__ = ["DOMAIN", "say", "tr", "UNTRANSLATED"]

DOMAIN = "checks"

#: English texts asked for in another language that the catalog lacks (the tests require none).
UNTRANSLATED: set[str] = set()


def tr(text: str) -> str:
    """``text`` (an English text kept as data) in the current language."""
    lang = gbg_i18n.language()
    if lang == "en" or not text:
        return text
    out = gbg_i18n.gettext(DOMAIN, text, lang)
    if out == text and not gbg_i18n.has_translation(DOMAIN, text, lang):  # not merely the same words
        UNTRANSLATED.add(text)
    return out


def say(template: str, /, **fields) -> str:
    """The message ``template`` in the current language, filled with ``fields`` (``str.format``)."""
    return tr(template).format(**fields)
