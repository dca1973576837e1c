"""The student's own copy of the exercises, which updating the course never overwrites.

``make lab`` opens JupyterLab on a folder of the student's (default
``~/gate-by-gate-work``, ``make lab WORK=path`` to choose), filled from
``exercises/`` by :func:`prepare_workspace`:

- an exercise the folder lacks is copied in;
- an exercise the student already has is left exactly as it is, unless it is
  still the untouched copy of an older release, which the new one replaces;
- when the course has released a newer version of an exercise the student
  has worked on, the new release is put beside it as
  ``<name>.new-release.ipynb`` (their own notebook stays untouched).

Which release each copy started from is recorded in ``.released/`` inside the
folder, so a later update can tell a new release from the student's edits.

Each exercise exists in English (``<name>/<name>.ipynb``) and in Korean
(``<name>/<name>.ko.ipynb``); ``lang`` chooses which are copied (``make lab
LANG=ko`` the Korean ones), and both may live in one folder.

``python -m lstm_grade.authoring.workspace EXERCISES WORK [en|ko]`` does it from the
command line and prints what it did.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import NamedTuple

__all__ = ["Prepared", "prepare_workspace", "NEW_RELEASE_SUFFIX"]

NEW_RELEASE_SUFFIX = ".new-release.ipynb"
LANGUAGES = ("en", "ko")
_RELEASED = ".released"


class Prepared(NamedTuple):
    """What :func:`prepare_workspace` did, as paths relative to the work folder."""
    copied: list[str]
    kept: list[str]
    new_releases: list[str]
    updated: list[str]


def _exercises(exercises: Path, lang: str) -> list[Path]:
    suffix = ".ipynb" if lang == "en" else f".{lang}.ipynb"
    found = sorted(p for p in exercises.glob(f"*/*{suffix}")
                   if not p.parent.name.startswith(".") and p.name == p.parent.name + suffix)
    if not found:
        raise ValueError(f"workspace: no exercise notebooks (<name>/<name>{suffix}) in {exercises}")
    return found


def prepare_workspace(exercises: str | Path, work: str | Path, lang: str = "en") -> Prepared:
    """Fill the student's folder ``work`` from the released ``exercises`` in ``lang`` without overwriting anything.

    Raises ``ValueError`` if ``exercises`` holds no notebook or ``work`` is a
    file, or is inside ``exercises`` (a student's work must live apart from
    what an update replaces).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"workspace: expected the language en or ko, got {lang!r}")
    exercises, work = Path(exercises).resolve(), Path(work).expanduser().resolve()
    if work.is_file():
        raise ValueError(f"workspace: {work} is a file, expected a folder for your work")
    if work == exercises or exercises in work.parents:
        raise ValueError(f"workspace: {work} is inside the released exercises {exercises}; "
                         "choose a folder of your own (make lab WORK=path)")
    copied, kept, new, updated = [], [], [], []
    for src in _exercises(exercises, lang):
        rel = src.relative_to(exercises)
        dest, seen = work / rel, work / _RELEASED / rel
        release = src.read_bytes()
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(release)
            copied.append(str(rel))
        elif seen.is_file() and seen.read_bytes() != release and dest.read_bytes() == seen.read_bytes():
            dest.write_bytes(release)  # never opened for work: the old release, not the student's
            updated.append(str(rel))
        else:
            kept.append(str(rel))
            if seen.is_file() and seen.read_bytes() != release and dest.read_bytes() != release:
                beside = dest.with_name(dest.stem + NEW_RELEASE_SUFFIX)
                beside.write_bytes(release)
                new.append(str(beside.relative_to(work)))
        seen.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, seen)
    return Prepared(copied, kept, new, updated)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -m lstm_grade.authoring.workspace EXERCISES_FOLDER WORK_FOLDER [en|ko]",
              file=sys.stderr)
        return 2
    try:
        done = prepare_workspace(*argv)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    work = Path(argv[1]).expanduser().resolve()
    print(f"Your exercises are in {work} ({len(done.copied)} new, {len(done.updated)} updated, "
          f"{len(done.kept)} kept as you left them).")
    for rel in done.new_releases:
        print(f"  a newer release is beside your notebook: {rel}")
    if argv[2:] == ["ko"]:
        print(f"한국어 연습 문제는 {work}에 있습니다(새로 복사 {len(done.copied)}개, 갱신 {len(done.updated)}개, "
              f"그대로 둔 것 {len(done.kept)}개). 각 폴더의 <이름>.ko.ipynb를 여십시오.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
