"""The grading kernel's entry point: ipykernel, started without its debugger.

ipykernel imports debugpy (the back end of JupyterLab's visual debugger) as
it starts, about 0.15 to 0.25 CPU seconds in every kernel, for a debugger no
grading run uses. Here ``debugpy`` is unimportable only while
``ipykernel.debugger`` is imported, so that module records it as unavailable;
after that, ``import debugpy`` in a student's cell works as anywhere else.

Two ways in:
- ``python -m lstm_grade.pipeline.kernel_start -f CONNECTION_FILE`` (the
  pipeline's sandboxed kernelspec): otherwise ``python -m ipykernel_launcher``.
- ``--IPKernelApp.kernel_class=lstm_grade.pipeline.kernel_start.GradingKernel``
  on the usual kernel's command line (``course.configure`` passes it to every
  kernel nbgrader starts with the course's configuration): ipykernel imports
  the kernel class before it makes the kernel, so importing this module comes
  before ipykernel's first look at its debugger there too.
"""
import os
import sys

if __name__ == "__main__" and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]   # as ipykernel_launcher does: IPython puts the working folder back

if "ipykernel.debugger" not in sys.modules:
    sys.modules["debugpy"] = None
    try:
        import ipykernel.debugger  # noqa: F401
    finally:
        del sys.modules["debugpy"]

from ipykernel.ipkernel import IPythonKernel  # noqa: E402


class GradingKernel(IPythonKernel):
    """IPython's kernel, made after its debugger was found unavailable."""


if __name__ == "__main__":
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
