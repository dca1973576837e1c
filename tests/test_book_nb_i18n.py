"""book/_ext/gbg_nb_i18n.py on a small notebook site built here with real Sphinx and myst-nb:
glue roles inside a translated paragraph show their values in the Korean build (warnings
are errors), and no cell output enters the extracted catalog while prose and glue-role
paragraphs do.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "book" / "_ext"

PAGE = '''---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Glued numbers

```{code-cell} ipython3
from IPython.display import Markdown, display
from myst_nb import glue
glue("answer", 41.987, display=False)
glue("reading", Markdown("**well above** the baseline"), display=False)
print("An English line the code printed")
display(Markdown("| run | score |\\n| --- | --- |\\n| seed zero | 17 |\\n\\nWhat this run shows: nothing new."))
```

The answer is {glue:text}`answer:.2f`, which is {glue:md}`reading`.

Unrounded, it is {glue}`answer`.

A plain paragraph of prose.
'''

CATALOG = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Glued numbers"
msgstr "붙인 숫자"

msgid "The answer is {glue:text}`answer:.2f`, which is {glue:md}`reading`."
msgstr "답은 {glue:text}`answer:.2f`이며, 이는 {glue:md}`reading`입니다."

msgid "Unrounded, it is {glue}`answer`."
msgstr "반올림하지 않으면 {glue}`answer`입니다."

msgid "A plain paragraph of prose."
msgstr "평범한 문단입니다."
'''


def _site(root: Path) -> Path:
    src = root / "src"
    (src / "locale" / "ko" / "LC_MESSAGES").mkdir(parents=True)
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(EXT)!r})\n"
        "extensions = ['myst_nb', 'gbg_nb_i18n']\n"
        "html_theme = 'basic'\nlocale_dirs = ['locale']\ngettext_compact = False\n"
        # As the book does: the notebook runs once, its outputs cached for the other build.
        f"nb_execution_mode = 'cache'\nnb_execution_cache_path = {str(root / 'jupyter_cache')!r}\n"
        "nb_merge_streams = True\n"
        "myst_enable_extensions = []\n")
    (src / "index.md").write_text(PAGE)
    (src / "locale" / "ko" / "LC_MESSAGES" / "index.po").write_text(CATALOG, encoding="utf-8")
    return src


def _build(src: Path, out: Path, builder: str, *options: str) -> subprocess.CompletedProcess:
    # One Sphinx per process: Sphinx (and these patches) change module globals.
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going",
                             "-q", *options, str(src), str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{builder} build failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb-i18n")
    return root, _site(root)


def test_glue_roles_show_their_values_in_a_translated_paragraph(site):
    root, src = site
    result = _build(src, root / "ko", "html", "-D", "language=ko")
    assert "glue data" not in result.stderr, result.stderr
    text = re.sub(r"<[^>]+>", "", (root / "ko" / "index.html").read_text(encoding="utf-8"))
    assert "답은 41.99이며, 이는 well above the baseline입니다." in re.sub(r"\s+", " ", text), text
    assert "반올림하지 않으면 41.987입니다." in text
    assert "평범한 문단입니다." in text
    # the outputs stand as the code wrote them
    assert "An English line the code printed" in text and "seed zero" in text


def test_cell_outputs_stay_out_of_the_catalog(site):
    root, src = site
    _build(src, root / "pot", "gettext")
    pot = (root / "pot" / "index.pot").read_text(encoding="utf-8")
    msgids = re.findall(r'^msgid "(.+)"$', pot, flags=re.M)
    assert "The answer is {glue:text}`answer:.2f`, which is {glue:md}`reading`." in msgids
    assert "Unrounded, it is {glue}`answer`." in msgids
    assert "A plain paragraph of prose." in msgids and "Glued numbers" in msgids
    leaked = [m for m in msgids if any(w in m for w in ("seed zero", "score", "What this run", "English line"))]
    assert not leaked, f"cell outputs in the catalog: {leaked}"
