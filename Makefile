# Gate by Gate: every entry point of the course.
#   make book     build the website and serve it on http://127.0.0.1:8000
#   make test     run the whole test suite (installs what it needs first)
# Every target installs what it needs itself: the virtual environment (.venv,
# pinned by constraints.txt), the npm assets the pages load (package-lock.json)
# and the Debian packages the browser and grading tests need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
SUBMISSIONS ?=
PYTEST_ARGS ?=

# Two jobs at once: the set-up steps that do not depend on each other overlap (the venv's
# install and npm's, each of which keeps about one core busy).
MAKEFLAGS += --jobs=2

.DEFAULT_GOAL := help
.PHONY: help install system-deps site-deps vendor build book serve test test-fast lab grade i18n-update \
        exercises bench fixtures explainer-fixtures test-js constraints clean bytecode

help:
	@echo "make book        build the course website and serve it on 127.0.0.1:$(PORT)"
	@echo "make test        run the whole test suite"
	@echo "make test-fast   the suite without the browser and nbgrader tests"
	@echo "make lab         open your copy of the exercises in JupyterLab (WORK=folder; LANG=ko: 한국어)"
	@echo "make grade SUBMISSIONS=path   grade a class (folder or LMS zip)"
	@echo "make i18n-update re-extract the book's English text; changed paragraphs turn fuzzy in book/locale/ko"
	@echo "make exercises   regenerate exercises/ from solutions/ with nbgrader"
	@echo "make bench       print lstm_ref's speed against PyTorch"
	@echo "make fixtures    regenerate the golden .npz files from PyTorch"
	@echo "make test-js     the live explainers' JavaScript tests (node --test)"

# The pinned packages, installed by uv (pip if uv is not available): scripts/install-venv.sh.
$(STAMP): pyproject.toml constraints.txt scripts/install-venv.sh
	bash scripts/install-venv.sh $(PYTHON) $(VENV)
	touch $@

install: $(STAMP)

# Bytecode: Python writes a module's .pyc the first time a process imports it, so only the
# modules the course uses are ever compiled (about a fifth of the environment's files), once.
# Machines that set PYTHONDONTWRITEBYTECODE would have every kernel, grader and test process
# compile everything it imports again, so it is not passed on to anything make runs. The
# course's own packages are compiled before anything runs: a sandboxed grading kernel cannot
# write a .pyc, and it must not be the first to import lstm_ref or the checks.
unexport PYTHONDONTWRITEBYTECODE
BYTECODE_DIRS := lstm_ref lstm_viz lstm_grade gbg_i18n scripts tests book/_ext
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q $(BYTECODE_DIRS)

# The site's Debian packages first, then the tests' (apt-get runs one at a time).
system-deps: site-deps
	bash scripts/ensure-system-deps.sh test

site-deps:
	bash scripts/ensure-system-deps.sh site

vendor: site-deps
	bash scripts/vendor-assets.sh

# The execution cache keys on the chapters' code only, and Sphinx re-reads only
# changed chapters: when the packages the chapters run change, every cached
# output is stale, so the caches and Sphinx's saved environments go (both
# editions: English in .jupyter_cache and _build, Korean in .jupyter_cache/ko and _build/ko;
# the long runs both editions share, .jupyter_cache/shared-runs, go with them).
# The Korean notebooks also print what the catalogs of figure words and quizzes
# say: when those change, the Korean cache alone goes.
PACKAGE_SOURCES := $(shell find lstm_ref lstm_viz gbg_i18n -name '*.py' 2>/dev/null)
KOREAN_OUTPUT_CATALOGS := $(wildcard gbg_i18n/locale/ko/LC_MESSAGES/figures.po gbg_i18n/locale/ko/LC_MESSAGES/quizzes.po)
.jupyter_cache/.packages-stamp: $(PACKAGE_SOURCES)
	rm -rf .jupyter_cache _build/.doctrees _build/jupyter_execute _build/ko
	mkdir -p .jupyter_cache && touch $@
.jupyter_cache/ko/.catalogs-stamp: .jupyter_cache/.packages-stamp $(KOREAN_OUTPUT_CATALOGS)
	rm -rf .jupyter_cache/ko _build/ko
	mkdir -p .jupyter_cache/ko && touch $@

# Both editions at once (English into _build/html, Korean into _build/html/ko),
# warnings as errors: scripts/build_book.py.
build: $(STAMP) bytecode vendor .jupyter_cache/.packages-stamp .jupyter_cache/ko/.catalogs-stamp
	$(BIN)/python scripts/build_book.py

