"""The grading kernel's entry point: ipykernel, started without its debugger.

ipykernel imports debugpy (the back end of JupyterLab's visual debugger) as
it starts, about 0.15 CPU seconds in every kernel, for a debugger no grading
run uses. Here ``debugpy`` is unimportable only while ``ipykernel.debugger``
is imported, so that module records it as unavailable; after that, ``import
debugpy`` in a student's cell works as anywhere else. Otherwise this is
``python -m ipykernel_launcher``.
"""
import os
import sys

if __name__ == "__main__":
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]   # as ipykernel_launcher does: IPython puts the working folder back
    sys.modules["debugpy"] = None
    try:
        import ipykernel.debugger  # noqa: F401
    finally:
        del sys.modules["debugpy"]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
