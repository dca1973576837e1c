"""nbgrader's ``Execute`` with what grading by values needs, and ``TrustedGrades``.

``GradingExecute`` (the autograde step that runs the notebook in the
sandboxed kernel):

* runs every code cell of the student's notebook in order, as nbgrader
  does, except the course's own animation cells (``skip_sources``: exact
  sources of the assignment's widget cells), which only draw;
* just before each graded test cell, runs one more cell, never saved in
  the notebook (``captures``): ``kernel_export`` calls the graded functions
  on the grading cases (or reads the values a test cell judges) and prints
  plain values, one line per call, prefixed by a nonce; those lines are
  taken from the kernel's messages as they arrive (``answers``), nothing
  else of that cell is kept;
* cuts each cell's output while it runs to ``output_bytes``: the first and
  the last half are kept, with a marker saying how many bytes were cut;
* records what stopped the run (``DeadKernelError``, a timeout, ...) as
  data in ``state_path`` (JSON) for the worker to classify, instead of
  leaving it to be found in log text, and when the kernel was started,
  ready, done and stopped (``times``, for the job's phases);
* stops the kernel at once after the last cell (``shutdown_kernel =
  "immediate"``: the kernel's process group is killed, and the worker empties
  the job's cgroup): nothing of the kernel is needed then, and a graceful
  stop only waited, 0.3 to 1.2 s per notebook, for the sandboxed process to
  exit.

``GradingClient`` is the kernel client: ready as soon as the kernel has
answered ``kernel_info`` and its iopub channel has delivered a message,
without jupyter_client's further 0.2 s wait for iopub to fall quiet (the
cells' messages are matched to their requests by parent id, so a late
status message of the start-up is ignored anyway).

``TrustedGrades`` runs after it, before nbgrader's ``SaveAutoGrades``: it
judges the answers outside the kernel (``lstm_grade.checks._replay``) and
makes each graded test cell's outputs the trusted verdict: a ✔ line, or an
error whose message is the checks' explanation. ``SaveAutoGrades`` then
scores the cell from those outputs as it always does, so the gradebook,
the formgrader and the feedback all hold the trusted result.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import ensure_async
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Dict, Enum, Integer, List, Unicode

CUT_MARKER = "[grader: {cut} bytes of output cut here; the limit is {limit} bytes per cell]"
EXPORT_LIMIT = 64 << 20   # bytes of answers read from the export cell at most


def _size(msg: dict) -> int:
    content = msg.get("content", {})
    if msg.get("msg_type") == "stream":
        return len(content.get("text", "").encode("utf-8", "replace"))
    data = content.get("data", {})
    total = sum(len(str(v)) for v in data.values()) if isinstance(data, dict) else 0
    total += sum(len(str(t)) for t in content.get("traceback", []) or [])
    return total


class GradingClient(AsyncKernelClient):
    """See the module docstring."""

    async def _ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # iopub is subscribed once one of its messages has arrived
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    wait_for_ready = _ready


class GradingExecute(Execute):
    """See the module docstring."""

    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate").tag(config=True)

    captures = Dict(help="grade_id -> source of the grader's cell run just before that test cell").tag(config=True)
    export_nonce = Unicode("", help="Prefix of the answer lines.").tag(config=True)
    output_bytes = Integer(64 << 10, help="Output kept per cell, in bytes.").tag(config=True)
    skip_sources = List(Unicode(), help="Sources of cells that only draw.").tag(config=True)
    state_path = Unicode("", help="Where to write the run's state (JSON).").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._kept: dict = {}
        self._tail: dict = {}
        self._cut: dict = {}
        self._capturing = None
        self._export_text = []
        self._export_size = 0
        self.answers: dict = {}
        self._captured: dict = {}
        self._times: dict = {}
        state = {"error": None, "error_type": None, "answers": 0, "cut_cells": [], "captured": {}}
        try:
            return super().preprocess(nb, resources, km)
        except BaseException as err:
            state["error_type"] = type(err).__name__
            state["error"] = str(err)[:2000]
            raise
        finally:
            state["answers"] = len(self.answers)
            state["captured"] = self._captured
            state["cut_cells"] = sorted(self._cut)
            state["times"] = self._times
            if resources is not None:
                resources["gbg_answers"] = self.answers
            if self.state_path:
                Path(self.state_path).write_text(json.dumps(state))

    def start_new_kernel(self, **kwargs):
        self._times["launch"] = time.monotonic()
        return super().start_new_kernel(**kwargs)

    def start_new_kernel_client(self):
        client = super().start_new_kernel_client()
        self._times["ready"] = time.monotonic()
        return client

    def _cleanup_kernel(self):
        self._times["cells_done"] = time.monotonic()
        try:
            return super()._cleanup_kernel()
        finally:
            self._times["stopped"] = time.monotonic()

    def _capture(self, source: str, index: int) -> None:
        """Run the grader's export cell in the kernel now, just before cell ``index``."""
        self._capturing, self._export_text, self._export_size = index, [], 0
        try:
            self.execute_cell(new_code_cell(source), index, store_history=False)
        finally:
            self._collect("\n")
            self._capturing = None

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.source in self.skip_sources:
            cell.outputs = [new_output("stream", name="stdout",
                                       text="[grader: this cell only draws an animation; not run]\n")]
            return cell, resources
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id in self.captures:
            before = len(self.answers)
            self._capture(self.captures[grade_id], index)
            self._captured[grade_id] = len(self.answers) - before
        cell, resources = super().preprocess_cell(cell, resources, index)
        if index in self._cut or index in self._tail:
            cut, tail = self._cut.get(index, 0), self._tail.pop(index, "")
            marker = "\n" + CUT_MARKER.format(cut=cut, limit=self.output_bytes) + "\n" if cut else ""
            cell.outputs.append(new_output("stream", name="stdout", text=marker + tail))
        return cell, resources

    def _collect(self, text: str) -> None:
        """Gather answer lines of the export cell (``<nonce> <key> <json>``)."""
        self._export_text.append(text)
        if "\n" not in text:
            return
        lines = "".join(self._export_text).split("\n")
        self._export_text = [lines.pop()]
        prefix = self.export_nonce + " "
        for line in lines:
            if not line.startswith(prefix):
                continue
            key, _, payload = line[len(prefix):].partition(" ")
            try:
                self.answers[key] = json.loads(payload)
            except ValueError:
                continue

    def output(self, outs, msg, display_id, cell_index):
        size = _size(msg)
        if self._capturing is not None and cell_index == self._capturing:
            self._export_size += size
            if msg.get("msg_type") == "stream" and self._export_size <= EXPORT_LIMIT:
                self._collect(msg["content"].get("text", ""))
            return None
        kept = self._kept.get(cell_index, 0)
        half = self.output_bytes // 2
        if kept + size <= half:
            self._kept[cell_index] = kept + size
            return super().output(outs, msg, display_id, cell_index)
        if msg.get("msg_type") == "error":  # kept, but shortened: it says why the cell failed
            content = msg["content"]
            short = dict(content, evalue=str(content.get("evalue", ""))[:half // 2],
                         traceback=[str(t)[:half // 8] for t in (content.get("traceback") or [])[-4:]])
            self._cut[cell_index] = self._cut.get(cell_index, 0) + max(size - _size({"content": short}), 0)
            return super().output(outs, dict(msg, content=short), display_id, cell_index)
        if msg.get("msg_type") == "stream":
            text = msg["content"].get("text", "")
            room = max(half - kept, 0)
            head = text.encode("utf-8", "replace")[:room].decode("utf-8", "ignore")
            if head:
                part = dict(msg, content=dict(msg["content"], text=head))
                super().output(outs, part, display_id, cell_index)
            self._kept[cell_index] = half
            tail = self._tail.get(cell_index, "") + text[len(head):]
            if len(tail.encode("utf-8", "replace")) > half:
                dropped = tail.encode("utf-8", "replace")[:-half]
                self._cut[cell_index] = self._cut.get(cell_index, 0) + len(dropped)
                tail = tail.encode("utf-8", "replace")[-half:].decode("utf-8", "ignore")
            self._tail[cell_index] = tail
            return None
        self._cut[cell_index] = self._cut.get(cell_index, 0) + size
        return None


class TrustedGrades(NbGraderPreprocessor):
    """Make each graded test cell's outputs the trusted verdict (see the module docstring)."""

    salt = Unicode("").tag(config=True)
    tests = Dict(help="grade_id -> list of [checker, name, variable] or 'cell'").tag(config=True)
    verdicts_path = Unicode("", help="Where to write the verdicts (JSON).").tag(config=True)

    def preprocess(self, nb, resources):
        from lstm_grade.checks import _replay
        answers = (resources or {}).get("gbg_answers", {})
        verdicts = {}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution") \
                    or grade_id not in self.tests:
                continue
            calls = self.tests[grade_id]
            if calls == "cell":
                judgements = [_replay.CELL_JUDGES[grade_id].judge(self.salt, answers)]
            else:
                judgements = [_replay.judge(name, self.salt, answers) if checker == "check"
                              else _replay.judge_quiz(name, answers) for checker, name, _ in calls]
            failed = [j for j in judgements if not j.passed]
            cell.outputs = [new_output("stream", name="stdout",
                                       text="".join(j.message + "\n" for j in judgements if j.passed))]
            if failed:
                cell.outputs.append(new_output("error", ename="CheckFailed",
                                               evalue=failed[0].message,
                                               traceback=[f"CheckFailed: {failed[0].message}"]))
            verdicts[grade_id] = {"passed": not failed, "messages": [j.message for j in judgements],
                                  "misconceptions": sorted({m for j in judgements for m in j.misconceptions}),
                                  "integrity": sorted({i for j in judgements for i in j.integrity})}
        if self.verdicts_path:
            Path(self.verdicts_path).write_text(json.dumps(verdicts))
        return nb, resources