# After the English text changed: extract it again (nothing executed) and bring the
# Korean catalogs in line (a changed English paragraph turns its translation fuzzy).
i18n-update: $(STAMP)
	$(BIN)/python scripts/i18n_update.py

# Serve only once the build is done (make runs two jobs at once, and serve alone does not wait).
book: build
	@$(MAKE) --no-print-directory serve

serve:
	@test -f _build/html/index.html || (echo "No built site in _build/html: run make build (or make book)" && exit 2)
	@echo "Serving the course on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# The suite on TEST_WORKERS pytest-xdist workers (default: one per core, plus one: many
# tests wait on browsers, servers and subprocesses, which leaves a core idle with one
# worker per core), one test module at a time each, so a module's fixtures
# (a graded class) are made once, in the order tests/conftest.py gives (the longest
# modules first; xdist's own reordering, by number of tests, would start them last).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 2) + 1 )))
test: $(STAMP) bytecode system-deps build
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

test-fast: $(STAMP) bytecode
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

# JupyterLab on the student's own copy of the exercises (WORK, default ~/gate-by-gate-work):
# exercises missing there are copied in, nothing already there is overwritten (a newer
# release of a notebook the student worked on goes beside it as NAME.new-release.ipynb).
# nbgrader's Validate button needs its server and lab extensions (enabled with the pinned
# nbgrader; the check fails loudly if not); binder/jupyter turns off JupyterLab's news pop-up.
# LAB_ARGS passes options to jupyter lab (the browser test gives a port and a token).
# `make lab LANG=ko` (or GBG_LANG=ko make lab) copies the Korean exercises, <name>/<name>.ko.ipynb.
# A variable given on make's command line is exported to the recipes, and LANG is also the
# locale variable, where "ko" names no locale: the recipes run with LANG=C.UTF-8 instead
# (a real locale given as LANG, say ko_KR.UTF-8, is kept and selects English exercises).
WORK ?= $(HOME)/gate-by-gate-work
LAB_ARGS ?=
LAB_LANG := $(or $(filter ko en,$(LANG)),$(filter ko en,$(GBG_LANG)),en)
LAB_LOCALE := $(if $(filter ko en,$(LANG)),C.UTF-8,$(LANG))
lab: $(STAMP) bytecode
	@LANG="$(LAB_LOCALE)" $(BIN)/jupyter server extension list 2>&1 | grep -q 'validate_assignment.*enabled' \
	  || (echo "nbgrader's validate extension is not enabled: run make install" && exit 1)
	LANG="$(LAB_LOCALE)" $(BIN)/python -m lstm_grade.authoring.workspace exercises "$(WORK)" $(LAB_LANG)
	LANG="$(LAB_LOCALE)" JUPYTER_CONFIG_PATH="$(CURDIR)/binder/jupyter" PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/jupyter lab --notebook-dir="$(WORK)" --ip=127.0.0.1 --allow-root $(LAB_ARGS)

grade: $(STAMP) bytecode
	@test -n "$(SUBMISSIONS)" || (echo "usage: make grade SUBMISSIONS=path/to/folder-or.zip" && exit 2)
	bash scripts/ensure-system-deps.sh grade
	$(BIN)/python -m lstm_grade grade "$(SUBMISSIONS)" $(GRADE_ARGS)

# Update the catalogs (gbg_i18n/locale/ko/LC_MESSAGES/{checks,assignments/*}.po), rebuild solutions/
# from lstm_grade/authoring/assignments/ in English and Korean, then release exercises/ with nbgrader.
exercises: $(STAMP)
	$(BIN)/python -m lstm_grade.authoring

# OpenBLAS picks its own kernel for the benchmark; tests keep the environment's.
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_lstm.py
	$(BIN)/python benchmarks/bench_viz.py

fixtures: $(STAMP)
	$(BIN)/python tests/fixtures/make_fixtures.py

# What lstm_ref computes, for the live explainers' JavaScript math (explainers/test/);
# tests/test_explainers_math.py regenerates them on every run and checks this copy.
explainer-fixtures: $(STAMP)
	$(BIN)/python scripts/export_explainer_fixtures.py

# The explainers' node tests alone (make test runs them too, through pytest).
test-js: explainer-fixtures
	node --test explainers/test/

constraints: $(STAMP)
	@echo "# Exact versions of every Python package the course installs (pip freeze of .venv)." > constraints.txt
	@echo "# Regenerate with \`make constraints\` after changing pyproject.toml." >> constraints.txt
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^gate-by-gate' >> constraints.txt
	$(BIN)/python -m pip --version | awk '{print "pip==" $$2}' >> constraints.txt

clean:
	rm -rf _build _vendor node_modules .pytest_cache .hypothesis
