"""The documents listed in the book's table of contents (shared by the book tests)."""
from __future__ import annotations

from pathlib import Path

import yaml

TOC_PATH = Path(__file__).resolve().parents[1] / "_toc.yml"


def toc_files(toc_path: Path = TOC_PATH) -> list[str]:
    """Every document of ``_toc.yml``, root first, as written there (``book/ch01_rnn``)."""
    if not toc_path.is_file():
        raise FileNotFoundError(f"table of contents missing: {toc_path}")
    toc = yaml.safe_load(toc_path.read_text())
    files: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return files
