"""The book's prose word count (tests/book_words.py) and its floor."""
from __future__ import annotations

import pytest

from book_words import BOOK_FLOOR, count_words, page_words

# The lead sets this to True at merge, when every engineer's chapters are in.


def test_counter_skips_code_math_front_matter_and_directives():
    page = """---
jupytext:
  format_name: myst
---

# A title here

One two three $x_t$ four `code here` {doc}`ch01_rnn` five [six](http://x).

```{code-cell} ipython3
:tags: [remove-input]
words in code do not count
```

```{math}
:label: eq-x
h_t = \\tanh(x)
```

```{explainer} forget-gate
not prose either
```

:::{admonition} Exercise seven
:class: tip
Eight nine.
:::

| ten | eleven |
| --- | --- |
| twelve | $z$ |
"""
    assert count_words(page) == 3 + 6 + 2 + 2 + 3


def test_every_page_has_prose():
    words = page_words()
    assert words and all(n > 0 for n in words.values()), words


def test_the_book_reaches_its_prose_floor():
    words = page_words()
    total = sum(words.values())
    assert total >= BOOK_FLOOR, f"{total} words of prose, floor {BOOK_FLOOR}: {words}"
