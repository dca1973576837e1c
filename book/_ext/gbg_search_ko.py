"""Korean full-text search for the Korean edition (Sphinx has none, and falls back to
splitting on spaces, so a page writing 게이트는 never matched a search for 게이트).

Indexing (Python): text with Hangul is split into morphemes by the Kiwi analyser
(`kiwipiepy`); the index gets each word's content morphemes (nouns, verb and
adjective stems, roots, adverbs, Latin words, numbers), and each word without its
particles and endings (은닉상태를 -> 은닉상태, 은닉, 상태), never the particles themselves.
Latin words are stemmed as the English edition stems them (Porter), so
`forget gate` in parentheses is found too.

Searching (JavaScript, `_static/language_data.js`): a query word that is no term of
the index loses its trailing particle (josa: 게이트는, 게이트가, 게이트를 -> 게이트),
the longest one whose remainder is a term; Latin words go through the Porter stemmer.
"""
from __future__ import annotations

import functools
import itertools
import json
import re

from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish, js_porter_stemmer

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Kiwi's tags worth finding (Sejong tag set): general and proper nouns, numerals,
# verb and adjective stems, roots, general adverbs, Latin letters, Chinese characters, numbers.
CONTENT_TAGS = {"NNG", "NNP", "NR", "VV", "VA", "XR", "MAG", "SL", "SH", "SN"}
# What a compound word is made of, before its particles and endings (은닉상태를 -> 은닉상태).
WORD_BODY_TAGS = {"NNG", "NNP", "NR", "XR", "XPN", "XSN", "SL", "SH", "SN"}

# Particles (josa) and the copula's common forms a query word may end with, longest first.
JOSA = sorted(set("""
    은 는 이 가 을 를 의 에 로 도 만 와 과 나 랑 야 요 께
    으로 에서 에게 한테 께서 까지 부터 마다 처럼 보다 하고 이나 이며 이란 이라 라고 라는
    에는 에도 에만 에서는 에서도 에서의 으로는 으로도 으로서 으로써 로서 로써 로는 로도
    와는 과는 와의 과의 만큼 밖에 조차 마저 이라는 이라고 에게서 한테서 으로부터 로부터
    이다 입니다 이고 이었다 였다 이며 처럼 의는 보다는
""".split()), key=len, reverse=True)

JS_STEMMER = js_porter_stemmer.replace("var Stemmer = function", "var PorterStemmer = function", 1) + """
/**
 * Korean query words: drop a trailing particle (josa) so that 게이트는 finds 게이트.
 * The index (Search._index, loaded before any query) decides: a word that is a
 * term stays; otherwise the longest particle whose remainder is a term goes;
 * otherwise the longest particle goes anyway (the remainder may still match part
 * of a term). Words without Hangul are stemmed as in English.
 */
var GBG_JOSA = %s;
var Stemmer = function() {
  const porter = new PorterStemmer();
  const hangul = /[\\uac00-\\ud7a3]/;
  const indexed = (w) => {
    const index = (typeof Search !== 'undefined' && Search._index) || {};
    return Boolean((index.terms && Object.prototype.hasOwnProperty.call(index.terms, w)) ||
                   (index.titleterms && Object.prototype.hasOwnProperty.call(index.titleterms, w)));
  };
  this.stemWord = function(w) {
    if (!hangul.test(w)) return porter.stemWord(w);
    if (indexed(w)) return w;
    let fallback = w;
    for (const josa of GBG_JOSA) {
      if (w.length > josa.length && w.endsWith(josa)) {
        const rest = w.slice(0, -josa.length);
        if (indexed(rest)) return rest;
        if (fallback === w) fallback = rest;
      }
    }
    return fallback;
  };
};
""" % json.dumps(JOSA, ensure_ascii=False)

if "var PorterStemmer = function" not in JS_STEMMER:  # Sphinx changed its English stemmer's source
    raise ImportError("gbg_search_ko: Sphinx's js_porter_stemmer no longer defines `var Stemmer = function`")


@functools.lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi
    return Kiwi()


def korean_words(text: str) -> list[str]:
    """The index words of a Korean text (see the module docstring), in order of occurrence."""
    words: list[str] = []
    tokens = _kiwi().tokenize(text)
    for _, word in itertools.groupby(tokens, key=lambda t: (t.sent_position, t.word_position)):
        word = list(word)
        words += [t.form for t in word if t.tag in CONTENT_TAGS]
        body = list(itertools.takewhile(lambda t: t.tag in WORD_BODY_TAGS, word))
        if len(body) > 1:  # a compound: also the whole of it (Kiwi's offsets index `text`)
            words.append(text[body[0].start:body[-1].start + body[-1].len])
    return words


class SearchKorean(SearchEnglish):
    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = JS_STEMMER

    def split(self, input: str) -> list[str]:
        if not HANGUL.search(input):
            return super().split(input)
        return korean_words(input)

    def stem(self, word: str) -> str:
        # Korean index words are already base forms (Kiwi); Latin ones are stemmed as in English.
        return word.lower() if HANGUL.search(word) else super().stem(word)


def setup(app: Sphinx) -> dict:
    app.add_search_language(SearchKorean)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
