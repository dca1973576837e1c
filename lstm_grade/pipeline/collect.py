"""Import a class's submissions into an nbgrader ``submitted/`` folder.

Input is a folder laid out ``<student>/<assignment>/<assignment>.ipynb``, or a
zip of that folder, or an LMS download zip of flat files named like
``<student>_..._<assignment>.ipynb`` (handed to nbgrader's ``zip_collect``).
Every (student, assignment) pair ends up either copied to
``<out>/submitted/<student>/<assignment>/`` or reported as an ``Issue``
(corrupt, missing); a bad submission never stops the others.
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import NamedTuple

import nbformat

from . import language, status

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_FOLDER_BYTES = 50 * 1024 * 1024
JUNK = {"__MACOSX", ".DS_Store", ".ipynb_checkpoints", "Thumbs.db"}


class Issue(NamedTuple):
    """A problem found while collecting; ``status`` is one of ``status.ALL`` or
    ``"unexpected"`` (reported in the summary, no CSV row)."""
    student: str
    assignment: str
    status: str
    detail: str


class Collected(NamedTuple):
    """What ``collect_folder`` found: submissions copied, problems reported."""
    students: list[str]
    assignments: list[str]
    submitted: list[tuple[str, str]]   # (student, assignment) copied to submitted/
    issues: list[Issue]


def check_notebook(path: Path) -> str | None:
    """Return ``None`` if ``path`` is a readable notebook (nbformat 4, or 3, which
    ``collect_folder`` converts), else why not."""
    if path.is_symlink():
        return "the notebook is a symbolic link"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return f"the notebook is {size} bytes (limit {MAX_NOTEBOOK_BYTES})"
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return f"invalid JSON: {err}"
    if isinstance(raw, dict) and raw.get("nbformat") == 3 and "worksheets" in raw:
        return None  # nbformat 3: ``copy_notebook`` converts it
    if not isinstance(raw, dict) or "cells" not in raw:
        return "valid JSON but not a notebook (no 'cells')"
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several unrelated types
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return f"not a valid notebook: {first_line}"
    return None


def _as_version_4(path: Path) -> str | None:
    """Rewrite an nbformat-3 notebook at ``path`` as nbformat 4 (nbgrader reads only 4)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("nbformat") != 3:
            return None
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
        nbformat.write(nb, str(path))
    except Exception as err:  # nbformat raises several unrelated types
        return f"an nbformat 3 notebook that could not be converted to nbformat 4: {err}"
    return None


def _children(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name not in JUNK and not p.name.startswith("."))


def find_assignments(root: Path, known: list[str]) -> tuple[list[str], list[str]]:
    """Assignments named by ``<student>/<assignment>`` folders under ``root``.

    Returns ``(found, unknown)``: known assignment names present (in the order
    of ``known``) and folder names that match no known assignment.
    """
    seen: set[str] = set()
    for student in _children(root):
        if student.is_dir() and not student.is_symlink():
            seen.update(p.name for p in _children(student) if p.is_dir())
    return [a for a in known if a in seen], sorted(seen - set(known))


def _copy_submission(src: Path, dest: Path) -> str | None:
    files = [p for p in src.rglob("*") if p.is_file() and not p.is_symlink()
             and not any(part in JUNK for part in p.relative_to(src).parts)]
    total = sum(p.stat().st_size for p in files)
    if total > MAX_FOLDER_BYTES:
        return f"the submission folder holds {total} bytes (limit {MAX_FOLDER_BYTES})"
    for p in files:
        target = dest / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)
    return None


