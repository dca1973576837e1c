"""How the Korean edition is configured and built (scripts/build_book.py): no build needed."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import build_book  # noqa: E402


@pytest.fixture(scope="module")
def configs():
    english = build_book.load_config()
    return english, build_book.korean_config(english)


def test_the_korean_config_is_the_english_one_with_language_ko(configs):
    english, korean = configs
    assert korean["sphinx"]["config"]["language"] == "ko"
    assert "language" not in english["sphinx"]["config"], "the English edition must not set a language"
    # Everything else the same, but for the few keys the Korean edition changes.
    changed = {("title",), ("execute", "cache"), ("html", "extra_footer"), ("sphinx", "config", "language"),
               ("sphinx", "local_extensions")}

    def flat(d, prefix=()):
        for k, v in d.items():
            if isinstance(v, dict) and prefix + (k,) not in changed:
                yield from flat(v, prefix + (k,))
            else:
                yield prefix + (k,), v

    en, ko = dict(flat(english)), dict(flat(korean))
    assert {k for k in en.keys() | ko.keys() if en.get(k) != ko.get(k)} <= changed


def test_the_korean_notebooks_have_their_own_cache(configs):
    english, korean = configs
    cache = Path(korean["execute"]["cache"])
    assert cache.is_absolute() and cache != REPO / english["execute"]["cache"]
    # Inside the English cache folder: `make build`'s staleness rule removes both with it.
    assert cache.parent == REPO / english["execute"]["cache"]
    makefile = (REPO / "Makefile").read_text()
    stale = re.search(r"^\.jupyter_cache/\.packages-stamp:.*\n\trm -rf (.*)$", makefile, re.MULTILINE)
    assert stale and "_build/ko" in stale.group(1).split() and ".jupyter_cache" in stale.group(1).split()


def test_the_korean_title_and_footer_come_from_the_site_catalog(configs):
    english, korean = configs
    assert re.search(r"[\uac00-\ud7a3]", korean["title"]) and korean["title"] != english["title"]
    assert re.search(r"[\uac00-\ud7a3]", korean["html"]["extra_footer"])
    import gbg_i18n
    assert gbg_i18n.problems(gbg_i18n.catalog_path(build_book.SITE_DOMAIN, "ko")) == []
    catalog = gbg_i18n.catalog_path(build_book.SITE_DOMAIN, "ko").read_text(encoding="utf-8")
    for text, _where in build_book.site_strings(english):
        assert f'msgid "{text}"' in catalog, f"{text!r} is missing from the site catalog (make i18n-update)"


def test_extensions_resolve_from_the_written_korean_config(configs):
    _, korean = configs
    for name, folder in korean["sphinx"]["local_extensions"].items():
        assert Path(folder).is_absolute() and (Path(folder) / f"{name}.py").is_file(), name
    assert {"gbg_site_i18n", "gbg_search_ko"} <= set(korean["sphinx"]["extra_extensions"])


def test_make_build_builds_both_editions():
    makefile = (REPO / "Makefile").read_text()
    recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "scripts/build_book.py" in recipe and "--lang" not in recipe
    assert build_book.OUTPUT["ko"] == build_book.OUTPUT["en"] / "ko"


def test_the_analyser_is_pinned():
    pyproject = (REPO / "pyproject.toml").read_text()
    constraints = (REPO / "constraints.txt").read_text().splitlines()
    for package in ("kiwipiepy", "kiwipiepy-model"):
        pin = re.search(rf'"{package}==([\d.]+)"', pyproject)
        assert pin, f"{package} is not pinned in pyproject.toml"
        normal = package.replace("-", "_")
        assert any(re.fullmatch(rf"{re.escape(n)}=={re.escape(pin.group(1))}", line)
                   for line in constraints for n in (package, normal)), f"{package} not in constraints.txt"


def test_an_inconsistent_translation_names_its_catalog_entry(tmp_path):
    """Sphinx names the English page's line; the build names the catalog line to fix."""
    page = "book/ch04_forget_gate"
    catalog = REPO / "book" / "locale" / "ko" / "LC_MESSAGES" / f"{page}.po"
    location = next(line for line in catalog.read_text(encoding="utf-8").splitlines()
                    if line.startswith("#:") and f"{page}.md:" in line)
    number = location.rsplit(":", 1)[1].split()[0]
    warning = (f"\x1b[91m{REPO / page}.md:{number}: WARNING: inconsistent references in translated message."
               " original: [':ref:`ch05`'], translated: [] [i18n.inconsistent_references]\x1b[39;49;00m\n")
    hints = build_book.translation_hints("reading sources...\n" + warning)
    assert len(hints) == 1
    entry = catalog.read_text(encoding="utf-8").splitlines().index(location) + 1
    assert hints[0].startswith(f"book/locale/ko/LC_MESSAGES/{page}.po:{entry} "), hints[0]
    assert "inconsistent references" in hints[0]
