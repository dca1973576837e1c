"""Builds the course website in both languages, or extracts the Korean catalogs.

    python scripts/build_book.py            English into _build/html, Korean into
                                            _build/html/ko, in parallel (one process each)
    python scripts/build_book.py --lang ko  one edition only

One home for the configuration: `_config.yml`. The Korean edition is that file
with the few changes of `korean_config()` (Jupyter Book 1's command line cannot
set `language`, jupyter-book #1791), written to `_build/ko/_config.yml` and
built through the same `jupyter_book.sphinx.build_sphinx` the command line calls,
with warnings as errors (`-W -n --keep-going`), into `_build/ko/html`, then copied
into `_build/html/ko` (only the files that changed). Its notebooks run with
`GBG_LANG=ko` (Korean words in figures and quizzes), so they have their own
execution cache, `.jupyter_cache/ko` (the cache keys on code alone). The long
experiments of chapters 11 to 13 give the same numbers in both languages: the
two editions' kernels compute each of them once, through `SHARED_RUNS`
(book/_ext/gbg_shared_runs.py), and the Korean edition reads the pages in the
order `KOREAN_ORDER`, so that it trains what the English one has not reached yet.
Every kernel of both editions is forked from one server that has imported the
kernels' libraries once (book/_ext/gbg_kernel_fork.py, through the build's own
`python3` kernel spec), instead of importing them again for each chapter.
"""
from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # gbg_i18n, when run as a script
sys.path.insert(1, str(REPO / "book" / "_ext"))  # gbg_kernel_fork

BUILD = REPO / "_build"
LANGS = ("en", "ko")
# Where each edition's pages go, relative to the site root (the language switch
# in book/_ext/gbg_site_i18n.py links the same prefixes).
OUTPUT = {"en": BUILD / "html", "ko": BUILD / "html" / "ko"}
# Where Sphinx writes them. Not inside the English site for the Korean edition: myst-nb
# and the theme keep executed notebooks beside the output folder (its ../jupyter_execute),
# so the Korean pages are built in _build/ko/html and then copied into the site.
BUILT = {"en": BUILD / "html", "ko": BUILD / "ko" / "html"}
# Each edition's Sphinx environment and executed notebooks (English: where
# `jupyter-book build` keeps them).
WORK = {"en": BUILD, "ko": BUILD / "ko"}
CACHE = {"en": REPO / ".jupyter_cache", "ko": REPO / ".jupyter_cache" / "ko"}
# Each edition's kernels use one BLAS thread: the editions build side by side on a
# machine of few cores, and OpenBLAS with more threads than free cores is many times
# slower on the course's small matrices (a 600-step training: 5.9 s with one thread,
# 32 s with two while the other edition ran). A value already set is kept.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# The results both editions' kernels share (inside the English cache: `make build`
# removes it with the caches when the packages change), and the IPython folder of
# the build's kernels, whose startup file installs the sharing.
SHARED_RUNS = CACHE["en"] / "shared-runs"
# The Korean edition's reading order (the English one reads the pages in order). Measured
# side by side (clean clone, quiet machine): ch12's shared runs take about 55 s, ch11's 35 s,
# ch13's 15 s (shared too since), chapters 1-10 about 50 s together, and the Korean
# edition spends some 20 s more than the English one outside its kernels. Read last to first,
# the Korean edition trained ch12 and ch13 itself and finished 53 s after the English one,
# with a core idle meanwhile. This order has it train ch11 and ch13 while the English one
# reads chapters 1-10, and reach ch12 last, after the English one has trained it.
KOREAN_ORDER = {"gbg_read_first": ["book/ch11_training", "book/ch13_attention"],
                "gbg_read_last": ["book/ch12_practice"]}
KERNEL_IPYTHONDIR = BUILD / "kernel-ipython"
# The kernels are forked from one process that has imported their libraries once
# (book/_ext/gbg_kernel_fork.py): its socket and the kernel spec that uses it.
KERNEL_FORK = BUILD / "kernel-fork"
# The site's own strings set in _config.yml, translated in gbg_i18n's domain "site".
SITE_DOMAIN = "site"


def load_config(root: Path = REPO) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def site_strings(config: dict) -> list[tuple[str, str]]:
    """The English strings of `_config.yml` a reader sees, with where they are set."""
    return [(config["title"], "_config.yml:title"),
            (config["html"]["extra_footer"], "_config.yml:html.extra_footer")]


