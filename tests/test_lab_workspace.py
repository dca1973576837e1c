"""`make lab`'s work folder: filled from the exercises, never overwriting a student's work."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_grade.authoring.workspace import NEW_RELEASE_SUFFIX, prepare_workspace

REPO = Path(__file__).resolve().parents[1]


def _release(folder: Path, name: str, text: str) -> Path:
    path = folder / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_real_exercises_are_copied_into_an_empty_folder(tmp_path):
    done = prepare_workspace(REPO / "exercises", tmp_path / "work")
    released = sorted(p.relative_to(REPO / "exercises") for p in (REPO / "exercises").glob("*/*.ipynb")
                      if not p.name.endswith(".ko.ipynb"))
    assert sorted(Path(p) for p in done.copied) == released and not done.kept
    for rel in released:
        assert (tmp_path / "work" / rel).read_bytes() == (REPO / "exercises" / rel).read_bytes()


def test_a_students_work_is_never_overwritten(tmp_path):
    course, work = tmp_path / "exercises", tmp_path / "work"
    _release(course, "ch04_forget_gate", "release 1")
    prepare_workspace(course, work)
    mine = work / "ch04_forget_gate" / "ch04_forget_gate.ipynb"
    mine.write_text("my answers")
    # Running again with the same release keeps the student's notebook.
    done = prepare_workspace(course, work)
    assert mine.read_text() == "my answers" and done.kept == ["ch04_forget_gate/ch04_forget_gate.ipynb"]
    assert not done.new_releases
    # A new release goes beside it; the student's notebook stays.
    _release(course, "ch04_forget_gate", "release 2")
    done = prepare_workspace(course, work)
    assert mine.read_text() == "my answers"
    beside = work / "ch04_forget_gate" / f"ch04_forget_gate{NEW_RELEASE_SUFFIX}"
    assert beside.read_text() == "release 2"
    assert done.new_releases == [str(beside.relative_to(work))]


def test_an_untouched_copy_follows_the_new_release(tmp_path):
    course, work = tmp_path / "exercises", tmp_path / "work"
    _release(course, "ch06_cell_update", "release 1")
    prepare_workspace(course, work)
    _release(course, "ch06_cell_update", "release 2")
    _release(course, "ch07_output_gate", "new chapter")
    done = prepare_workspace(course, work)
    assert (work / "ch06_cell_update" / "ch06_cell_update.ipynb").read_text() == "release 2"
    assert done.updated == ["ch06_cell_update/ch06_cell_update.ipynb"]
    assert done.copied == ["ch07_output_gate/ch07_output_gate.ipynb"]
    assert not list(work.glob(f"*/*{NEW_RELEASE_SUFFIX}"))


@pytest.mark.parametrize("where", ["inside", "file", "empty"])
def test_bad_folders_are_refused_with_a_clear_message(tmp_path, where):
    course = tmp_path / "exercises"
    if where != "empty":
        _release(course, "ch04_forget_gate", "x")
    else:
        course.mkdir()
    work = {"inside": course / "mine", "file": tmp_path / "a-file", "empty": tmp_path / "w"}[where]
    if where == "file":
        work.write_text("not a folder")
    message = {"inside": "inside the released exercises", "file": "is a file",
               "empty": "no exercise notebooks"}[where]
    with pytest.raises(ValueError, match=message):
        prepare_workspace(course, work)


def test_the_command_line_says_what_it_did(tmp_path):
    work = tmp_path / "work"
    done = subprocess.run([sys.executable, "-m", "lstm_grade.authoring.workspace",
                           str(REPO / "exercises"), str(work)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"Your exercises are in {work}" in done.stdout and "kept as you left them" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "lstm_grade.authoring.workspace", str(work)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_the_lab_configuration_turns_off_the_news_pop_up():
    """`make lab` and Binder point JUPYTER_CONFIG_PATH at binder/jupyter, which disables the plugin."""
    config = json.loads((REPO / "binder" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert config["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True
    makefile = (REPO / "Makefile").read_text()
    assert 'JUPYTER_CONFIG_PATH="$(CURDIR)/binder/jupyter"' in makefile
    # The plugin id is the one this JupyterLab ships (a renamed plugin would make the setting moot).
    from jupyterlab._version import __version__  # noqa: F401 - JupyterLab is installed
    import jupyterlab
    static = Path(jupyterlab.__file__).parent / "static"
    if not static.is_dir():
        static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    assert any("@jupyterlab/apputils-extension:announcements" in p.read_text(errors="ignore")
               for p in static.glob("*.js"))


def test_the_korean_exercises_are_copied_beside_the_english_ones(tmp_path):
    work = tmp_path / "work"
    prepare_workspace(REPO / "exercises", work)
    done = prepare_workspace(REPO / "exercises", work, "ko")
    released = sorted(p.relative_to(REPO / "exercises") for p in (REPO / "exercises").glob("*/*.ko.ipynb"))
    assert len(released) == 13 and sorted(Path(p) for p in done.copied) == released
    assert not done.kept  # the English copies are not the Korean release's business
    for rel in released:
        assert (work / rel).read_bytes() == (REPO / "exercises" / rel).read_bytes()
    with pytest.raises(ValueError, match="expected the language en or ko, got 'fr'"):
        prepare_workspace(REPO / "exercises", work, "fr")


@pytest.mark.parametrize("args, lang, locale", [
    (["LANG=ko"], "ko", "C.UTF-8"),
    (["LANG=en"], "en", "C.UTF-8"),
    (["LANG=ko_KR.UTF-8"], "en", "ko_KR.UTF-8"),
    ([], "en", None),
])
def test_make_lab_lang_ko_chooses_the_korean_exercises_and_keeps_a_real_locale(tmp_path, args, lang, locale):
    """`make lab LANG=ko`: the recipes copy the Korean notebooks, and run with a locale that exists."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "GBG_LANG", "MAKEFLAGS")}
    env["LANG"] = "C.UTF-8"
    done = subprocess.run(["make", "-n", "lab", f"WORK={tmp_path / 'w'}", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, check=True)
    lines = [ln for ln in done.stdout.splitlines() if "lstm_grade.authoring.workspace" in ln
             or "JUPYTER_CONFIG_PATH" in ln]  # the copy, and the line that starts JupyterLab
    assert len(lines) == 2, done.stdout
    assert lines[0].rstrip().endswith(f" {lang}"), lines[0]
    for line in lines:
        assert line.startswith(f'LANG="{locale or "C.UTF-8"}" '), line
    # The copy step, run as make runs it, works under that locale.
    run = subprocess.run(["bash", "-c", lines[0]], cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    copied = sorted(p.name for p in (tmp_path / "w" / "ch04_forget_gate").iterdir())
    assert copied == ["ch04_forget_gate.ko.ipynb" if lang == "ko" else "ch04_forget_gate.ipynb"]