def collect_folder(root: Path, out_dir: Path, assignments: list[str]) -> Collected:
    """Copy valid submissions under ``root`` to ``out_dir/submitted``.

    ``root`` holds one folder per student, each with one folder per
    assignment holding ``<assignment>.ipynb``. Every student gets one entry per
    assignment in ``assignments``: copied, or an ``Issue`` (missing, corrupt).
    """
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"submissions: expected a folder or a .zip file, got {root}")
    submitted_dir = Path(out_dir) / "submitted"
    students, submitted, issues = [], [], []
    for entry in _children(root):
        if not entry.is_dir() or entry.is_symlink():
            issues.append(Issue(entry.name, "", "unexpected",
                                "a file at the top level (expected one folder per student)"))
            continue
        if not SAFE_ID.match(entry.name):
            issues.append(Issue(entry.name, "", "unexpected",
                                "student folder name is not a safe id ([A-Za-z0-9._-], max 64)"))
            continue
        students.append(entry.name)
        for assignment in assignments:
            folder = entry / assignment
            if not folder.is_dir() or folder.is_symlink():
                issues.append(Issue(entry.name, assignment, status.MISSING,
                                    f"no folder {assignment}/"))
                continue
            handed = language.handed_in(folder, assignment)
            if not handed:
                found = sorted(p.name for p in folder.glob("*.ipynb"))
                detail = (f"no {assignment}.ipynb (or {language.notebook_stem(assignment, 'ko')}.ipynb)"
                          + (f"; found {', '.join(found)}" if found else ""))
                issues.append(Issue(entry.name, assignment, status.MISSING, detail))
                continue
            # English or Korean: one notebook is graded, the other (if any) left out of submitted/.
            notebook, why = language.choose(handed, Path(out_dir) / "release" / assignment)
            if why:
                issues.append(Issue(entry.name, assignment, "unexpected", why))
            problem = check_notebook(notebook)
            if problem is None:
                problem = _copy_submission(folder, submitted_dir / entry.name / assignment)
            if problem is None:
                for other in handed:
                    if other != notebook:
                        (submitted_dir / entry.name / assignment / other.name).unlink()
                problem = _as_version_4(submitted_dir / entry.name / assignment / notebook.name)
            if problem is not None:
                issues.append(Issue(entry.name, assignment, status.CORRUPT, problem))
                shutil.rmtree(submitted_dir / entry.name / assignment, ignore_errors=True)
                continue
            submitted.append((entry.name, assignment))
    return Collected(students, list(assignments), submitted, issues)


def _skip_reason(info: zipfile.ZipInfo, dest: Path) -> str | None:
    parts = Path(info.filename).parts
    if any(p in JUNK for p in parts):
        return "zip entry skipped: operating-system junk"
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "zip entry skipped: a symbolic link"
    if (info.filename.startswith("/") or ".." in parts
            or not (dest / info.filename).resolve().is_relative_to(dest)):
        return "zip entry skipped: its path leads outside the archive's folder"
    if info.file_size > MAX_FOLDER_BYTES:
        return f"zip entry skipped: {info.file_size} bytes uncompressed (limit {MAX_FOLDER_BYTES})"
    return None


def safe_extract(zip_path: Path, dest: Path) -> list[Issue]:
    """Extract ``zip_path`` into ``dest``, refusing entries that would land
    outside it; returns one ``unexpected`` issue per entry skipped (junk,
    unsafe paths, links), named by the entry."""
    skipped = []
    dest = Path(dest).resolve()
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as err:
        raise ValueError(f"submissions: {zip_path} is not a readable zip file ({err})") from err
    with archive:
        for info in archive.infolist():
            reason = _skip_reason(info, dest)
            if reason is not None:
                if not info.is_dir():  # a skipped folder is reported through its files
                    skipped.append(Issue(info.filename, "", "unexpected", reason))
                continue
            target = (dest / info.filename).resolve()
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    return skipped


def folder_root(extracted: Path, known: list[str]) -> Path | None:
    """The folder inside an extracted zip that has the ``<student>/<assignment>``
    layout (the zip's top level, or its single top folder), else ``None``."""
    candidates = [extracted]
    top = _children(extracted)
    if len(top) == 1 and top[0].is_dir():
        candidates.append(top[0])
    for root in candidates:
        if find_assignments(root, known)[0]:
            return root
    return None
