# Each target sets up .venv itself: one command is all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-tools venv clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) -m designer open $(or $(FILE),pathway_library/eras-plus-colorectal.yaml)

test: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

# bpmnlint for the validate-vs-bpmnlint bench row (needs node and npm; outside git)
bench-tools:
	npm install --prefix benchmarks --no-save --no-audit --no-fund bpmnlint@11

clean:
	rm -rf $(VENV) build *.egg-info
