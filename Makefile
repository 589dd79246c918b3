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

# The translations: one catalog per language, compiled into .mo files when the package is
# installed (hatch_build.py), so editing a .po reinstalls.
CATALOGS := $(wildcard autograd/locale/*/LC_MESSAGES/autograd.po)
VERSION  := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)

.PHONY: demo test notebooks site bench lint graphviz browser fonts catalogs vendor-viz-js clean

demo: $(VENV)/.installed-demo graphviz fonts
	$(PY) -m autograd demo

test: $(VENV)/.installed-$(TEST_EXTRAS) graphviz browser fonts
	$(PY) -m pytest -n 2

# The course in JupyterLab, in your browser, at notebook 1 (Ctrl-C in this terminal stops it);
# `make notebooks lang=ar` (or ru) opens the Arabic (Russian) notebooks, in notebooks/ar (ru).
# JupyterLab refuses to run as root unless told: containers and CI machines often are root.
# JupyterLab's own menus and dialogs follow: its language pack, set as the default in .venv's overrides.json.
lang ?= en
LAB_LOCALE_en := default
LAB_LOCALE_ar := ar_SA
LAB_LOCALE_ru := ru_RU
LAB_SETTINGS  := $(VENV)/share/jupyter/lab/settings
notebooks: $(VENV)/.installed-notebooks graphviz
	@case "$(lang)" in en|ar|ru) ;; *) echo "lang=$(lang): the notebooks are in en, ar or ru"; exit 2;; esac
	@mkdir -p $(LAB_SETTINGS)
	@echo '{"@jupyterlab/translation-extension:plugin": {"locale": "$(LAB_LOCALE_$(lang))"}}' > $(LAB_SETTINGS)/overrides.json
	cd notebooks && $(abspath $(PY)) -m jupyterlab $(if $(filter en,$(lang)),,$(lang)/)01_values_and_graphs.ipynb \
	    $(if $(filter 0,$(shell id -u)),--allow-root)

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

# Fonts with Arabic and Cyrillic letters, for drawings and pages in those languages.
fonts:
	@tools/ensure "fc-list :lang=ar family | grep -q . && fc-list :lang=ru family | grep -q ." fonts-noto-core

# After changing a marked text in the code: extract every marked text into the template and merge
# it into each language's catalog (new texts arrive untranslated, changed ones fuzzy: the tests
# fail until a translator has seen to them). A new language: $(PY) -m babel.messages.frontend init
# -i autograd/locale/autograd.pot -d autograd/locale -D autograd -l <code>
catalogs: $(VENV)/.installed-$(TEST_EXTRAS)
	$(PY) -m babel.messages.frontend extract --add-location=file --sort-output --add-comments=translators: \
	    --keywords=lazy_gettext --keywords=lazy_ngettext:1,2 --project=scalar-autograd --version=$(VERSION) \
	    --copyright-holder="the scalar-autograd authors" \
	    --output-file=autograd/locale/autograd.pot autograd
	$(PY) -m babel.messages.frontend update --ignore-obsolete \
	    --input-file=autograd/locale/autograd.pot --output-dir=autograd/locale --domain=autograd

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

$(VENV)/.installed-%: pyproject.toml hatch_build.py $(CATALOGS) | $(PY)
	$(PY) -m pip install -q -e '.[$*]'
	touch $@

clean:
	rm -rf $(VENV) autograd-demo build .pytest_cache .hypothesis
