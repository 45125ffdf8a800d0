# Each target sets up .venv itself: one command is all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-tools venv clean dist qt-libs

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

# on a desktop (DISPLAY or WAYLAND_DISPLAY set) check Qt's xcb system libraries first:
# installs them when root with apt-get, else prints the one command that does
run: $(STAMP)
	@$(PY) packaging/qt_system_libs.py
	$(PY) -m designer open $(or $(FILE),pathway_library/eras-plus-colorectal.yaml)

test: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

# bpmnlint for the validate-vs-bpmnlint bench row (needs node and npm; outside git)
bench-tools:
	npm install --prefix benchmarks --no-save --no-audit --no-fund bpmnlint@11

# the one-folder PyInstaller bundle in dist/periop/, then its smoke test (several minutes;
# PyInstaller is in the `dist` extra, installed here, never by `make test`)
DIST_STAMP := $(VENV)/.installed-dist
$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,dist]'
	@touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/periop.spec
	$(PY) packaging/smoke.py dist/periop

qt-libs: $(STAMP)
	$(PY) packaging/qt_system_libs.py

clean:
	rm -rf $(VENV) build dist *.egg-info
