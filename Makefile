# Two commands set everything up: `make demo` runs the main job, `make test` the tests.
# Each creates .venv when missing and installs what it needs itself; so do `make notebooks`,
# which opens the course in JupyterLab, and `make site`, which builds it as a static site.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# `make test TORCH=no` leaves out PyTorch, the test oracle (a large download outside these machines).
TORCH  ?= yes
comma  := ,
TEST_EXTRAS := test$(if $(filter yes,$(TORCH)),$(comma)oracle)

.PHONY: demo test notebooks site bench lint graphviz browser vendor-viz-js clean

demo: $(VENV)/.installed-demo graphviz
	$(PY) -m autograd demo

test: $(VENV)/.installed-$(TEST_EXTRAS) graphviz browser
	$(PY) -m pytest -n 2

# The course in JupyterLab, in your browser, at notebook 1 (Ctrl-C in this terminal stops it).
# JupyterLab refuses to run as root unless told: containers and CI machines often are root.
notebooks: $(VENV)/.installed-notebooks graphviz
	cd notebooks && $(abspath $(PY)) -m jupyterlab 01_values_and_graphs.ipynb $(if $(filter 0,$(shell id -u)),--allow-root)

# The course as a static site in build/site, from notebooks executed once (reused while unchanged).
site: $(VENV)/.installed-site graphviz
	$(PY) -m autograd.course.site

bench: $(VENV)/.installed-test,oracle
	$(PY) benchmarks/run.py

lint: $(VENV)/.installed-$(TEST_EXTRAS)
	$(PY) -m ruff check autograd tests benchmarks
	$(PY) -m mypy

graphviz:
	@tools/ensure "command -v dot" graphviz

browser:
	@tools/ensure "command -v chromium && command -v chromedriver" chromium chromium-driver

# Graphviz in WebAssembly, drawing in the browser when `dot` is missing. The file is committed;
# this only updates it (see autograd/vendor/viz-js/README.md). Needs npm.
VIZ_JS_VERSION := 3.31.0
vendor-viz-js:
	rm -rf .viz-js && mkdir .viz-js
	cd .viz-js && npm pack --silent @viz-js/viz@$(VIZ_JS_VERSION) >/dev/null && tar xzf viz-js-viz-$(VIZ_JS_VERSION).tgz
	cp .viz-js/package/dist/viz-global.js autograd/vendor/viz-js/viz-global.js
	rm -rf .viz-js

$(PY):
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); tools/ensure "$(PYTHON) -m ensurepip --version" python3-venv; $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed-%: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[$*]'
	touch $@

clean:
	rm -rf $(VENV) autograd-demo build .pytest_cache .hypothesis
