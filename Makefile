# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# The first interpreter that really runs and is >= 3.11 (pyenv shims may exist but not run).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# The whole dependency tree (the project's pins, the dev extra, everything they pull in) at exact
# versions with their hashes: every install reads it, `make lock` writes it.
LOCK := requirements.lock
UV := $(VENV)/bin/uv

.PHONY: run test lint messages lock outdated fuzz

$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	./scripts/run-dev.sh

test: $(STAMP)
	./scripts/test.sh $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

# Rewrites requirements.lock from pyproject.toml: versions already in the lock are kept (so a
# rerun changes nothing), new or changed pins are resolved, and every file gets its hashes.
# uv is a pinned dev dependency; the first run brings it into .venv by itself.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install -q "$$(grep -o 'uv==[0-9.]*' pyproject.toml)"
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --no-config --quiet --custom-compile-command "make lock" -o $(LOCK)

# Pinned packages with newer releases (asks the package index: run it by hand, not in tests).
outdated: $(STAMP)
	$(PY) scripts/outdated.py

# The deep schemathesis run as every role (the suite runs a few examples per operation).
fuzz: $(STAMP)
	FUZZ_EVERY_ROLE=1 FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-60} $(PY) -m pytest -p no:randomly -q tests/fuzz $(ARGS)
