# Each target sets up .venv itself: one command is all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-tools node-tools venv clean dist qt-libs

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

# bpmnlint (npm) for the test that runs the real linter over every exemplar's BPMN and for
# the validate-vs-bpmnlint bench row, and axe-core for the booklet's accessibility test
# (with headless Chromium); installed into benchmarks/node_modules (outside git, one npm
# call: a second --no-save install would prune the first) when node and npm are on PATH.
# Without them those tests say what they need and skip.
BPMNLINT := benchmarks/node_modules/.bin/bpmnlint
AXE_CORE := benchmarks/node_modules/axe-core/axe.min.js
$(BPMNLINT) $(AXE_CORE) &:
	@if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then \
		npm install --prefix benchmarks --no-save --no-audit --no-fund --loglevel=error \
			bpmnlint@11 axe-core@4; \
	else echo "node/npm not found: the bpmnlint and axe-core tests will be skipped"; fi

node-tools: $(BPMNLINT) $(AXE_CORE)

test: $(STAMP) node-tools
	$(VENV)/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

bench-tools: node-tools

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
