# editions: `make all` builds every edition of every publication into build/;
# `make test` runs the test suite. Both set up what they need on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := all
# No .DELETE_ON_ERROR: a build writes a publication's editions to temporary files and renames
# them into place together only when all are made (editions/build.py), so a failed build leaves
# the last good ones, which make must not delete. Nor on Ctrl-C: see .PRECIOUS below.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed
TOOLS_STAMP := tests/tools/node_modules/.installed

# One build environment for every edition: no clock, locale, zone or hash seed leaks in.
export TZ := UTC
export LC_ALL := C.UTF-8
export PYTHONHASHSEED := 0

# What make asks the package (stdlib only): by the venv's interpreter once it exists, else the
# system's, without site-packages (-S): a tenth of a second less on every make.
ASK := $(if $(wildcard $(PY)),$(PY),$(PYTHON)) -S -m

# The publications, as the package finds them (editions/model/slugs.py): each slug, followed
# by its translations as SLUG.LANG (source/SLUG/master.LANG.md).
# A folder whose name is not a safe slug, or a translation's that is not a language tag, stops
# make here, before anything is built, with one line naming it; only the goals that build no
# edition go on.
NO_PUBLICATIONS := clean distclean help lint lock test test-fast goldens
EDITION_NAMES := $(shell $(ASK) editions.model.slugs source)
ifneq ($(.SHELLSTATUS),0)
  ifneq ($(filter-out $(NO_PUBLICATIONS),$(or $(MAKECMDGOALS),all)),)
    $(error $(EDITION_NAMES))
  endif
  EDITION_NAMES :=
endif
PUBLICATIONS := $(foreach n,$(EDITION_NAMES),$(if $(findstring .,$(n)),,$(n)))
# The formats, as the package declares them (editions/formats/__init__.py).
ALL_FORMATS := $(shell $(ASK) editions.formats)
FORMATS ?= $(ALL_FORMATS)
# Every module and template at any depth: an edit anywhere rebuilds the editions.
CODE := $(shell find editions -name '*.py')
TEMPLATE_FILES := $(shell find templates -type f)
DEPENDS := $(CODE) $(TEMPLATE_FILES) $(VENV_STAMP)

.PHONY: all new check check-source redline $(ALL_FORMATS) release verify test test-fast goldens lint lock clean distclean bench serve help
.PHONY: $(PUBLICATIONS)

# The names of publication $(1)'s editions: its slug, then SLUG.LANG for each translation.
names_of = $(1) $(filter $(1).%,$(EDITION_NAMES))
editions_of = $(foreach n,$(call names_of,$(1)),$(foreach f,$(2),build/$(1)/$(n).$(f)))
# Make deletes a target it was making when interrupted; the build leaves each edition either
# as it was or whole, so keep it.
.PRECIOUS: $(foreach p,$(PUBLICATIONS),$(call editions_of,$(p),$(ALL_FORMATS)))

# A word as one shell word, quoted: what make passes to a shell never runs as code.
quote = '$(subst ','\'',$(1))'
# The formats of publication $(1) with an edition (in any of its languages) missing or older
# than a prerequisite of the rule ($^): `make pdf` then `make all` does not lay the PDF out
# again. If none is (make had another reason to run the rule), every format asked for.
stale = $(or $(foreach f,$(FORMATS),$(if $(call outdated_in,$(1),$(f)),$(f))),$(FORMATS))
# (stripped: $(if) takes a condition of spaces alone for true)
outdated_in = $(strip $(foreach n,$(call names_of,$(1)),$(call outdated,build/$(1)/$(n).$(2))))
outdated = $(shell test -e $(call quote,$(1)) && find $(foreach d,$^,$(call quote,$(d))) -newer $(call quote,$(1)) -print -quit || echo missing)

# Each publication is parsed once for all the formats asked for. Without -j a build renders
# its editions on every core; with -jN the builds share make's N job slots; make -j1 renders
# one at a time (see editions/jobserver.py). '+' passes make's jobserver on to the build; it
# is left out under make -n, which must only print. The slug is safe (see above); the names of
# the files in its folder are expanded once ($$), never read as make code.
JOBSERVER := $(if $(findstring n,$(firstword -$(MAKEFLAGS))),,+)
define publication_rule
$(call editions_of,$(1),$(FORMATS)) &: $$(wildcard source/$(1)/*) $$(wildcard source/theme.yaml) $$(DEPENDS)
	$(JOBSERVER)@$(PY) -m editions build $(1) --source source --out build $$(foreach f,$$(call stale,$(1)),--format $$(f))
$(1): $(call editions_of,$(1),$(FORMATS))
endef
$(foreach p,$(PUBLICATIONS),$(eval $(call publication_rule,$(p))))

# A folder under source/ without a master.md may hold a misnamed one (Master.md): ask the
# package, which refuses it with what to rename, rather than skip the folder without a word.
STRAYS := $(filter-out $(addprefix source/,$(PUBLICATIONS)),$(patsubst %/,%,$(sort $(dir $(wildcard source/*/*)))))

all: $(if $(STRAYS),check-source) $(foreach p,$(PUBLICATIONS),$(call editions_of,$(p),$(FORMATS)))

