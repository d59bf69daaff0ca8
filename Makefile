# Quick start: `make demo` renders the bundled example program into out/; `make test` runs the tests.
# Both create their own virtualenv (.venv) and install what they need.

VENV ?= .venv
# CDISC USDM v4 model and rules, without its cdisc-rules-engine dependency (Python 3.12 only, used
# solely by usdm4's online CORE validator; docs/decisions.md "USDM export")
USDM4 := usdm4==0.29.0
PY := $(VENV)/bin/python
BASKET := $(VENV)/bin/basket
EXAMPLE := configs/ucd-umbrella

.PHONY: demo test system-deps golden bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps '$(USDM4)'
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

demo: system-deps $(VENV)/.installed
	$(BASKET) validate $(EXAMPLE)
	$(BASKET) plan $(EXAMPLE)
	$(BASKET) readiness $(EXAMPLE) --exit-zero   # a variant marked for submission still lacks evidence
	$(BASKET) render $(EXAMPLE) --format md,html,pdf,docx   # into out/protocol
	$(BASKET) verify out/protocol
	$(BASKET) design $(EXAMPLE)   # into out/design
	$(BASKET) graph export $(EXAMPLE) -o out/graph/program.graphml
	$(BASKET) docs $(EXAMPLE)   # into out/site
	@echo "Open out/protocol/overview.html, out/protocol/appendices/, out/design/power.png and out/site/index.html"

test: system-deps $(VENV)/.installed
	$(VENV)/bin/ruff check basket tests benchmarks
	$(VENV)/bin/lint-imports   # the layer contract in pyproject.toml: stages import downward only
	$(PY) -m pytest -q -n 2   # two workers: the suite is CPU-bound and the machine has two cores

golden: $(VENV)/.installed
	$(PY) -m tests.regenerate_golden

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

clean:
	rm -rf out site .pytest_cache .hypothesis