def korean_config(config: dict) -> dict:
    """`_config.yml` for the Korean edition: language, execution cache, title and footer."""
    import gbg_i18n

    ko = copy.deepcopy(config)
    ko["sphinx"]["config"]["language"] = "ko"
    ko["execute"]["cache"] = str(CACHE["ko"])
    ko["title"] = gbg_i18n.gettext(SITE_DOMAIN, config["title"], "ko")
    ko["html"]["extra_footer"] = gbg_i18n.gettext(SITE_DOMAIN, config["html"]["extra_footer"], "ko")
    # The written file lives under _build/ko: paths Jupyter Book resolves against
    # the config file's folder must be absolute.
    local = ko["sphinx"].get("local_extensions") or {}
    ko["sphinx"]["local_extensions"] = {name: str((REPO / path).resolve()) for name, path in local.items()}
    return ko


def run_sphinx(root: Path, config_path: Path, outdir: Path, doctrees: Path, builder: str = "html",
               **overrides) -> int:
    """One Jupyter Book build of the book at `root`, as `jupyter-book build -W -n --keep-going`
    does it (`-W` for html only: an extraction needs no execution, so it may warn about outputs)."""
    from jupyter_book.sphinx import build_sphinx

    settings = {"external_toc_path": str(root / "_toc.yml"), "latex_individualpages": False,
                "nitpicky": builder == "html", **overrides}
    result = build_sphinx(root, outdir, doctreedir=doctrees, noconfig=True, path_config=str(config_path),
                          confoverrides=settings, builder=builder, use_external_toc=True,
                          warningiserror=builder == "html", keep_going=True)
    if isinstance(result, Exception):
        raise result
    return 0 if result in (0, None) else 1


def extract(root: Path = REPO) -> Path:
    """The English prose of the book at `root` as .pot files, nothing executed; returns their folder.

    Text that code cells print (results tables, sentences computed from a run) is not
    extracted: the Korean kernels print it in Korean themselves (gbg_i18n, GBG_LANG=ko)."""
    outdir = root / "_build" / "gettext"
    status = run_sphinx(root, root / "_config.yml", outdir, outdir / ".doctrees", builder="gettext",
                        nb_execution_mode="off")
    if status:
        raise RuntimeError(f"extracting the English text of {root} failed (see Sphinx's messages above)")
    return outdir


def _build_one(lang: str) -> int:
    """One edition in this process (Sphinx patches docutils globals: one build per process)."""
    config_path = REPO / "_config.yml"
    if lang == "ko":
        WORK["ko"].mkdir(parents=True, exist_ok=True)
        config_path = WORK["ko"] / "_config.yml"
        config_path.write_text(yaml.safe_dump(korean_config(load_config()), allow_unicode=True,
                                              sort_keys=False), encoding="utf-8")
    order = KOREAN_ORDER if lang == "ko" else {}
    status = run_sphinx(REPO, config_path, BUILT[lang], WORK[lang] / ".doctrees", **order)
    if status == 0 and BUILT[lang] != OUTPUT[lang]:
        publish(BUILT[lang], OUTPUT[lang])
    return status


def publish(built: Path, site: Path) -> None:
    """Makes `site` a copy of `built`, copying only files that changed and removing the rest."""
    site.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for src in built.rglob("*"):
        rel = src.relative_to(built)
        dst = site / rel
        wanted.add(rel)
        if src.is_dir():
            dst.mkdir(exist_ok=True)
            continue
        stat = src.stat()
        if not dst.is_file() or dst.stat().st_size != stat.st_size or dst.stat().st_mtime_ns != stat.st_mtime_ns:
            shutil.copy2(src, dst)
    for dst in sorted(site.rglob("*"), reverse=True):   # files before their folders
        if dst.relative_to(site) not in wanted:
            dst.rmdir() if dst.is_dir() else dst.unlink()


# --------------------------------------------------------------------------- both at once

I18N_WARNING = re.compile(r"^(?P<source>\S+?\.md):(?P<line>\d+): WARNING: (?P<what>inconsistent .* "
                          r"in translated message\..*)$")


