"""A student's path through JupyterLab, in Chromium: `make lab`, fill a blank, check, watch, validate.

Starts the real ``make lab`` on a free port with a token of the test's own and
a fresh work folder, then drives JupyterLab as a student would: opens the
ch06 exercise (its copy in the work folder), runs the setup cell, writes a
wrong `update_cell` (the check names the misconception) and then the right
one (✔), answers the quiz, runs the live animation on the student's function
(the widget renders, plays, and finds no disagreement), saves and presses
Validate (success); then opens the untouched ch04 exercise and presses
Validate (failure). JupyterLab's news pop-up never shows.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from chromium import CHROMIUM, CHROMIUM_ARGS, MISSING

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
LONG = 120_000  # ms: a kernel start and a first import on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``make lab`` on a fresh work folder: (base url, token, work folder)."""
    work = tmp_path_factory.mktemp("student") / "my-work"
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, HOME=str(work.parent))  # JupyterLab's user settings start clean
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server.
    log_path = work.parent / "lab.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"WORK={work}",
         f"LAB_ARGS=--port={port} --no-browser --IdentityProvider.token={token}"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                req = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(req, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = log_path.read_text(errors="replace")[-4000:]
                    raise AssertionError(f"make lab did not start (exit {proc.poll()}):\n{out}")
                time.sleep(1)
        yield base, token, work
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the make we started, and the jupyter it runs
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(playwright):
    """A fresh Chromium (no profile kept) with one incognito-like context for the student."""
    if not shutil.which(CHROMIUM):
        pytest.skip(MISSING)
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    student = chromium.new_context(viewport={"width": 1400, "height": 1000})
    student.set_default_timeout(LONG)
    try:
        yield student
    finally:
        chromium.close()


def _open(browser, lab, path):
    base, token, _ = lab
    page = browser.new_page()
    # A workspace of its own, reset: JupyterLab would otherwise reopen the notebooks an
    # earlier test left open, and the visible toolbar's Validate button could be theirs.
    url = f"{base}/lab/workspaces/{Path(path).stem}/tree/{path}?reset&token={token}"
    # Ready when the kernel is idle (the status bar says so). JupyterLab now and then
    # never shows the new kernel's status on a first load; one reload then shows it.
    for attempt, timeout in enumerate((60_000, LONG)):
        page.goto(url) if attempt == 0 else page.reload()
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
                ".some(e => /Idle/.test(e.textContent) || e.getAttribute('title')?.includes('Idle'))"
                " || document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]')",
                timeout=timeout)
            break
        except Exception:
            if attempt:
                raise
    _dismiss_stray_dialogs(page)
    return page


def _dismiss_stray_dialogs(page):
    """A JupyterLab dialog the student did not ask for (one rehearsal met one, on a loaded
    machine, right after the kernel went idle) is closed with Escape, as a student would, and
    its text printed, so that the test goes on to prove the path works or fails on what does
    not. ``_validate`` takes this handler off: its own dialog is the result it reads."""
    dialogs = page.locator(".jp-Dialog")

    def dismiss(dialog):
        print(f"dismissed a JupyterLab dialog: {dialog.inner_text()!r}")
        page.keyboard.press("Escape")

    page.add_locator_handler(dialogs, dismiss)
    page.stray_dialogs = dialogs


def _cell(page, text):
    """The notebook cell whose source contains ``text`` now (by position, so it stays the same
    cell when the student rewrites its source)."""
    found = page.wait_for_function(
        "(text) => 1 + [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
        ".findIndex(c => (c.querySelector('.cm-content')?.textContent || '').includes(text))",
        arg=text, timeout=30_000)
    index = found.json_value() - 1
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    return cell


def _set_source(page, cell, source):
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def _run(page, cell):
    """Run one cell (Shift+Enter with the cell selected) and wait for its new execution count."""
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    # A key press that lands while JupyterLab is still laying out the notebook is
    # lost now and then: press again if the cell has not even started ([*]) by then.
    for attempt, timeout in enumerate((30_000, 30_000, LONG)):
        cell.locator(".cm-content").click()
        page.keyboard.press("Escape")  # command mode: Shift+Enter runs the selected cell
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(
                "([e, before]) => e.textContent !== before",
                arg=[prompt.element_handle(), before], timeout=timeout)
            break
        except Exception:
            if attempt == 2:
                raise
    page.wait_for_function(
        "([e, before]) => /\\[\\d+\\]/.test(e.textContent) && e.textContent !== before",
        arg=[prompt.element_handle(), before])


def _output(cell) -> str:
    return cell.locator(".jp-OutputArea").inner_text()