# A new publication, which builds at once: make new SLUG=my-statement
new: $(VENV_STAMP)
	@$(PY) -m editions new $(call quote,$(SLUG)) --source source

# What changed since an earlier version: make redline PUBLICATION=slug SINCE=v1.0 (a tag, a
# commit, or a folder holding an earlier copy). Always made: the earlier version is not a file
# make can see.
redline: $(VENV_STAMP)
	@$(if $(PUBLICATION),,$(error give the publication: make redline PUBLICATION=slug SINCE=v1.0))
	@$(if $(SINCE),,$(error give the earlier version: make redline PUBLICATION=$(PUBLICATION) SINCE=v1.0 (a tag, a commit or a folder)))
	@$(PY) -m editions redline $(call quote,$(PUBLICATION)) --since $(call quote,$(SINCE)) --source source --out build

check-source: $(VENV_STAMP)
	@$(PY) -m editions list --source source >/dev/null

$(ALL_FORMATS):
	@$(MAKE) --no-print-directory all FORMATS=$@

# Words per answer against the limits, and the warnings (a term written two ways, ...).
check: $(VENV_STAMP)
	@$(PY) -m editions check

# Checksums, a manifest and a landing page beside each publication's editions.
# The folders named as the builds name them: a copy of the project releases its own.
release: all
	@$(PY) -m editions release --source source --out build

# Rebuild everything into a temporary folder and compare it, byte for byte, with build/.
verify: $(VENV_STAMP)
	@$(PY) -m editions verify

# The bootstrap, one make at a time: two makes started at once in a fresh clone must not both
# create the venv or install into it. Each takes the lock (flock, util-linux), then a make run
# under it decides anew whether the stamp is out of date: the second finds the work done.
BOOTSTRAP_LOCK := $(VENV).lock
$(VENV_STAMP): pyproject.toml requirements.lock scripts/system-deps
$(TEST_STAMP): $(VENV_STAMP) requirements-test.lock
$(TOOLS_STAMP): tests/tools/package.json tests/tools/package-lock.json
ifndef BOOTSTRAP_LOCKED
$(VENV_STAMP) $(TEST_STAMP) $(TOOLS_STAMP):
	@flock $(BOOTSTRAP_LOCK) $(MAKE) --no-print-directory --silent $@ BOOTSTRAP_LOCKED=1
else
# A venv without pip (its creation was interrupted) is made anew.
$(VENV_STAMP):
	@scripts/system-deps build
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(TEST_STAMP):
	@scripts/system-deps test
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	@touch $@

# DAISY Ace drives the system's Chromium (tests/validators.py): puppeteer downloads no browser.
$(TOOLS_STAMP):
	@cd tests/tools && PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error
	@touch $@
endif

test: $(TEST_STAMP) $(TOOLS_STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS)

# The quick loop: everything but the tests marked slow (validators, browsers, make runs).
test-fast: $(TEST_STAMP) $(TOOLS_STAMP)
	@$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

goldens: $(TEST_STAMP) $(TOOLS_STAMP)
	@$(PY) -m pytest -m golden --update-goldens $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	@$(PY) -m ruff check editions tests

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) $(BOOTSTRAP_LOCK) tests/tools/node_modules

lock:
	@scripts/lock

# Our build against pandoc and WeasyPrint run by hand, and the Make and preview timings;
# prints a table with PASS/FAIL per target into build/bench/results.{json,md}; a run of every
# part also rewrites docs/bench/latest.md, the results the README links to (BENCH_ARGS=--help).
bench: $(VENV_STAMP)
	@$(PY) scripts/bench.py $(BENCH_ARGS)

# Live preview: builds FORMAT (html unless given) of PUBLICATION (every one unless given),
# serves build/ on 127.0.0.1 and rebuilds on save; Ctrl-C stops it.
FORMAT ?= html
serve: $(VENV_STAMP)
	@$(PY) -m editions serve $(PUBLICATION) --format $(FORMAT)

help:
	@echo 'make all            every edition of every publication, into build/'
	@echo 'make $(subst $(eval) ,|,$(ALL_FORMATS))  one format of every publication'
	@echo 'make SLUG           every edition of one publication (source/SLUG/)'
	@echo 'make new SLUG=name  start a publication in source/name/ that builds at once'
	@echo 'make check          words per answer against the limits; consistency warnings'
	@echo 'make test           the whole test suite (installs validators on first use)'
	@echo 'make test-fast      the suite without the slow tests'
	@echo 'make goldens        rewrite tests/goldens/ from the frozen fixtures; read the diff'
	@echo 'make lint           ruff'
	@echo 'make release        checksums, manifest and landing page beside the editions'
	@echo 'make verify         rebuild into a temporary folder and compare byte for byte'
	@echo 'make serve          live preview (PUBLICATION=slug FORMAT=pdf)'
	@echo 'make redline PUBLICATION=slug SINCE=v1.0   tracked changes since a tag, commit or folder'
	@echo 'make bench          time and memory against pandoc and WeasyPrint by hand'
	@echo 'make lock           re-pin requirements.lock and requirements-test.lock'
	@echo 'make clean          remove build/ (distclean: the venv and test tools too)'