def translation_hints(log: str) -> list[str]:
    """For each inconsistent-references warning, the catalog entry to fix (Sphinx names the
    English page's line, not the translation)."""
    hints = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", log).splitlines():
        m = I18N_WARNING.match(line.strip())
        if not m:
            continue
        page = Path(m["source"]).resolve().relative_to(REPO).with_suffix("")
        catalog = REPO / "book" / "locale" / "ko" / "LC_MESSAGES" / f"{page}.po"
        location = f"{page}.md:{m['line']}"
        entry = _entry_line(catalog, location)
        hints.append(f"{catalog.relative_to(REPO)}{':' + str(entry) if entry else ''} (the entry for "
                     f"{location}): {m['what']} -- keep every role, link target and footnote of "
                     "the English text exactly, in the translation")
    return hints


def _entry_line(catalog: Path, location: str) -> int | None:
    if not catalog.is_file():
        return None
    for k, line in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#:") and any(loc.endswith(location) for loc in line[2:].split()):
            return k
    return None


def _pump(stream, lang: str, sink: list[str], ended: dict[str, float]) -> None:
    for line in iter(stream.readline, ""):
        sink.append(line)
        sys.stdout.write(f"[{lang}] {line}")
        sys.stdout.flush()
    ended[lang] = time.monotonic()   # the child closed its output: it has finished


def kernel_startup(ipythondir: Path = KERNEL_IPYTHONDIR, runs: Path = SHARED_RUNS) -> Path:
    """Writes the startup file that makes the build's kernels share their long runs; returns it."""
    startup = ipythondir / "profile_default" / "startup" / "00-gbg-shared-runs.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    module = REPO / "book" / "_ext" / "gbg_shared_runs.py"
    startup.write_text(
        "# Written by scripts/build_book.py for the book's kernels: see the module it loads.\n"
        "import importlib.util as _util\n"
        f"_spec = _util.spec_from_file_location('gbg_shared_runs', {str(module)!r})\n"
        "_module = _util.module_from_spec(_spec)\n"
        "_spec.loader.exec_module(_module)\n"
        f"_module.install({str(runs)!r})\n"
        "del _util, _spec, _module\n", encoding="utf-8")
    return startup


def kernel_environment(lang: str, base: dict | None = None) -> dict:
    """The environment of an edition's build process and its kernels (from ``base``,
    by default this process's): the language, the startup folder, one BLAS thread."""
    env = dict(os.environ if base is None else base, GBG_LANG=lang, IPYTHONDIR=str(KERNEL_IPYTHONDIR))
    for var in BLAS_THREADS:
        env.setdefault(var, "1")
    return env


def build_all(langs: list[str]) -> int:
    """Each edition in its own process, all at once; reports each one's time."""
    started = time.monotonic()
    kernel_startup()
    import gbg_kernel_fork

    forks, fork_env = gbg_kernel_fork.start(KERNEL_FORK, kernel_environment(langs[0]))
    try:
        return _build_editions(langs, started, fork_env)
    finally:
        if forks.poll() is None:
            forks.terminate()
            forks.wait()


def _build_editions(langs: list[str], started: float, extra_env: dict) -> int:
    procs, ended = {}, {}
    for lang in langs:
        env = dict(kernel_environment(lang), **extra_env)
        proc = subprocess.Popen([sys.executable, __file__, "--one", lang], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        log: list[str] = []
        thread = threading.Thread(target=_pump, args=(proc.stdout, lang, log, ended), daemon=True)
        thread.start()
        procs[lang] = (proc, thread, log)
    failed = []
    for lang, (proc, thread, log) in procs.items():
        proc.wait()
        thread.join()
        took = ended[lang] - started
        print(f"[{lang}] {'built' if proc.returncode == 0 else 'FAILED'} in {took:.1f} s "
              f"(into {OUTPUT[lang].relative_to(REPO)})")
        if proc.returncode != 0:
            failed.append(lang)
            for hint in translation_hints("".join(log)):
                print(f"[{lang}] translation to fix: {hint}")
    if failed:
        print(f"build failed: {', '.join(failed)} (warnings are errors; see the [lang] lines above)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, action="append",
                        help="an edition to build (repeatable; default both)")
    parser.add_argument("--one", choices=LANGS, help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args(argv)
    if args.one:
        return _build_one(args.one)
    return build_all(args.lang or list(LANGS))


if __name__ == "__main__":
    sys.exit(main())
