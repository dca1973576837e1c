"""`make i18n-update`: bring the Korean catalogs in line with the English text.

1. Extracts the book's English prose (Sphinx's gettext builder through Jupyter Book,
   nothing executed) into `_build/gettext/<page>.pot`, one file per page. What code
   cells print is not in it: the Korean kernels print that in Korean themselves
   (gbg_i18n under GBG_LANG=ko), so entries for printed text (results tables,
   sentences computed from a run) in a catalog extracted from executed pages become
   obsolete (`#~`) at the first update.
2. Rewrites the location comments relative to the repository (`#: book/ch04_forget_gate.md:12`;
   Sphinx writes them relative to its output folder), in every catalog.
3. `sphinx-intl update`: each `book/locale/ko/LC_MESSAGES/<page>.po` gets the new
   paragraphs with an empty translation, and a paragraph whose English changed keeps
   its old translation marked `#, fuzzy`, until a translator has checked it against
   the new English and removed the mark.
4. The site strings of `_config.yml` (title, footer) in gbg_i18n's catalog `site`.

Then lists what is left to translate. `--root` runs it on another copy of the book
(the tests use a scratch one).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_book  # noqa: E402  (the same build settings as the site)

LOCATION = re.compile(r"^#: (.*)$", re.MULTILINE)
LINE_WIDTH = 76  # sphinx-intl's default, as the catalogs were first written


def clean_locations(pot_dir: Path, root: Path) -> None:
    """Every `#: path:line` of the .pot files in `pot_dir` made relative to `root`."""
    def fix(token: str) -> str:
        path, sep, line = token.rpartition(":") if re.search(r":\d+$", token) else (token, "", "")
        target = (pot_dir / path).resolve()
        try:
            return target.relative_to(root.resolve()).as_posix() + sep + line
        except ValueError:  # outside the book (a theme template): left as Sphinx wrote it
            return token

    for pot in pot_dir.rglob("*.pot"):
        text = pot.read_text(encoding="utf-8")
        fixed = LOCATION.sub(lambda m: "#: " + " ".join(fix(t) for t in m.group(1).split()), text)
        if fixed != text:
            pot.write_text(fixed, encoding="utf-8")


def update(root: Path = build_book.REPO, lang: str = "ko") -> list[Path]:
    """Steps 1-3 for the book at `root`; returns the page catalogs of `lang`."""
    from sphinx_intl import basic

    pot_dir = build_book.extract(root)
    clean_locations(pot_dir, root)
    locale_dirs = build_book.load_config(root)["sphinx"]["config"]["locale_dirs"]
    locale_dir = root / locale_dirs[0]
    basic.update(str(locale_dir), str(pot_dir), (lang,), line_width=LINE_WIDTH, jobs=1)
    catalogs = locale_dir / lang / "LC_MESSAGES"
    for pot in sorted(pot_dir.rglob("*.pot")):
        follow_locations(catalogs / pot.relative_to(pot_dir).with_suffix(".po"), pot)
    return sorted(catalogs.rglob("*.po"))


def follow_locations(po: Path, pot: Path) -> None:
    """The location comments of `po` as in `pot` (sphinx-intl rewrites a catalog only when
    its messages changed, so lines that moved, or old-style paths, would stay)."""
    from sphinx_intl import catalog as c

    cat, source = c.load_po(str(po)), c.load_po(str(pot))
    changed = False
    for message in cat:
        new = source.get(message.id) if message.id else None
        if new is not None and message.locations != new.locations:
            message.locations = list(new.locations)
            changed = True
    if changed:
        c.dump_po(str(po), cat, width=LINE_WIDTH)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=build_book.REPO, help="the book (default: this repository)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    catalogs = update(root)
    import gbg_i18n
    if root == build_book.REPO:
        catalogs.append(gbg_i18n.update(build_book.SITE_DOMAIN, build_book.site_strings(build_book.load_config())))
    left = {path: gbg_i18n.problems(path) for path in catalogs}
    for path, problems in left.items():
        if problems:
            print(f"{path.relative_to(root) if path.is_relative_to(root) else path}: "
                  f"{len(problems)} entries to translate or check (untranslated or #, fuzzy)")
    print(f"{sum(map(len, left.values()))} entries to translate or check in {len(catalogs)} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