def _validate(page) -> str:
    page.remove_locator_handler(page.stray_dialogs)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    page.locator(".validate-button:visible").first.click()  # the open notebook's own toolbar
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()
    page.wait_for_function(
        "() => !/Validating/i.test(document.querySelector('.jp-Dialog')?.textContent || 'Validating')")
    text = dialog.inner_text()
    dialog.locator("button").last.click()
    return text


UPDATE_WRONG = '''def update_cell(prev_c, f, i, c_tilde):
    return np.tanh(f * prev_c + i * c_tilde)
'''
UPDATE_RIGHT = '''def update_cell(prev_c, f, i, c_tilde):
    return f * prev_c + i * c_tilde
'''


def test_make_lab_copies_the_exercises_into_the_students_folder(lab):
    _, _, work = lab
    for name in ("ch04_forget_gate", "ch06_cell_update"):
        copy = work / name / f"{name}.ipynb"
        assert copy.read_bytes() == (REPO / "exercises" / name / f"{name}.ipynb").read_bytes()


def test_a_student_fills_a_blank_checks_it_watches_it_and_validates(browser, lab):
    _, _, work = lab
    page = _open(browser, lab, "ch06_cell_update/ch06_cell_update.ipynb")
    _run(page, _cell(page, "from lstm_grade.checks import check"))

    answer = _cell(page, "def update_cell")
    _set_source(page, answer, UPDATE_WRONG)
    _run(page, answer)
    test = _cell(page, 'check("update_cell", update_cell)')
    _run(page, test)
    seen = _output(test)
    assert "[misconception: tanh-on-cell-update]" in seen, seen
    assert "lstm_grade" not in seen and "Traceback" not in seen, seen

    _set_source(page, answer, UPDATE_RIGHT)
    _run(page, answer)
    _run(page, test)
    assert "✔ update_cell" in _output(test)

    quiz = _cell(page, "# q_predict_c = ...")
    _set_source(page, quiz, "q_predict_c = 1.1")
    _run(page, quiz)
    quiz_test = _cell(page, 'check_answer("q_predict_c", q_predict_c)')
    _run(page, quiz_test)
    assert "✔ q_predict_c" in _output(quiz_test)

    other = _cell(page, "# q_cell_beyond_one = ")
    _set_source(page, other, 'q_cell_beyond_one = "a"')
    _run(page, other)

    # The written answer: a markdown cell the student opens, writes in, and renders.
    index = page.evaluate(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
        ".findIndex(c => c.classList.contains('jp-MarkdownCell') && c.textContent.includes('YOUR ANSWER HERE'))")
    written = page.locator(".jp-Notebook .jp-Cell").nth(index)
    written.scroll_into_view_if_needed()
    written.dblclick()
    _set_source(page, written, "Nothing squashes the cell update, so the memory and its gradient "
                               "pass along the cell path scaled only by f.")
    page.keyboard.press("Shift+Enter")

    # The live animation, driven by the student's update_cell.
    widget_cell = _cell(page, "four_steps_widget(")
    _run(page, widget_cell)
    image = widget_cell.locator(".jp-OutputArea img").first
    image.wait_for()
    first = image.get_attribute("src")
    play = widget_cell.locator(".gbg-play, .widget-play").first
    play.locator("button").first.click()
    page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                           arg=[image.element_handle(), first], timeout=LONG)
    # Played: paused now, as a student would once watching, or every frame until the page
    # closes is drawn again in the kernel and sent to the browser (a frame each 1.2 s,
    # through the Validate run below).
    play.locator("button:has(.fa-pause)").click()
    message = widget_cell.locator(".gbg-message").inner_text()
    assert "disagree" not in message.lower() and "update_cell" not in message, message

    result = _validate(page)
    assert "Success" in result, result
    # The work went into the student's folder, never into the released exercises.
    assert "f * prev_c + i * c_tilde" in (work / "ch06_cell_update" / "ch06_cell_update.ipynb").read_text()
    assert "f * prev_c + i * c_tilde" not in (REPO / "exercises" / "ch06_cell_update"
                                             / "ch06_cell_update.ipynb").read_text()
    assert not page.locator(".jp-toast-container", has_text="news").count(), "JupyterLab's news pop-up showed"
    page.close()


def test_validate_fails_an_untouched_exercise(browser, lab):
    page = _open(browser, lab, "ch04_forget_gate/ch04_forget_gate.ipynb")
    result = _validate(page)
    assert "Success" not in result and ("NotImplementedError" in result or "failed" in result.lower()), result
    assert not page.locator(".jp-toast-container", has_text="news").count(), "JupyterLab's news pop-up showed"
    page.close()
